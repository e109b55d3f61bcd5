package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cardiowatch.processor.detection.MinuteAccumulator;
import org.cardiowatch.processor.detection.SignalLossMonitor;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.UnanalysedRecords;
import org.cardiowatch.processor.detection.rhythm.RhythmMonitor;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The stream processor's topology. Every step and store is named, so changelog and repartition
 * topic names stay stable when the code moves.
 *
 * <pre>
 * Readings pass drop-ended-vitals / drop-ended-ecg (ended-monitoring-store: a source whose
 * monitoring ended) and deduplicate-vitals / deduplicate-ecg (device-sequence-store) first.
 * Every rule runs per patient and device; fold-patient-episodes makes one alert per patient and kind.
 * cw.vitals ─┬─ evaluate-thresholds (device-rule-state-store, device-reported-rate-store,
 *            │                       source-agreement-store) ──────────────────────────────┐
 *            ├─ vitals-arrivals ─┬─ watch-signal-loss (device-signal-state-store, ─────────┤
 *            │  cw.ecg ─ ecg-arrivals ─┘    wall-clock punctuation)                          │
 *            ├─ aggregate-vitals-per-minute (1 min windows, grace) ─ drop-erased-minutes     ├─ fold-patient-episodes
 *            │                                                        ─ cw.vitals.1m          │  (patient-episode-store)
 *            └─ device-rr-beats ─┐                                                           │  ─┬─ cw.alerts
 * cw.ecg ─ detect-qrs (qrs-state-store) ─┴─ beats ─┬─ cw.beats                               │   │
 *                                                  ├─ classified-beats ─ aggregate-vitals-per-minute (counts by class)
 *                                                  ├─ analyse-rhythm (device-rhythm-state-store) ─┤   │
 *                                                  └─ evaluate-beat-rate (device-beat-rate-store) ┘   │
 *                                                     (shares the rule, reported-rate and agreement stores)
 * cw.dead-letters ─ drop-erased-dead-letters ─ watch-unanalysed-records (unanalysed-records-store, ─┤
 *                                               wall-clock punctuation: the technical alert)          │
 * cw.monitoring-ends ─ end-monitoring (every store above: resolves, deletes, remembers the end) ─┘
 * cw.thresholds ─ thresholds-store (global: every instance holds every patient's limits)
 * </pre>
 */
public final class ProcessorTopology {

    static final String THRESHOLDS_STORE = "thresholds-store";
    // The stores kept per patient and device are named device-*: their keys are deviceKey(...).
    static final String SOURCE_RULE_STORE = "device-rule-state-store";
    static final String SIGNAL_STATE_STORE = "device-signal-state-store";
    static final String MINUTE_STORE = "vitals-minute-store";
    static final String QRS_STATE_STORE = "qrs-state-store";
    static final String RHYTHM_STATE_STORE = "device-rhythm-state-store";
    static final String SEQUENCE_STORE = "device-sequence-store";
    static final String BEAT_RATE_STORE = "device-beat-rate-store";
    static final String REPORTED_RATE_STORE = "device-reported-rate-store";
    static final String SOURCE_AGREEMENT_STORE = "source-agreement-store";
    static final String PATIENT_EPISODE_STORE = "patient-episode-store";
    static final String ENDED_MONITORING_STORE = "ended-monitoring-store";
    /** Keyed {@code deviceKey(patient, source topic)}: records set aside per patient and topic. */
    static final String UNANALYSED_STORE = "unanalysed-records-store";

    private ProcessorTopology() {
    }

    /**
     * A persistent store behind Kafka Streams' record cache: the writes to one key between two
     * commits (commit.interval.ms, 200 ms) reach RocksDB and the changelog once, at the commit. The
     * beats of one ECG segment, or a device that sends more than one reading between two commits,
     * then cost one changelog record per store instead of one each; what a step reads is the same.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> cached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled();
    }

    public static Topology build(ProcessorSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(Topics.THRESHOLDS.name(), consumed(Topics.THRESHOLDS, "thresholds-source"),
                Materialized.as(THRESHOLDS_STORE));
        builder.addStateStore(cached(SOURCE_RULE_STORE, StateSerdes.DEVICE_RULES));
        builder.addStateStore(cached(SOURCE_AGREEMENT_STORE, StateSerdes.SOURCE_AGREEMENT));
        builder.addStateStore(cached(PATIENT_EPISODE_STORE, StateSerdes.PATIENT_EPISODE));
        builder.addStateStore(cached(SIGNAL_STATE_STORE, StateSerdes.SIGNAL_STATE));
        builder.addStateStore(cached(QRS_STATE_STORE, StateSerdes.ECG_ANALYSIS));
        builder.addStateStore(cached(RHYTHM_STATE_STORE, StateSerdes.RHYTHM));
        builder.addStateStore(cached(SEQUENCE_STORE, StateSerdes.SEQUENCE_WINDOW));
        builder.addStateStore(cached(BEAT_RATE_STORE, StateSerdes.BEAT_RATE));
        builder.addStateStore(cached(REPORTED_RATE_STORE, StateSerdes.EPOCH_MILLIS));
        builder.addStateStore(cached(ENDED_MONITORING_STORE, StateSerdes.ENDED_MONITORING));
        builder.addStateStore(cached(UNANALYSED_STORE, StateSerdes.UNANALYSED));

        KStream<String, VitalSigns> vitals = builder.stream(Topics.VITALS.name(),
                consumed(Topics.VITALS, "vitals-source").withTimestampExtractor(new DeviceTimeExtractor()))
                .processValues(() -> new MonitoredSourceFilter<VitalSigns>("vitals", VitalSigns::getDeviceId,
                        VitalSigns::getReceivedAt), Named.as("drop-ended-vitals"), ENDED_MONITORING_STORE)
                .processValues(() -> new DeduplicateProcessor<VitalSigns>("vitals", VitalSigns::getDeviceId,
                        VitalSigns::getSequence), Named.as("deduplicate-vitals"), SEQUENCE_STORE);

        KStream<String, EcgSegment> ecg = builder.stream(Topics.ECG.name(),
                consumed(Topics.ECG, "ecg-source").withTimestampExtractor(new DeviceTimeExtractor()))
                .processValues(() -> new MonitoredSourceFilter<EcgSegment>("ecg", EcgSegment::getDeviceId,
                        EcgSegment::getReceivedAt), Named.as("drop-ended-ecg"), ENDED_MONITORING_STORE)
                .processValues(() -> new DeduplicateProcessor<EcgSegment>("ecg", EcgSegment::getDeviceId,
                        EcgSegment::getSequence), Named.as("deduplicate-ecg"), SEQUENCE_STORE);

        SustainedBreachDetector detector = new SustainedBreachDetector(
                settings.thresholds().sustain(), settings.clearAfter());
        SourceAgreement agreement = new SourceAgreement(settings.agreement(), settings.clearAfter());
        KStream<String, SourceFinding> thresholdFindings = vitals.process(
                () -> new ThresholdProcessor(settings.thresholds(), detector, agreement),
                Named.as("evaluate-thresholds"), SOURCE_RULE_STORE, SOURCE_AGREEMENT_STORE, REPORTED_RATE_STORE);
        SignalLossMonitor monitor = new SignalLossMonitor(settings.signalLossTimeout());
        KStream<String, SourceFinding> signalFindings = vitals.mapValues(VitalSigns::getDeviceId, Named.as("vitals-arrivals"))
                .merge(ecg.mapValues(EcgSegment::getDeviceId, Named.as("ecg-arrivals")), Named.as("arrivals"))
                .process(() -> new SignalLossProcessor(monitor, settings.signalCheckInterval(),
                        settings.signalLossTimeout()),
                        Named.as("watch-signal-loss"), SIGNAL_STATE_STORE);

        KStream<String, Beat> beats = ecg
                .processValues(EcgBeatProcessor::new, Named.as("detect-qrs"), QRS_STATE_STORE)
                .merge(vitals.flatMapValues(DeviceRrBeats::of, Named.as("device-rr-beats")), Named.as("merge-beats"));
        beats.to(Topics.BEATS.name(), produced(Topics.BEATS, "beats-sink"));
        RhythmMonitor rhythm = new RhythmMonitor(settings.pauseLimit(), settings.pauseQuietPeriod());
        KStream<String, SourceFinding> rhythmFindings = beats.process(() -> new RhythmProcessor(rhythm),
                Named.as("analyse-rhythm"), RHYTHM_STATE_STORE);
        KStream<String, SourceFinding> beatRateFindings = beats.process(
                () -> new BeatRateProcessor(settings.thresholds(), detector, agreement, settings.reportedRateHold()),
                Named.as("evaluate-beat-rate"), BEAT_RATE_STORE, REPORTED_RATE_STORE, SOURCE_RULE_STORE,
                SOURCE_AGREEMENT_STORE);

        // The minute of a patient's vitals and of their ECG beats' classes is one record, one store.
        vitals.groupByKey(Grouped.with("vitals-by-patient", Serdes.String(), Topics.VITALS.valueSerde()))
                .<MinuteAccumulator>cogroup((patientId, reading, minute) -> minute.add(reading))
                .cogroup(beats.filter((patientId, beat) -> beat.getBeatClass() != null, Named.as("classified-beats"))
                                .groupByKey(Grouped.with("beats-by-patient", Serdes.String(), Topics.BEATS.valueSerde())),
                        (patientId, beat, minute) -> minute.add(beat))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), settings.minuteGrace()))
                .aggregate(MinuteAccumulator::new, Named.as("aggregate-vitals-per-minute"),
                        Materialized.<String, MinuteAccumulator, org.apache.kafka.streams.state.WindowStore<
                                org.apache.kafka.common.utils.Bytes, byte[]>>as(MINUTE_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(StateSerdes.MINUTE))
                // One record per closed minute, not one per reading.
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("await-minute-close"))
                .toStream(Named.as("closed-minutes"))
                .map((window, minute) -> KeyValue.pair(window.key(),
                        minute.toMinute(window.key(), window.window().startTime())), Named.as("to-vitals-minute"))
                .processValues(ErasedPatientFilter::new, Named.as("drop-erased-minutes"), ENDED_MONITORING_STORE)
                .to(Topics.VITALS_1M.name(), produced(Topics.VITALS_1M, "vitals-minute-sink"));

        KStream<String, SourceFinding> unanalysedFindings = builder.stream(Topics.DEAD_LETTERS.name(),
                consumed(Topics.DEAD_LETTERS, "dead-letters-source"))
                .processValues(ErasedPatientFilter::new, Named.as("drop-erased-dead-letters"), ENDED_MONITORING_STORE)
                .process(() -> new UnanalysedRecordsProcessor(new UnanalysedRecords(settings.unanalysedClearAfter()),
                        settings.signalCheckInterval()), Named.as("watch-unanalysed-records"), UNANALYSED_STORE);

        // After the minutes' aggregation: the end of monitoring deletes an erased patient's open minutes too.
        List<String> endedStores = new ArrayList<>(MonitoringEndProcessor.SOURCE_STORES);
        endedStores.addAll(List.of(SOURCE_AGREEMENT_STORE, PATIENT_EPISODE_STORE, ENDED_MONITORING_STORE, MINUTE_STORE));
        KStream<String, Alert> endedAlerts = builder.stream(Topics.MONITORING_ENDS.name(),
                consumed(Topics.MONITORING_ENDS, "monitoring-ends-source"))
                .process(() -> new MonitoringEndProcessor(settings.endedRetention()), Named.as("end-monitoring"),
                        endedStores.toArray(String[]::new));

        thresholdFindings.merge(signalFindings, Named.as("merge-findings"))
                .merge(rhythmFindings, Named.as("merge-rhythm-findings"))
                .merge(beatRateFindings, Named.as("merge-beat-rate-findings"))
                .merge(unanalysedFindings, Named.as("merge-unanalysed-findings"))
                .process(EpisodeProcessor::new, Named.as("fold-patient-episodes"), PATIENT_EPISODE_STORE)
                .merge(endedAlerts, Named.as("merge-ended-alerts"))
                .to(Topics.ALERTS.name(), produced(Topics.ALERTS, "alerts-sink"));
        return builder.build();
    }

    /** The key of state kept per patient and device (device ids never hold '|': DeviceTopic). */
    static String deviceKey(String patientId, String deviceId) {
        return patientId + "|" + deviceId;
    }

    /** The patient of a {@link #deviceKey}. */
    static String patientOf(String deviceKey) {
        return deviceKey.substring(0, deviceKey.lastIndexOf('|'));
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
