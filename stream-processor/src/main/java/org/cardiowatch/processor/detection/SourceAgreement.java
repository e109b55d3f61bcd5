package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Notices when two devices of a patient report one measure differently for a sustained time: a
 * wrist wearable at 150 bpm beside a chest patch at 64 means one of them is wrong or misplaced.
 * That is a technical notice for the care team (INFO, not escalated), never a clinical alarm:
 * each device's own rules still run on its own signal.
 *
 * <p>The spread is the largest minus the smallest of the sources' latest values, counting only
 * values within {@code freshness} of each other; it goes through the same sustained-breach logic
 * as a threshold rule, with the measure's tolerance as the limit and half of it as hysteresis.
 */
public final class SourceAgreement {

    /**
     * @param heartRateBpm how far two heart rates may differ
     * @param spo2Percent how far two SpO2 readings may differ
     * @param systolicMmHg how far two systolic pressures may differ
     * @param sustain how long a disagreement lasts before the notice opens
     * @param freshness how long a source's latest value counts beside the others'
     */
    public record Limits(double heartRateBpm, double spo2Percent, double systolicMmHg, Duration sustain,
            Duration freshness) {

        public static final Limits DEFAULT = new Limits(20, 4, 20, Duration.ofSeconds(60), Duration.ofSeconds(15));

        double toleranceOf(Measure measure) {
            return switch (measure) {
                case HEART_RATE -> heartRateBpm;
                case SPO2 -> spo2Percent;
                case SYSTOLIC -> systolicMmHg;
            };
        }
    }

    private final Limits limits;
    private final SustainedBreachDetector detector;

    public SourceAgreement(Limits limits, Duration clearAfter) {
        this.limits = limits;
        this.detector = new SustainedBreachDetector(limits.sustain(), clearAfter);
    }

    /** One patient's latest value of one measure per source, and the spread's breach state. */
    public static final class State {
        private final Map<String, Latest> latest = new LinkedHashMap<>();
        private BreachState spread = BreachState.INITIAL;

        public void write(DataOutput out) throws IOException {
            out.writeShort(latest.size());
            for (Map.Entry<String, Latest> entry : latest.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeDouble(entry.getValue().value());
                out.writeLong(entry.getValue().atMillis());
            }
            BreachState.write(out, spread);
        }

        public static State read(DataInput in) throws IOException {
            State state = new State();
            for (int i = in.readShort(); i > 0; i--) {
                state.latest.put(in.readUTF(), new Latest(in.readDouble(), in.readLong()));
            }
            state.spread = BreachState.read(in);
            return state;
        }
    }

    private record Latest(double value, long atMillis) {
    }

    /**
     * Takes one source's value of a measure.
     *
     * @return the change of the patient's disagreement notice on this measure, if any
     */
    public Optional<SourceFinding> onValue(State state, Measure measure, String source, Instant at, double value) {
        long now = at.toEpochMilli();
        long fresh = limits.freshness().toMillis();
        state.latest.put(source, new Latest(value, now));
        // Values older than the freshness window can never count again: dropping them bounds the
        // state by the devices sending at the moment.
        for (Iterator<Latest> it = state.latest.values().iterator(); it.hasNext(); ) {
            if (it.next().atMillis() < now - fresh) {
                it.remove();
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int counted = 0;
        for (Latest latest : state.latest.values()) {
            if (Math.abs(latest.atMillis() - now) <= fresh) {
                min = Math.min(min, latest.value());
                max = Math.max(max, latest.value());
                counted++;
            }
        }
        // One source alone agrees with itself.
        double spread = counted < 2 ? 0 : max - min;
        double tolerance = limits.toleranceOf(measure);
        ThresholdRule rule = new ThresholdRule(AlertKind.SOURCE_DISAGREEMENT, measure, ThresholdRule.Direction.ABOVE,
                tolerance, tolerance / 2, AlertSeverity.INFO);
        SustainedBreachDetector.Step step = detector.evaluate(rule, state.spread, at, spread);
        state.spread = step.state();
        return step.finding().map(finding -> new SourceFinding(measure.field(), null,
                finding.withSummary(summary(finding, measure, tolerance, state))));
    }

    private static String summary(Finding finding, Measure measure, double tolerance, State state) {
        if (finding.state() == AlertState.RESOLVED) {
            return measure.field() + " agrees between devices within " + ThresholdRule.format(tolerance) + " "
                    + measure.unit() + " again";
        }
        String values = state.latest.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.0f", e.getValue().value()))
                .collect(Collectors.joining(", "));
        return measure.field() + " differs between devices by " + String.format(Locale.ROOT, "%.0f", finding.lastValue())
                + " " + measure.unit() + " (more than " + ThresholdRule.format(tolerance) + "): " + values;
    }
}
