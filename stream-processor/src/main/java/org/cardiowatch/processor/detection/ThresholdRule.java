package org.cardiowatch.processor.detection;

import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;

/**
 * One limit on one measure: breached beyond {@code limit}, cleared only once back inside by
 * {@code hysteresis}, so a value hovering at the limit does not open and resolve alerts in turn.
 */
public record ThresholdRule(AlertKind kind, Measure measure, Direction direction, double limit, double hysteresis,
        AlertSeverity severity) {

    /** Which side of the limit is the dangerous one. */
    public enum Direction {
        ABOVE, BELOW
    }

    public ThresholdRule {
        if (hysteresis < 0) {
            throw new IllegalArgumentException("hysteresis must not be negative");
        }
    }

    public boolean isBreachedBy(double value) {
        return direction == Direction.ABOVE ? value > limit : value < limit;
    }

    public boolean isClearedBy(double value) {
        return direction == Direction.ABOVE ? value <= limit - hysteresis : value >= limit + hysteresis;
    }

    /** Whether {@code candidate} is further on the dangerous side than {@code worst}. */
    public boolean isWorse(double candidate, double worst) {
        return direction == Direction.ABOVE ? candidate > worst : candidate < worst;
    }

    /**
     * Whether {@code candidate} lies a whole hysteresis step further beyond the limit than
     * {@code worst} (steps counted from the limit): an open alert is updated when the patient gets
     * meaningfully worse, not at every bpm a measured rate jitters by.
     */
    public boolean isWorseByAStep(double candidate, double worst) {
        if (hysteresis == 0) {
            return isWorse(candidate, worst);
        }
        return stepsBeyond(candidate) > stepsBeyond(worst);
    }

    private long stepsBeyond(double value) {
        return (long) Math.floor(Math.abs(value - limit) / hysteresis);
    }

    public String describe() {
        return measure.field() + (direction == Direction.ABOVE ? " above " : " below ") + format(limit) + " " + measure.unit();
    }

    static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
