package org.cardiowatch.ingest.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.topics.Topic;

/** What becomes of one device message: a record for an analysis topic, a rejection, or nothing (a redelivery). */
public sealed interface IngestDecision {

    /** Which envelope a reading came in: its device, sequence number and a fingerprint of its bytes. */
    record Envelope(String deviceId, long sequence, long fingerprint) {
    }

    /** A checked reading, keyed by its patient. */
    record Accepted<V extends SpecificRecord>(Topic<String, V> topic, String patientId, V value, Envelope envelope)
            implements IngestDecision {
    }

    /** A refused message, keyed by the device id (or the topic, when it named no valid device). */
    record Rejected(IngestRejection rejection) implements IngestDecision {
    }

    /** The same envelope delivered again (MQTT QoS 1): already in Kafka, acknowledged and dropped. */
    record Redelivered(Envelope envelope) implements IngestDecision {
    }
}
