package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;

/**
 * What one rule remembers about one patient between readings; kept in a Kafka Streams store so a
 * restart resumes the episode instead of opening it again.
 *
 * @param lastSeen event time of the last reading evaluated (older readings are not evaluated)
 * @param breachSince first reading of the current run beyond the limit; null when inside
 * @param openedAt onset of the open alert; null when no alert is open
 * @param clearSince first reading of the current run back inside by the hysteresis; null otherwise
 * @param worst the most extreme value of the run or episode
 * @param worstAt event time of the reading that showed {@code worst}; null when none, or kept before this was
 * @param last the last value evaluated
 */
public record BreachState(Instant lastSeen, Instant breachSince, Instant openedAt, Instant clearSince,
        double worst, Instant worstAt, double last) {

    public static final BreachState INITIAL = new BreachState(Instant.EPOCH, null, null, null, Double.NaN, null,
            Double.NaN);

    public boolean isOpen() {
        return openedAt != null;
    }

    public static void write(DataOutput out, BreachState state) throws IOException {
        InstantIO.write(out, state.lastSeen());
        InstantIO.write(out, state.breachSince());
        InstantIO.write(out, state.openedAt());
        InstantIO.write(out, state.clearSince());
        out.writeDouble(state.worst());
        out.writeDouble(state.last());
        // Added with Alert v6, last, so a state written before ends where worstAt would start.
        InstantIO.write(out, state.worstAt());
    }

    public static BreachState read(DataInput in) throws IOException {
        Instant lastSeen = InstantIO.read(in);
        Instant breachSince = InstantIO.read(in);
        Instant openedAt = InstantIO.read(in);
        Instant clearSince = InstantIO.read(in);
        double worst = in.readDouble();
        double last = in.readDouble();
        Instant worstAt;
        try {
            worstAt = InstantIO.read(in);
        } catch (EOFException writtenBeforeWorstAt) {
            worstAt = null;
        }
        return new BreachState(lastSeen, breachSince, openedAt, clearSince, worst, worstAt, last);
    }
}
