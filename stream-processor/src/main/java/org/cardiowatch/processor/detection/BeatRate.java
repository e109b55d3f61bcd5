package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.cardiowatch.schemas.avro.BeatSource;

/**
 * The heart rate from one patient's beats, per source (ECG, a wearable's RR intervals): 60 s over
 * the median of the last {@value #INTERVALS} RR intervals, so one ectopic beat, one missed or one
 * extra detection does not move it. A beat without an interval (the first after a gap in the
 * recording) starts the source's window again; a beat not after the source's last one is ignored.
 */
public final class BeatRate {

    /** Intervals in the window: about 7 s at 75 bpm, 4 s at 150, 15 s at 35. */
    public static final int INTERVALS = 9;

    private final Window[] windows = new Window[BeatSource.values().length];

    /**
     * Takes one beat.
     *
     * @param rrMillis interval from the source's previous beat, null after a gap
     * @return the window ending on this beat (its rate, first and last beat) once it holds
     *         {@value #INTERVALS} intervals; null before that
     */
    public BeatEvidence accept(BeatSource source, Instant at, Integer rrMillis) {
        int slot = source.ordinal();
        if (windows[slot] == null) {
            windows[slot] = new Window();
        }
        return windows[slot].accept(at.toEpochMilli(), rrMillis);
    }

    public void write(DataOutput out) throws IOException {
        for (Window window : windows) {
            out.writeBoolean(window != null);
            if (window != null) {
                window.write(out);
            }
        }
    }

    public static BeatRate read(DataInput in) throws IOException {
        BeatRate rate = new BeatRate();
        for (int i = 0; i < rate.windows.length; i++) {
            rate.windows[i] = in.readBoolean() ? Window.read(in) : null;
        }
        return rate;
    }

    /** The last intervals of one source, in a ring. */
    private static final class Window {
        private final int[] intervals = new int[INTERVALS];
        private int filled;
        private int next;
        private long lastBeatAt = Long.MIN_VALUE;

        BeatEvidence accept(long at, Integer rrMillis) {
            if (at <= lastBeatAt) {
                return null;
            }
            lastBeatAt = at;
            if (rrMillis == null || rrMillis <= 0) {
                filled = 0;
                return null;
            }
            intervals[next] = rrMillis;
            next = (next + 1) % INTERVALS;
            filled = Math.min(INTERVALS, filled + 1);
            if (filled < INTERVALS) {
                return null;
            }
            int[] sorted = intervals.clone();
            Arrays.sort(sorted);
            // Beat times are the running sum of the intervals (ECG and wearable alike), so the window's first beat is this far back.
            long span = Arrays.stream(intervals).asLongStream().sum();
            return new BeatEvidence(Instant.ofEpochMilli(at - span), Instant.ofEpochMilli(at), INTERVALS + 1,
                    60_000.0 / sorted[INTERVALS / 2], null);
        }

        void write(DataOutput out) throws IOException {
            out.writeLong(lastBeatAt);
            out.writeByte(filled);
            out.writeByte(next);
            for (int interval : intervals) {
                out.writeInt(interval);
            }
        }

        static Window read(DataInput in) throws IOException {
            Window window = new Window();
            window.lastBeatAt = in.readLong();
            window.filled = in.readByte();
            window.next = in.readByte();
            for (int i = 0; i < INTERVALS; i++) {
                window.intervals[i] = in.readInt();
            }
            return window;
        }
    }
}
