package org.cardiowatch.processor.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.cardiowatch.schemas.avro.DeadLetter;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the processor cannot read (a corrupt or unknown payload) or process (a step that
 * throws, state it cannot read) is set aside on cw.dead-letters with its topic, partition, offset,
 * the failing step and the reason, never its content, and processing goes on with the next one:
 * one bad record does not stop every patient's analysis, and none is dropped without a trace.
 * Operators watch the topic (and the {@code WARN} line); the record itself stays at its position
 * to be replayed once the cause is fixed. The dead letter is written outside the processor's
 * transaction: at least once. The processor reads cw.dead-letters back to raise the patient's
 * technical alert ({@link UnanalysedRecordsProcessor}); a dead letter it cannot handle in turn is
 * only logged, so a failure there cannot feed itself.
 */
public final class DeadLetters implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<String, Object> producerConfig = new HashMap<>();
    private KafkaProducer<String, byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        Set<String> producerKeys = ProducerConfig.configNames();
        configs.forEach((key, value) -> {
            // The Streams settings that reach this cluster (address, TLS, SASL), as a plain producer's.
            if (value != null && (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("ssl.")
                    || key.startsWith("sasl.")) && producerKeys.contains(key)) {
                producerConfig.put(key, value);
            }
        });
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "cw-dead-letters");
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        setAside(record.key(), context, null, exception);
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        setAside(context.sourceRawKey(), context, context.processorNodeId(), exception);
        return ProcessingHandlerResponse.CONTINUE;
    }

    private void setAside(byte[] key, ErrorHandlerContext context, String step, Exception exception) {
        String reason = exception.getClass().getName() + ": " + exception.getMessage();
        LOG.warn("Set aside {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(),
                step == null ? "unreadable" : "step " + step, reason);
        if (Topics.DEAD_LETTERS.name().equals(context.topic())) {
            return;
        }
        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic(context.topic()).setPartition(context.partition())
                .setOffset(context.offset()).setStep(step).setReason(reason).setFailedAt(Instant.now()).build();
        try {
            producer().send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(),
                    key == null ? null : new String(key, StandardCharsets.UTF_8),
                    Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), letter)),
                    (metadata, failure) -> {
                        if (failure != null) {
                            LOG.error("Cannot write the dead letter of {}-{}@{}: {}", context.topic(),
                                    context.partition(), context.offset(), failure.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.error("Cannot write the dead letter of {}-{}@{}: {}", context.topic(), context.partition(),
                    context.offset(), e.toString());
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }
}
