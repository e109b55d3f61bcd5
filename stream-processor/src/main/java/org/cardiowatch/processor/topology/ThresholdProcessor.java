package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.OptionalDouble;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.BreachState;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.VitalSigns;

/** Runs every threshold rule of a patient over each reading; the state of each rule lives in a store. */
final class ThresholdProcessor implements Processor<String, VitalSigns, String, Alert> {

    private final ThresholdDefaults defaults;
    private final SustainedBreachDetector detector;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, BreachState> states;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    ThresholdProcessor(ThresholdDefaults defaults, SustainedBreachDetector detector) {
        this.defaults = defaults;
        this.detector = detector;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.THRESHOLD_STATE_STORE);
        this.thresholds = context.getStateStore(ProcessorTopology.THRESHOLDS_STORE);
    }

    @Override
    public void process(Record<String, VitalSigns> record) {
        String patientId = record.key();
        VitalSigns reading = record.value();
        if (patientId == null || reading == null) {
            return;
        }
        ValueAndTimestamp<PatientThresholds> stored = thresholds.get(patientId);
        PatientThresholds own = stored == null ? null : stored.value();
        Instant at = reading.getMeasuredAt();
        for (ThresholdRule rule : defaults.rulesFor(own)) {
            OptionalDouble value = rule.measure().in(reading);
            if (value.isEmpty()) {
                continue;
            }
            String stateKey = patientId + "|" + rule.kind();
            BreachState previous = states.get(stateKey);
            SustainedBreachDetector.Step step = detector.evaluate(rule, defaults.sustainFor(own),
                    previous == null ? BreachState.INITIAL : previous, at, value.getAsDouble());
            if (!step.state().equals(previous)) {
                states.put(stateKey, step.state());
            }
            step.finding().ifPresent(finding -> context.forward(new Record<>(patientId,
                    AlertFactory.toAlert(patientId, reading.getDeviceId(), finding), finding.at().toEpochMilli())));
        }
    }
}
