package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.BeatEvidence;
import org.cardiowatch.processor.detection.BeatRate;
import org.cardiowatch.processor.detection.Measure;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.PatientThresholds;

/**
 * Bradycardia and tachycardia from the rate of a patient's beats, for patients whose devices
 * report no heart rate (an ECG-only monitor, a wearable sending RR intervals only). It feeds the
 * same rule state as a reported heart rate, and stays silent while a device has reported one
 * within {@code reportedRateHold}: two sources of one rate would otherwise raise two alerts for
 * one episode, or keep one open on their disagreement.
 */
final class BeatRateProcessor implements Processor<String, Beat, String, Alert> {

    private final ThresholdDefaults defaults;
    private final SustainedBreachDetector detector;
    private final Duration reportedRateHold;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, BeatRate> rates;
    private KeyValueStore<String, Long> reportedRates;
    private RuleStates rules;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    BeatRateProcessor(ThresholdDefaults defaults, SustainedBreachDetector detector, Duration reportedRateHold) {
        this.defaults = defaults;
        this.detector = detector;
        this.reportedRateHold = reportedRateHold;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.rates = context.getStateStore(ProcessorTopology.BEAT_RATE_STORE);
        this.reportedRates = context.getStateStore(ProcessorTopology.REPORTED_RATE_STORE);
        this.rules = new RuleStates(context.getStateStore(ProcessorTopology.THRESHOLD_STATE_STORE), detector);
        this.thresholds = context.getStateStore(ProcessorTopology.THRESHOLDS_STORE);
    }

    @Override
    public void process(Record<String, Beat> record) {
        String patientId = record.key();
        Beat beat = record.value();
        if (patientId == null || beat == null) {
            return;
        }
        BeatRate stored = rates.get(patientId);
        BeatRate rate = stored == null ? new BeatRate() : stored;
        BeatEvidence window = rate.accept(beat.getSource(), beat.getRPeakAt(), beat.getRrMillis());
        rates.put(patientId, rate);
        if (window == null || reportedRecently(patientId, beat.getRPeakAt())) {
            return;
        }
        PatientThresholds own = ThresholdProcessor.ownThresholds(thresholds, patientId);
        String note = "(median rate of the last " + window.count() + (beat.getSource() == BeatSource.ECG
                ? " ECG beats)" : " beats the device reported)");
        for (ThresholdRule rule : defaults.rulesFor(own)) {
            if (rule.measure() == Measure.HEART_RATE) {
                rules.evaluate(patientId, rule, defaults.sustainFor(own), beat.getRPeakAt(), window.rateBpm())
                        .ifPresent(finding -> context.forward(new Record<>(patientId,
                                AlertFactory.toAlert(patientId, beat.getDeviceId(), finding.restingOn(window, note)),
                                finding.at().toEpochMilli())));
            }
        }
    }

    private boolean reportedRecently(String patientId, Instant at) {
        Long reportedAt = reportedRates.get(patientId);
        return reportedAt != null && reportedAt >= at.minus(reportedRateHold).toEpochMilli();
    }
}
