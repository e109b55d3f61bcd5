package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.cardiowatch.processor.detection.Measure;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * Runs every threshold rule of a patient over each reading, on the sending device's own signal,
 * and compares the reading with the patient's other devices. Notes when each device last
 * reported a heart rate, which then takes precedence over that device's rate from beats
 * ({@link BeatRateProcessor}).
 */
final class ThresholdProcessor implements Processor<String, VitalSigns, String, SourceFinding> {

    private final ThresholdDefaults defaults;
    private final SustainedBreachDetector detector;
    private final SourceAgreement agreement;
    private ProcessorContext<String, SourceFinding> context;
    private RuleStates rules;
    private SourceAgreements agreements;
    private KeyValueStore<String, Long> reportedRates;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    ThresholdProcessor(ThresholdDefaults defaults, SustainedBreachDetector detector, SourceAgreement agreement) {
        this.defaults = defaults;
        this.detector = detector;
        this.agreement = agreement;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.rules = new RuleStates(context.getStateStore(ProcessorTopology.SOURCE_RULE_STORE), detector);
        this.agreements = new SourceAgreements(context.getStateStore(ProcessorTopology.SOURCE_AGREEMENT_STORE), agreement);
        this.reportedRates = context.getStateStore(ProcessorTopology.REPORTED_RATE_STORE);
        this.thresholds = context.getStateStore(ProcessorTopology.THRESHOLDS_STORE);
    }

    @Override
    public void process(Record<String, VitalSigns> record) {
        String patientId = record.key();
        VitalSigns reading = record.value();
        if (patientId == null || reading == null) {
            return;
        }
        Instant at = reading.getMeasuredAt();
        String device = reading.getDeviceId();
        if (reading.getHeartRateBpm() != null) {
            reportedRates.put(ProcessorTopology.deviceKey(patientId, device), at.toEpochMilli());
        }
        PatientThresholds own = ownThresholds(thresholds, patientId);
        Duration sustain = defaults.sustainFor(own);
        RuleStates.Device deviceRules = rules.of(patientId, device);
        for (ThresholdRule rule : defaults.rulesFor(own)) {
            OptionalDouble value = rule.measure().in(reading);
            if (value.isPresent()) {
                deviceRules.evaluate(rule, sustain, at, value.getAsDouble())
                        .ifPresent(finding -> forward(patientId, SourceFinding.ofDevice(device, finding)));
            }
        }
        deviceRules.save();
        for (Measure measure : Measure.values()) {
            OptionalDouble value = measure.in(reading);
            if (value.isPresent()) {
                agreements.observe(patientId, measure, device, at, value.getAsDouble())
                        .ifPresent(finding -> forward(patientId, finding));
            }
        }
    }

    private void forward(String patientId, SourceFinding finding) {
        context.forward(new Record<>(patientId, finding, finding.finding().at().toEpochMilli()));
    }

    /** The limits the patient's physician set, or null. */
    static PatientThresholds ownThresholds(TimestampedKeyValueStore<String, PatientThresholds> store, String patientId) {
        ValueAndTimestamp<PatientThresholds> stored = store.get(patientId);
        return stored == null ? null : stored.value();
    }
}
