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
 * The state of each patient's threshold rules, one entry per patient and alert kind. Every value
 * a rule sees goes through here, whether a device reported it or it was derived from beats, so
 * one episode stays one alert.
 */
final class RuleStates {

    private final KeyValueStore<String, BreachState> states;
    private final SustainedBreachDetector detector;

    RuleStates(KeyValueStore<String, BreachState> states, SustainedBreachDetector detector) {
        this.states = states;
        this.detector = detector;
    }

    /** Evaluates one value against one rule of the patient and keeps the rule's new state. */
    Optional<Finding> evaluate(String patientId, ThresholdRule rule, Duration sustain, Instant at, double value) {
        String key = patientId + "|" + rule.kind();
        BreachState previous = states.get(key);
        SustainedBreachDetector.Step step = detector.evaluate(rule, sustain,
                previous == null ? BreachState.INITIAL : previous, at, value);
        if (!step.state().equals(previous)) {
            states.put(key, step.state());
        }
        return step.finding();
    }
}
