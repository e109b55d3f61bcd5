package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.BreachState;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdRule;

/**
 * The state of each threshold rule on each of a patient's devices, one entry per patient, device
 * and alert kind: a device's readings are never interleaved with another device's. A device's
 * reported rate and its rate from beats go through the same entry (one is used at a time), so an
 * episode on one device stays one episode when it stops reporting a rate.
 */
final class RuleStates {

    private final KeyValueStore<String, BreachState> states;
    private final SustainedBreachDetector detector;

    RuleStates(KeyValueStore<String, BreachState> states, SustainedBreachDetector detector) {
        this.states = states;
        this.detector = detector;
    }

    /** Evaluates one value of one device against one rule of the patient and keeps the rule's new state. */
    Optional<Finding> evaluate(String patientId, String deviceId, ThresholdRule rule, Duration sustain, Instant at,
            double value) {
        String key = ProcessorTopology.deviceKey(patientId, deviceId) + "|" + rule.kind();
        BreachState previous = states.get(key);
        SustainedBreachDetector.Step step = detector.evaluate(rule, sustain,
                previous == null ? BreachState.INITIAL : previous, at, value);
        if (!step.state().equals(previous)) {
            states.put(key, step.state());
        }
        return step.finding();
    }
}
