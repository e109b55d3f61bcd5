package org.cardiowatch.processor.detection.rhythm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Runs of ventricular beats and the tachycardia episode they make: {@value #RUN_BEATS} or more of them in a row, every interval
 * {@value #LONGEST_RR_MS} ms or less (100 bpm), open the episode; a run lasting {@link #SUSTAINED}
 * makes it sustained; no such run for {@link #QUIET} ends it. One episode, however many salvos.
 */
final class TachycardiaRun {

    static final int RUN_BEATS = 3;
    static final int LONGEST_RR_MS = 600;
    static final Duration SUSTAINED = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofSeconds(60);

    /** The run going on. */
    int beats;
    Instant start;
    long rrSum;
    /** The episode open, its last run's last beat, its longest run, whether a run was sustained. */
    Instant onset;
    Instant last;
    int longest;
    boolean sustained;

    /** The episode's lifecycle change this beat makes (it ends before a new one begins), or null. */
    AlertState resolveIfQuiet(Instant at) {
        if (onset != null && Duration.between(last, at).compareTo(QUIET) >= 0) {
            return AlertState.RESOLVED;
        }
        return null;
    }

    void endEpisode() {
        onset = null;
        last = null;
        longest = 0;
        sustained = false;
    }

    /**
     * Takes one beat, of this run's origin or not.
     *
     * @return OPEN when the beat makes the first run of an episode, UPDATED when it makes a run
     *     sustained, else null
     */
    AlertState accept(Instant at, Integer rrMillis, boolean ventricular) {
        if (!ventricular) {
            beats = 0;
            return null;
        }
        if (beats > 0 && rrMillis != null && rrMillis > 0 && rrMillis <= LONGEST_RR_MS) {
            beats++;
            rrSum += rrMillis;
        } else {
            beats = 1;
            start = at;
            rrSum = 0;
        }
        if (beats < RUN_BEATS) {
            return null;
        }
        last = at;
        longest = Math.max(longest, beats);
        if (onset == null) {
            onset = start;
            return AlertState.OPEN;
        }
        if (!sustained && Duration.between(start, at).compareTo(SUSTAINED) >= 0) {
            sustained = true;
            return AlertState.UPDATED;
        }
        return null;
    }

    /** The run's rate, from its intervals. */
    double rateBpm() {
        return beats < 2 || rrSum == 0 ? 0 : 60_000.0 * (beats - 1) / rrSum;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(beats);
        writeInstant(out, start);
        out.writeLong(rrSum);
        writeInstant(out, onset);
        writeInstant(out, last);
        out.writeInt(longest);
        out.writeBoolean(sustained);
    }

    static TachycardiaRun read(DataInput in) throws IOException {
        TachycardiaRun run = new TachycardiaRun();
        run.beats = in.readInt();
        run.start = readInstant(in);
        run.rrSum = in.readLong();
        run.onset = readInstant(in);
        run.last = readInstant(in);
        run.longest = in.readInt();
        run.sustained = in.readBoolean();
        return run;
    }

    private static void writeInstant(DataOutput out, Instant instant) throws IOException {
        out.writeLong(instant == null ? Long.MIN_VALUE : instant.toEpochMilli());
    }

    private static Instant readInstant(DataInput in) throws IOException {
        long millis = in.readLong();
        return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }
}
