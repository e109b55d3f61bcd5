package org.cardiowatch.schemas.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes single records to registry topics and waits for Kafka's acknowledgement: for reference
 * data (admin API, enrolment of the local stack) where each write must be confirmed to the caller.
 */
public final class TopicWriter implements AutoCloseable {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;

    public TopicWriter(String bootstrapServers, Map<String, Object> clientConfig) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, WRITE_TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() / 2);
        props.putAll(clientConfig);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public TopicWriter(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** Writes the value (null: a tombstone) under the key and waits until Kafka has it. */
    public <V> void write(Topic<String, V> topic, String key, V value) {
        writeAll(topic, key, Collections.singletonList(value));
    }

    /**
     * Writes the values (null: a tombstone) under one key, in order, and waits until Kafka has them all: one round
     * trip for the batch. On failure some of them may be stored (the first ones: one key, one
     * partition, an idempotent producer keeps their order).
     */
    public <V> void writeAll(Topic<String, V> topic, String key, List<V> values) {
        writeAll(topic, key, values, value -> null);
    }

    /**
     * As {@link #writeAll(Topic, String, List)}, each record with the timestamp {@code timeOf} gives it (null:
     * now), for records of the past (imported history) that readers find by record time.
     */
    public <V> void writeAll(Topic<String, V> topic, String key, List<V> values, Function<V, Instant> timeOf) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
        for (V value : values) {
            byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
            Instant time = value == null ? null : timeOf.apply(value);
            sent.add(producer.send(new ProducerRecord<>(topic.name(), null, time == null ? null : time.toEpochMilli(),
                    key, bytes)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITE_TIMEOUT.toMillis() + 5_000);
        try {
            for (Future<RecordMetadata> each : sent) {
                each.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the write to " + topic.name() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
