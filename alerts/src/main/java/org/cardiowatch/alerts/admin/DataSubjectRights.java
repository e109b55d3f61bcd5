package org.cardiowatch.alerts.admin;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.topics.AvroJson;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.jboss.logging.Logger;

/**
 * The rights of a data subject (GDPR articles 15, 17 and 20): everything CardioWatch holds about one
 * patient, exported; and erasure. Erasure writes tombstones to every compacted topic (the patient,
 * care team, thresholds, consent and the patient's devices), which every service applies at once
 * and Kafka's compaction removes for good, and deletes the patient's series from the history store.
 * The event topics (vitals, ECG, beats, alerts, actions,
 * minute aggregates) cannot lose single records: their retention removes them (seven days by
 * default), and nothing reads them for an erased patient meanwhile, as consent and care team are
 * gone. Audit events are kept: the law requires the record of who accessed what (art. 17(3)(b)).
 */
@ApplicationScoped
public class DataSubjectRights {

    /** Topics keyed by patient id whose records are the patient's data, in export order. */
    static final List<Topic<String, ? extends SpecificRecord>> PATIENT_TOPICS = List.of(
            Topics.PATIENTS, Topics.CARE_TEAMS, Topics.CONSENTS, Topics.THRESHOLDS, Topics.VITALS, Topics.VITALS_1M,
            Topics.ECG, Topics.BEATS, Topics.ALERTS, Topics.ALERT_ACTIONS, Topics.REVIEWS, Topics.MONITORING_ENDS);
    static final List<Topic<String, ? extends SpecificRecord>> ERASED_BY_TOMBSTONE = List.of(
            Topics.PATIENTS, Topics.CARE_TEAMS, Topics.CONSENTS, Topics.THRESHOLDS, Topics.REVIEWS);

    /**
     * What an erasure did.
     *
     * @param kept the topics that keep the patient's id for good: the audit trail, and the ends of
     *     monitoring, which say the patient was erased
     */
    public record Erasure(String patientId, List<String> tombstones, List<String> devicesErased,
            boolean historyErased, List<String> removedByRetention, List<String> kept) {
    }

    private static final Logger LOG = Logger.getLogger(DataSubjectRights.class);

    private final AlertsRuntime runtime;
    private final KafkaConnection kafka;
    private final Duration eraseHistoryAgainAfter;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "erase-history-again");
        thread.setDaemon(true);
        return thread;
    });

    DataSubjectRights(AlertsRuntime runtime, KafkaConnection kafka, AlertsConfig config) {
        this.runtime = runtime;
        this.kafka = kafka;
        this.eraseHistoryAgainAfter = config.history().eraseAgainAfter();
    }

    @PreDestroy
    void stop() {
        later.shutdownNow();
    }

    /**
     * Writes one JSON object per line: {@code {"topic": ..., "record": ...}}, the record in Avro's
     * JSON encoding; devices without their keys; the audit events naming the patient last.
     */
    public void export(String patientId, Writer out) {
        for (Topic<String, ? extends SpecificRecord> topic : PATIENT_TOPICS) {
            exportKeyed(topic, patientId, out);
        }
        for (var device : currentDevicesOf(patientId).values()) {
            device.setPayloadKey(ByteBuffer.allocate(0)); // this copy was read for the export only
            line(out, Topics.DEVICES.name(), device);
        }
        scan(Topics.AUDIT, (key, event) -> {
            if (event != null && patientId.equals(event.getPatientId())) {
                line(out, Topics.AUDIT.name(), event);
            }
        });
    }

    /**
     * Erases the patient: first the end of their monitoring on cw.monitoring-ends (the processor
     * deletes its state and produces nothing more about them; the history, the FHIR push and every
     * alerts instance skip their records still in the topics), then tombstones on the compacted
     * topics and the patient's devices, the service's memory and the history.
     */
    public Erasure erase(String patientId, String erasedBy) {
        runtime.writer().write(Topics.MONITORING_ENDS, patientId, MonitoringEnd.newBuilder().setPatientId(patientId)
                .setReason(MonitoringEndReason.ERASED).setEndedAt(Instant.now()).setRecordedBy(erasedBy).build());
        runtime.forgetPatient(patientId);
        List<String> tombstones = new ArrayList<>();
        for (Topic<String, ? extends SpecificRecord> topic : ERASED_BY_TOMBSTONE) {
            runtime.writer().write(topic, patientId, null);
            tombstones.add(topic.name());
        }
        List<String> devices = new ArrayList<>(currentDevicesOf(patientId).keySet());
        for (String deviceId : devices) {
            runtime.writer().write(Topics.DEVICES, deviceId, null);
        }
        runtime.history().ifPresent(history -> {
            history.erasePatient(patientId);
            // Another instance's history writer may be writing a record of the patient right now: it learns
            // of the erasure from cw.monitoring-ends a moment later. A second pass removes what it wrote.
            later.schedule(() -> eraseAgain(history, patientId), eraseHistoryAgainAfter.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
        List<String> retained = PATIENT_TOPICS.stream()
                .filter(t -> !ERASED_BY_TOMBSTONE.contains(t) && !Topics.keptForever(t)).map(Topic::name).toList();
        return new Erasure(patientId, tombstones, devices, runtime.history().isPresent(), retained,
                List.of(Topics.AUDIT.name(), Topics.MONITORING_ENDS.name()));
    }

    private static void eraseAgain(InfluxHistoryStore history, String patientId) {
        try {
            history.erasePatient(patientId);
        } catch (RuntimeException e) {
            LOG.warnf("The second erasure pass of the history failed (%s): erase the patient again",
                    e.getClass().getSimpleName());
        }
    }

    /** The patient's devices as cw.devices holds them now (the latest record of each, tombstones applied). */
    private Map<String, org.cardiowatch.schemas.avro.Device> currentDevicesOf(String patientId) {
        Map<String, org.cardiowatch.schemas.avro.Device> devices = latestByKey(Topics.DEVICES);
        devices.values().removeIf(device -> !patientId.equals(device.getPatientId()));
        return devices;
    }

    /** The patient's records of a topic keyed by patient: only the patient's partition is read. */
    private <V extends SpecificRecord> void exportKeyed(Topic<String, V> topic, String patientId, Writer out) {
        List<V> values = new ArrayList<>();
        TopicScan.forEachOfKey(kafka.bootstrapServers(), kafka.clientSettings(), topic, patientId, (key, value) -> {
            if (value == null) {
                values.clear(); // a tombstone erased what came before it
            } else {
                values.add(value);
            }
            return true;
        });
        // Reference data: only the current value is the patient's data.
        List<V> kept = topic.compacted() && !values.isEmpty() ? List.of(values.get(values.size() - 1)) : values;
        kept.forEach(value -> line(out, topic.name(), value));
    }

    /** A compacted topic's current content: the latest value of each key, tombstones applied. */
    private <V> Map<String, V> latestByKey(Topic<String, V> topic) {
        Map<String, V> latest = new LinkedHashMap<>();
        scan(topic, (key, value) -> {
            if (value == null) {
                latest.remove(key);
            } else {
                latest.put(key, value);
            }
        });
        return latest;
    }

    private <V> void scan(Topic<String, V> topic, java.util.function.BiConsumer<String, V> each) {
        TopicScan.forEach(kafka.bootstrapServers(), kafka.clientSettings(), topic, Instant.EPOCH,
                (key, value) -> {
                    each.accept(key, value);
                    return true;
                });
    }

    private static void line(Writer out, String topic, SpecificRecord record) {
        try {
            out.write("{\"topic\":\"" + topic + "\",\"record\":" + AvroJson.toJson(record) + "}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
