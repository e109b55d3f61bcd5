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
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * Runs every threshold rule of a patient over each reading; the state of each rule lives in a
 * store. Notes when a patient's device last reported a heart rate, which then takes precedence
 * over the rate from beats ({@link BeatRateProcessor}).
 */
final class ThresholdProcessor implements Processor<String, VitalSigns, String, Alert> {

    private final ThresholdDefaults defaults;
    private final SustainedBreachDetector detector;
    private ProcessorContext<String, Alert> context;
    private RuleStates rules;
    private KeyValueStore<String, Long> reportedRates;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    ThresholdProcessor(ThresholdDefaults defaults, SustainedBreachDetector detector) {
        this.defaults = defaults;
        this.detector = detector;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.rules = new RuleStates(context.getStateStore(ProcessorTopology.THRESHOLD_STATE_STORE), detector);
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
        if (reading.getHeartRateBpm() != null) {
            reportedRates.put(patientId, at.toEpochMilli());
        }
        PatientThresholds own = ownThresholds(thresholds, patientId);
        Duration sustain = defaults.sustainFor(own);
        for (ThresholdRule rule : defaults.rulesFor(own)) {
            OptionalDouble value = rule.measure().in(reading);
            if (value.isPresent()) {
                rules.evaluate(patientId, rule, sustain, at, value.getAsDouble()).ifPresent(finding -> context.forward(
                        new Record<>(patientId, AlertFactory.toAlert(patientId, reading.getDeviceId(), finding),
                                finding.at().toEpochMilli())));
            }
        }
    }

    /** The limits the patient's physician set, or null. */
    static PatientThresholds ownThresholds(TimestampedKeyValueStore<String, PatientThresholds> store, String patientId) {
        ValueAndTimestamp<PatientThresholds> stored = store.get(patientId);
        return stored == null ? null : stored.value();
    }
}
