package org.cardiowatch.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with what it takes to read and write it.
 *
 * @param compacted reference data (latest value per key) rather than an event stream
 * @param keyedByPatient every such topic has the same partition count, so one Streams task sees
 *     all of a patient's data
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted,
        boolean keyedByPatient) {

    /** A record value of this topic, as read from Kafka; null for a tombstone. */
    public V decode(byte[] value) {
        return valueSerde.deserializer().deserialize(name, value);
    }
}
