package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.EndedMonitoring;
import org.cardiowatch.processor.detection.MinuteAccumulator;
import org.cardiowatch.processor.detection.PatientEpisode;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a source's monitoring (cw.monitoring-ends): its open alerts resolve with the reason
 * (an erased patient's vanish without a word: nothing about them is produced again), every store's
 * entries of that device, or of the whole patient, are deleted, and the end is remembered so the
 * readings still in the topics are dropped ({@link MonitoredSourceFilter}). Ends older than the
 * retention are forgotten by a wall-clock punctuation.
 */
final class MonitoringEndProcessor implements Processor<String, MonitoringEnd, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringEndProcessor.class);
    /** Stores keyed {@code deviceKey(patient, device)}, or that followed by {@code |} and more. */
    static final List<String> SOURCE_STORES = List.of(ProcessorTopology.SOURCE_RULE_STORE,
            ProcessorTopology.REPORTED_RATE_STORE, ProcessorTopology.SIGNAL_STATE_STORE,
            ProcessorTopology.QRS_STATE_STORE, ProcessorTopology.RHYTHM_STATE_STORE,
            ProcessorTopology.BEAT_RATE_STORE, ProcessorTopology.SEQUENCE_STORE, ProcessorTopology.UNANALYSED_STORE);

    private static final Duration MINUTES_KEPT = Duration.ofMinutes(30);

    private final Duration retention;
    private ProcessorContext<String, Alert> context;
    private final List<KeyValueStore<String, Object>> sourceStores = new ArrayList<>();
    private KeyValueStore<String, Object> agreements;
    private KeyValueStore<String, PatientEpisode> episodes;
    private KeyValueStore<String, EndedMonitoring> ended;
    private TimestampedWindowStore<String, MinuteAccumulator> minutes;

    /** @param retention how long an end is remembered: at least the retention of cw.vitals and cw.ecg */
    MonitoringEndProcessor(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        for (String store : SOURCE_STORES) {
            sourceStores.add(context.getStateStore(store));
        }
        agreements = context.getStateStore(ProcessorTopology.SOURCE_AGREEMENT_STORE);
        episodes = context.getStateStore(ProcessorTopology.PATIENT_EPISODE_STORE);
        ended = context.getStateStore(ProcessorTopology.ENDED_MONITORING_STORE);
        minutes = context.getStateStore(ProcessorTopology.MINUTE_STORE);
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::forgetOldEnds);
    }

    @Override
    public void process(Record<String, MonitoringEnd> record) {
        String patientId = record.key();
        MonitoringEnd end = record.value();
        if (patientId == null || end == null || !patientId.equals(end.getPatientId())) {
            return;
        }
        String deviceId = end.getDeviceId();
        boolean erasure = end.getReason() == MonitoringEndReason.ERASED;
        EndedMonitoring stored = ended.get(patientId);
        EndedMonitoring marks = stored == null ? new EndedMonitoring() : stored;
        marks.end(deviceId, end.getEndedAt(), erasure);
        ended.put(patientId, marks);
        if (end.getReason() == MonitoringEndReason.HISTORY_IMPORTED) {
            // Imported history: its readings are stored and shown, not analysed; the live monitoring goes on.
            LOG.info("History imported for a device: its readings received up to the end are not analysed");
            return;
        }

        int deleted = 0;
        for (KeyValueStore<String, Object> store : sourceStores) {
            deleted += deleteSource(store, patientId, deviceId);
        }
        // Agreement between devices is per measure: the measures compare again without the ended device.
        deleted += deleteSource(agreements, patientId, null);
        int resolved = endEpisodes(patientId, deviceId, end.getEndedAt(), why(end), !erasure);
        if (erasure) {
            deleted += deleteMinutes(patientId);
        }
        LOG.info("Monitoring ended ({} of {}): {} alerts ended, {} state entries deleted", end.getReason(),
                deviceId == null ? "a patient" : "a device", resolved, deleted);
    }

    /** Deletes the entries of one source of the patient, or with {@code deviceId} null of all the patient's. */
    private static int deleteSource(KeyValueStore<String, Object> store, String patientId, String deviceId) {
        String base = deviceId == null ? patientId + "|" : ProcessorTopology.deviceKey(patientId, deviceId);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> entries = store.prefixScan(base, new StringSerializer())) {
            entries.forEachRemaining(entry -> {
                // "p|dev-1" is a prefix of "p|dev-12": only the key itself or the key and "|" are this device's.
                if (deviceId == null || entry.key.equals(base) || entry.key.startsWith(base + "|")) {
                    keys.add(entry.key);
                }
            });
        }
        keys.forEach(store::delete);
        return keys.size();
    }

    private int endEpisodes(String patientId, String deviceId, Instant at, String why, boolean publish) {
        List<KeyValue<String, PatientEpisode>> open = new ArrayList<>();
        try (KeyValueIterator<String, PatientEpisode> entries = episodes.prefixScan(patientId + "|", new StringSerializer())) {
            entries.forEachRemaining(open::add);
        }
        int changed = 0;
        for (KeyValue<String, PatientEpisode> entry : open) {
            AlertKind kind = AlertKind.valueOf(entry.key.substring(entry.key.lastIndexOf('|') + 1));
            PatientEpisode episode = entry.value;
            // A disagreement's sources are measures, compared afresh without the ended device.
            String source = kind == AlertKind.SOURCE_DISAGREEMENT ? null : deviceId;
            var change = episode.end(kind, source, at, why);
            if (change.isPresent()) {
                changed++;
                if (publish) {
                    context.forward(new Record<>(patientId, AlertFactory.toAlert(patientId, change.get()),
                            context.currentSystemTimeMs()));
                }
            }
            if (!publish || !episode.isOpen()) {
                episodes.delete(entry.key);
            } else if (change.isPresent()) {
                episodes.put(entry.key, episode);
            }
        }
        return changed;
    }

    /** The erased patient's minutes still open (a closed one waiting in the suppression buffer is dropped on its way out). */
    private int deleteMinutes(String patientId) {
        // A minute is kept for its size and grace behind stream time: the margin covers any grace configured.
        Instant streamTime = Instant.ofEpochMilli(Math.max(0, context.currentStreamTimeMs()));
        List<Long> windows = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<MinuteAccumulator>> all = minutes.fetch(patientId,
                streamTime.minus(MINUTES_KEPT), streamTime.plus(MINUTES_KEPT))) {
            all.forEachRemaining(window -> windows.add(window.key));
        }
        windows.forEach(start -> minutes.put(patientId, null, start));
        return windows.size();
    }

    private static String why(MonitoringEnd end) {
        return switch (end.getReason()) {
            case DEVICE_REVOKED -> "monitoring ended: device " + end.getDeviceId() + " revoked";
            case CONSENT_WITHDRAWN -> "monitoring ended: consent withdrawn";
            case DISCHARGED -> "monitoring ended: discharged";
            case ERASED -> "monitoring ended: erased";
            case HISTORY_IMPORTED -> "history imported";
            default -> "monitoring ended";
        };
    }

    private void forgetOldEnds(long wallClockMillis) {
        Instant before = Instant.ofEpochMilli(wallClockMillis).minus(retention);
        List<KeyValue<String, EndedMonitoring>> changes = new ArrayList<>();
        try (KeyValueIterator<String, EndedMonitoring> all = ended.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.forget(before)) {
                    changes.add(KeyValue.pair(entry.key, entry.value.isEmpty() ? null : entry.value));
                }
            });
        }
        for (KeyValue<String, EndedMonitoring> change : changes) {
            if (change.value == null) {
                ended.delete(change.key);
            } else {
                ended.put(change.key, change.value);
            }
        }
    }
}
