package org.cardiowatch.processor.detection;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Opens an alert when a measure stays beyond its limit for the sustain duration, updates it when
 * the value gets worse by another hysteresis step (not at every jitter of a measured rate), and
 * resolves it when the measure has stayed back inside the limit by the hysteresis for the clear
 * duration. A short spike opens nothing.
 *
 * <p>Readings are evaluated in event-time order per patient: a reading older than the last one
 * evaluated (late or out of order) is skipped, because a rule about "sustained" cannot be revised
 * backwards once an alert went out.
 */
public final class SustainedBreachDetector {

    private final Duration sustain;
    private final Duration clearAfter;

    public SustainedBreachDetector(Duration sustain, Duration clearAfter) {
        this.sustain = sustain;
        this.clearAfter = clearAfter;
    }

    /** The state after a reading, and the finding to publish, if any. */
    public record Step(BreachState state, Optional<Finding> finding) {
    }

    public Step evaluate(ThresholdRule rule, BreachState previous, Instant at, double value) {
        return evaluate(rule, sustain, previous, at, value);
    }

    /** As {@link #evaluate(ThresholdRule, BreachState, Instant, double)} with a patient's own sustain duration. */
    public Step evaluate(ThresholdRule rule, Duration sustainFor, BreachState previous, Instant at, double value) {
        if (!at.isAfter(previous.lastSeen())) {
            return new Step(previous, Optional.empty());
        }
        return previous.isOpen() ? whileOpen(rule, previous, at, value) : whileClosed(rule, sustainFor, previous, at, value);
    }

    private Step whileClosed(ThresholdRule rule, Duration sustainFor, BreachState previous, Instant at, double value) {
        if (!rule.isBreachedBy(value)) {
            return quiet(new BreachState(at, null, null, null, Double.NaN, null, value));
        }
        Instant since = previous.breachSince() != null ? previous.breachSince() : at;
        boolean newWorst = previous.breachSince() == null || rule.isWorse(value, previous.worst());
        double worst = newWorst ? value : previous.worst();
        Instant worstAt = newWorst ? at : previous.worstAt();
        if (Duration.between(since, at).compareTo(sustainFor) < 0) {
            return quiet(new BreachState(at, since, null, null, worst, worstAt, value));
        }
        BreachState open = new BreachState(at, since, since, null, worst, worstAt, value);
        return new Step(open, Optional.of(finding(rule, AlertState.OPEN, open, at,
                rule.describe() + " for " + seconds(Duration.between(since, at)))));
    }

    private Step whileOpen(ThresholdRule rule, BreachState previous, Instant at, double value) {
        if (rule.isClearedBy(value)) {
            Instant clearing = previous.clearSince() != null ? previous.clearSince() : at;
            if (Duration.between(clearing, at).compareTo(clearAfter) >= 0) {
                BreachState resolved = new BreachState(previous.openedAt(), null, previous.openedAt(), null,
                        previous.worst(), previous.worstAt(), value);
                Finding finding = finding(rule, AlertState.RESOLVED, resolved, at,
                        rule.measure().field() + " back within limits for " + seconds(Duration.between(clearing, at)));
                return new Step(new BreachState(at, null, null, null, Double.NaN, null, value), Optional.of(finding));
            }
            return quiet(new BreachState(at, previous.breachSince(), previous.openedAt(), clearing, previous.worst(),
                    previous.worstAt(), value));
        }
        if (rule.isBreachedBy(value) && rule.isWorse(value, previous.worst())) {
            BreachState worse = new BreachState(at, previous.breachSince(), previous.openedAt(), null, value, at, value);
            if (!rule.isWorseByAStep(value, previous.worst())) {
                return quiet(worse);
            }
            return new Step(worse, Optional.of(finding(rule, AlertState.UPDATED, worse, at,
                    rule.describe() + ", worse: " + ThresholdRule.format(value))));
        }
        return quiet(new BreachState(at, previous.breachSince(), previous.openedAt(), null, previous.worst(),
                previous.worstAt(), value));
    }

    private static Step quiet(BreachState state) {
        return new Step(state, Optional.empty());
    }

    private static Finding finding(ThresholdRule rule, AlertState state, BreachState breach, Instant at, String summary) {
        return new Finding(rule.kind(), rule.severity(), state, breach.openedAt(), at, summary, rule.measure().field(),
                rule.limit(), breach.last(), breach.worst(), null, breach.worstAt());
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }
}
