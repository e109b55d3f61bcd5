package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.cardiowatch.processor.detection.BeatEvidence;
import org.cardiowatch.processor.detection.BeatRate;
import org.cardiowatch.processor.detection.Measure;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.PatientThresholds;

/**
 * Bradycardia and tachycardia from the rate of each device's beats, for devices that report no
 * heart rate (an ECG patch, a wearable sending RR intervals only). A device's rate from beats
 * feeds the same rule state as the rate it reports, and stays silent while the device has
 * reported one within {@code reportedRateHold}: one device's two readings of one rate would
 * otherwise keep one episode open on their jitter. Another device's rate is another signal,
 * evaluated on its own and compared with this one.
 */
final class BeatRateProcessor implements Processor<String, Beat, String, SourceFinding> {

    private final ThresholdDefaults defaults;
    private final SustainedBreachDetector detector;
    private final SourceAgreement agreement;
    private final Duration reportedRateHold;
    private ProcessorContext<String, SourceFinding> context;
    private KeyValueStore<String, BeatRate> rates;
    private KeyValueStore<String, Long> reportedRates;
    private RuleStates rules;
    private SourceAgreements agreements;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    BeatRateProcessor(ThresholdDefaults defaults, SustainedBreachDetector detector, SourceAgreement agreement,
            Duration reportedRateHold) {
        this.defaults = defaults;
        this.detector = detector;
        this.agreement = agreement;
        this.reportedRateHold = reportedRateHold;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.rates = context.getStateStore(ProcessorTopology.BEAT_RATE_STORE);
        this.reportedRates = context.getStateStore(ProcessorTopology.REPORTED_RATE_STORE);
        this.rules = new RuleStates(context.getStateStore(ProcessorTopology.SOURCE_RULE_STORE), detector);
        this.agreements = new SourceAgreements(context.getStateStore(ProcessorTopology.SOURCE_AGREEMENT_STORE), agreement);
        this.thresholds = context.getStateStore(ProcessorTopology.THRESHOLDS_STORE);
    }

    @Override
    public void process(Record<String, Beat> record) {
        String patientId = record.key();
        Beat beat = record.value();
        if (patientId == null || beat == null) {
            return;
        }
        String device = beat.getDeviceId();
        String key = ProcessorTopology.deviceKey(patientId, device);
        BeatRate stored = rates.get(key);
        BeatRate rate = stored == null ? new BeatRate() : stored;
        BeatEvidence window = rate.accept(beat.getSource(), beat.getRPeakAt(), beat.getRrMillis());
        rates.put(key, rate);
        if (window == null || reportedRecently(key, beat.getRPeakAt())) {
            return;
        }
        PatientThresholds own = ThresholdProcessor.ownThresholds(thresholds, patientId);
        String note = "(median rate of the last " + window.count() + (beat.getSource() == BeatSource.ECG
                ? " ECG beats)" : " beats the device reported)");
        RuleStates.Device deviceRules = rules.of(patientId, device);
        for (ThresholdRule rule : defaults.rulesFor(own)) {
            if (rule.measure() == Measure.HEART_RATE) {
                deviceRules.evaluate(rule, defaults.sustainFor(own), beat.getRPeakAt(), window.rateBpm())
                        .ifPresent(finding -> forward(patientId,
                                SourceFinding.ofDevice(device, finding.restingOn(window, note))));
            }
        }
        deviceRules.save();
        agreements.observe(patientId, Measure.HEART_RATE, device, beat.getRPeakAt(), window.rateBpm())
                .ifPresent(finding -> forward(patientId, finding));
    }

    private void forward(String patientId, SourceFinding finding) {
        context.forward(new Record<>(patientId, finding, finding.finding().at().toEpochMilli()));
    }

    private boolean reportedRecently(String deviceKey, Instant at) {
        Long reportedAt = reportedRates.get(deviceKey);
        return reportedAt != null && reportedAt >= at.minus(reportedRateHold).toEpochMilli();
    }
}
