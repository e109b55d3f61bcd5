package org.cardiowatch.schemas.topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The patients erased so far, read from cw.monitoring-ends (kept forever) and followed. Whoever
 * writes a patient's data outward (history, FHIR push, the dashboard's board) asks it first, so a
 * record of an erased patient still in a topic is never stored or sent again.
 */
public final class ErasedPatients implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErasedPatients.class);

    private final Set<String> erased = ConcurrentHashMap.newKeySet();
    private final TopicFollower follower;

    public ErasedPatients(String bootstrapServers, Map<String, Object> clientConfig) {
        this.follower = new TopicFollower("erased-patients", bootstrapServers, clientConfig,
                List.of(Topics.MONITORING_ENDS.name()), Instant.EPOCH, this::apply);
    }

    public ErasedPatients start() {
        follower.start();
        return this;
    }

    /** Has read every end written before the start. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public boolean isErased(String patientId) {
        return patientId != null && erased.contains(patientId);
    }

    /** An erasure this instance made itself counts at once, before its record comes back from Kafka. */
    public void add(String patientId) {
        erased.add(patientId);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            MonitoringEnd end = Topics.MONITORING_ENDS.decode(record.value());
            if (end.getReason() == MonitoringEndReason.ERASED) {
                erased.add(end.getPatientId());
            }
        } catch (SerializationException e) {
            LOG.error("Skipping unreadable record in {} partition {} offset {}: {}",
                    Topics.MONITORING_ENDS.name(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
