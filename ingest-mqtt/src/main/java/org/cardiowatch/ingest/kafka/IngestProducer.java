package org.cardiowatch.ingest.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Writes ingest decisions to Kafka: idempotent, acks=all, and retrying until Kafka takes the
 * record (delivery timeout unbounded), because the MQTT message is acknowledged only afterwards.
 * While Kafka is away the broker keeps the unacknowledged messages and the MQTT receive window
 * bounds how many wait here.
 */
public final class IngestProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public IngestProducer(String bootstrapServers, Map<String, Object> clientConfig) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cw-ingest");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        // Bounded so a Kafka that never comes back fails the send (the message stays unacknowledged).
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        props.putAll(clientConfig);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes when Kafka has acknowledged the record, exceptionally if it refused it for good. */
    public CompletableFuture<Void> send(IngestDecision decision) {
        if (decision instanceof IngestDecision.Accepted<?> accepted) {
            return sendAccepted(accepted);
        }
        if (decision instanceof IngestDecision.Rejected rejected) {
            return sendRejected(rejected.rejection());
        }
        // A redelivered envelope is in Kafka already: nothing to write, acknowledge it at once.
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> sendRejected(IngestRejection rejection) {
        String key = rejection.getDeviceId() != null ? rejection.getDeviceId() : rejection.getMqttTopic();
        return send(Topics.INGEST_REJECTED, key, rejection);
    }

    private <V extends SpecificRecord> CompletableFuture<Void> sendAccepted(IngestDecision.Accepted<V> accepted) {
        return send(accepted.topic(), accepted.patientId(), accepted.value());
    }

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, error) -> {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
