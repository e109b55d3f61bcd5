package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * A patient some of whose records the processor could not analyse (set aside on cw.dead-letters):
 * a technical alert, so the care team knows the analysis may have missed something in that time
 * and can look at the raw data, rather than trusting a silence. It opens with the first record set
 * aside, is updated as the count reaches 10, 100, 1,000… (not on every record: state that cannot be
 * read fails each of the patient's records), and resolves once no record of the patient has been set
 * aside for {@code clearAfter}.
 */
public final class UnanalysedRecords {

    private static final String MISSED = "the analysis may have missed an event: ";

    private final Duration clearAfter;

    public UnanalysedRecords(Duration clearAfter) {
        this.clearAfter = clearAfter;
    }

    /**
     * @param since when the first record was set aside
     * @param last when the latest was
     * @param records how many were set aside since
     */
    public record State(Instant since, Instant last, long records) {

        public void write(DataOutput out) throws IOException {
            out.writeLong(since.toEpochMilli());
            out.writeLong(last.toEpochMilli());
            out.writeLong(records);
        }

        public static State read(DataInput in) throws IOException {
            return new State(Instant.ofEpochMilli(in.readLong()), Instant.ofEpochMilli(in.readLong()), in.readLong());
        }
    }

    /** @param state null once the alert resolved: nothing is kept */
    public record Step(State state, Optional<Finding> finding) {
    }

    /** One more record of the patient set aside at {@code at}. */
    public Step onSetAside(State previous, Instant at) {
        if (previous == null) {
            State first = new State(at, at, 1);
            return new Step(first, Optional.of(finding(AlertState.OPEN, first, at, MISSED + "1 record could not be analysed")));
        }
        State next = new State(previous.since(), at.isAfter(previous.last()) ? at : previous.last(),
                previous.records() + 1);
        if (!isPowerOfTen(next.records())) {
            return new Step(next, Optional.empty());
        }
        return new Step(next, Optional.of(finding(AlertState.UPDATED, next, at,
                MISSED + next.records() + " records could not be analysed")));
    }

    /** A periodic check: resolves once nothing was set aside for {@code clearAfter}. */
    public Step onTick(State state, Instant now) {
        if (Duration.between(state.last(), now).compareTo(clearAfter) < 0) {
            return new Step(state, Optional.empty());
        }
        return new Step(null, Optional.of(finding(AlertState.RESOLVED, state, now, state.records()
                + " records set aside (cw.dead-letters) from " + state.since() + " to " + state.last() + ", none in the "
                + clearAfter.toMinutes() + " min since;")));
    }

    private static boolean isPowerOfTen(long n) {
        long power = 1;
        while (power < n) {
            power *= 10;
        }
        return power == n;
    }

    private static Finding finding(AlertState state, State records, Instant at, String summary) {
        return new Finding(AlertKind.DATA_NOT_ANALYSED, AlertSeverity.WARNING, state, records.since(), at,
                summary,
                "records", null, (double) records.records(), (double) records.records());
    }
}
