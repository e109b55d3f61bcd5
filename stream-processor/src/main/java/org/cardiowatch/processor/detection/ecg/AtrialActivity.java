package org.cardiowatch.processor.detection.ecg;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Whether a beat has a P wave before it: the ECG from {@value #P_FROM_SECONDS} s to
 * {@value #P_TO_SECONDS} s before its R peak (where a P wave is, the PR interval being 120 to
 * 200 ms), its straight line between its ends taken away, correlates at
 * {@value #SAME_P_CORRELATION} or more with the previous beat's and reaches {@value #MIN_P_SHARE}
 * of the QRS's height. In sinus rhythm successive P waves look alike; in atrial fibrillation the
 * fibrillatory waves do not. Fixed on the MIT-BIH development half ({@code AtrialActivityEvaluation}).
 */
final class AtrialActivity {

    static final double P_FROM_SECONDS = 0.25;
    static final double P_TO_SECONDS = 0.08;
    static final double SAME_P_CORRELATION = 0.5;
    static final double MIN_P_SHARE = 0.04;
    /** The stretch must lie after the previous beat's T wave. */
    static final double MIN_INTERVAL_SECONDS = 0.65;
    static final double PEAK_SEARCH_SECONDS = 0.05;

    private final double sampleRateHz;
    private final int from;
    private final int to;
    private final int search;
    private float[] previous;
    private long previousR = Long.MIN_VALUE;

    AtrialActivity(double sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        this.from = (int) Math.round(P_FROM_SECONDS * sampleRateHz);
        this.to = (int) Math.round(P_TO_SECONDS * sampleRateHz);
        this.search = (int) Math.round(PEAK_SEARCH_SECONDS * sampleRateHz);
    }

    /** How many samples before the detector's R mark the window handed to {@link #check} starts. */
    int windowBefore() {
        return from + search;
    }

    /** How many samples after the detector's R mark the window ends. */
    int windowAfter() {
        return search;
    }

    /**
     * @param window the filtered ECG from {@link #windowBefore()} samples before the detector's
     *     mark {@code r} to {@link #windowAfter()} after it, or null when it is no longer at hand
     * @return whether the beat has a P wave like the previous beat's; null when it cannot be told
     */
    Boolean check(long r, float[] window) {
        if (window == null) {
            previous = null;
            previousR = Long.MIN_VALUE;
            return null;
        }
        int peak = peak(window, windowBefore());
        long peakR = r - windowBefore() + peak;
        float[] stretch = detrended(window, peak - from, peak - to);
        boolean room = previousR == Long.MIN_VALUE || peakR - previousR >= MIN_INTERVAL_SECONDS * sampleRateHz;
        Boolean present = null;
        if (room && previous != null) {
            double qrsHeight = Signals.range(window, Math.max(0, peak - search),
                    Math.min(window.length - 1, peak + search));
            double likePrevious = Signals.correlation(stretch, 0, previous, 0, Math.min(stretch.length, previous.length));
            present = likePrevious >= SAME_P_CORRELATION
                    && Signals.range(stretch, 0, stretch.length - 1) >= MIN_P_SHARE * qrsHeight;
        } else if (!room) {
            present = false;
        }
        previous = room ? stretch : null;
        previousR = peakR;
        return present;
    }

    /** The R peak near the mark: the largest deviation from the window's mean around it. */
    private int peak(float[] window, int mark) {
        int lo = Math.max(0, mark - search);
        int hi = Math.min(window.length - 1, mark + search);
        double mean = 0;
        for (int k = lo; k <= hi; k++) {
            mean += window[k];
        }
        mean /= hi - lo + 1;
        int best = mark;
        for (int k = lo; k <= hi; k++) {
            if (Math.abs(window[k] - mean) > Math.abs(window[best] - mean)) {
                best = k;
            }
        }
        // The P stretch must fit in the window before the peak found.
        return Math.max(best, from);
    }

    private static float[] detrended(float[] window, int from, int to) {
        int n = to - from + 1;
        double start = (window[from] + window[from + 1] + window[from + 2]) / 3.0;
        double end = (window[to] + window[to - 1] + window[to - 2]) / 3.0;
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = (float) (window[from + k] - (start + (end - start) * k / (n - 1)));
        }
        return out;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(previousR);
        out.writeShort(previous == null ? -1 : previous.length);
        if (previous != null) {
            for (float v : previous) {
                out.writeFloat(v);
            }
        }
    }

    void read(DataInput in) throws IOException {
        previousR = in.readLong();
        int n = in.readShort();
        previous = n < 0 ? null : new float[n];
        for (int k = 0; k < n; k++) {
            previous[k] = in.readFloat();
        }
    }
}
