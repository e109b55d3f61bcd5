package org.cardiowatch.processor.detection.rhythm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Atrial fibrillation from RR intervals alone, for one patient, beat by beat.
 *
 * <p>Over a sliding window of RR intervals, three measures must agree (after Dash et al. 2009,
 * with medians for robustness):
 * <ul>
 *   <li>irregularity: the median absolute difference of successive intervals relative to the
 *       median interval. A premature beat disturbs two differences, not the median; in AF most
 *       successive differences are large;</li>
 *   <li>randomness: the turning-point ratio of a random series is about 2/3; sinus arrhythmia
 *       (smooth) has fewer turning points, bigeminy (alternating) has one at every beat;</li>
 *   <li>spread: the Shannon entropy of the intervals' histogram; trigeminy and other repeating
 *       patterns fill few bins, AF fills many;</li>
 *   <li>irregular without its ectopy: sinus rhythm with frequent premature beats is irregular
 *       only through them. Intervals shorter than 90 % of the median (premature) and the longer
 *       one after each (compensatory) are set aside; the intervals left must still differ from
 *       one beat to the next as in AF;</li>
 *   <li>no repetition: bigeminy and trigeminy repeat every two or three beats (the intervals'
 *       autocorrelation at lag 2 to 4 is high); AF's intervals do not.</li>
 * </ul>
 * An episode opens once ten consecutive windows look like AF (one irregular stretch is not AF),
 * and ends with hysteresis; its onset is dated back to the start of the first such window.
 */
public final class AfDetector {

    /**
     * A change of the AF state. {@code at} is the episode's estimated onset or end (ms); the
     * decision rests on the window of beats from {@code windowStart} to {@code decidedAt}.
     */
    public record Transition(boolean atrialFibrillation, long at, long decidedAt, double irregularity,
            double rateBpm, long windowStart, int windowBeats) {
    }

    static final double MIN_TURNING_RATIO = 0.5;
    static final double MAX_TURNING_RATIO = 0.85;
    static final double MIN_ENTROPY = 0.7;
    private static final int ENTROPY_BINS = 16;
    /** An interval shorter than this fraction of the window's median is premature (ectopic). */
    static final double PREMATURE_FRACTION = 0.9;
    /** An interval after a premature one and longer than this fraction of the median is its compensatory pause. */
    static final double COMPENSATORY_FRACTION = 1.1;
    /** The irregularity the intervals left without ectopy must still show. */
    static final double MIN_IRREGULARITY_WITHOUT_ECTOPY = 0.06;
    /** Pairs of clean successive intervals needed to judge; with fewer the window is not called AF. */
    private static final int MIN_CLEAN_PAIRS = 4;
    /** Above this autocorrelation at lag 2, 3 or 4 the intervals repeat a pattern. */
    static final double MAX_PERIODICITY = 0.4;
    /** Consecutive beats whose windows must all look like AF before an episode opens. */
    static final int CONFIRM_BEATS = 10;

    private final int window;
    private final double onThreshold;
    private final double offThreshold;
    private final int[] rr;
    private final long[] beatTimes;
    private final int[] scratchRr;
    private final int[] scratchDiffs;
    private final int[] scratchCleanDiffs;
    private final double[] scratchCentred;
    private int count;
    private boolean inAf;
    private int candidateBeats;
    private long candidateOnset;

    /**
     * @param window RR intervals per decision
     * @param onThreshold irregularity at or above which AF starts
     * @param offThreshold irregularity below which AF ends (below {@code onThreshold})
     */
    public AfDetector(int window, double onThreshold, double offThreshold) {
        if (window < 8 || offThreshold > onThreshold) {
            throw new IllegalArgumentException("window of at least 8, offThreshold not above onThreshold");
        }
        this.window = window;
        this.onThreshold = onThreshold;
        this.offThreshold = offThreshold;
        this.rr = new int[window];
        this.beatTimes = new long[window];
        this.scratchRr = new int[window];
        this.scratchDiffs = new int[window - 1];
        this.scratchCleanDiffs = new int[window - 1];
        this.scratchCentred = new double[window];
    }

    /** Defaults chosen on the development half of the MIT-BIH AF database (see docs/detectors.md). */
    public static AfDetector withDefaults() {
        return new AfDetector(40, 0.06, 0.05);
    }

    /**
     * Takes the next beat.
     *
     * @param beatTimeMillis time of the beat that ends the interval
     * @param rrMillis the interval from the previous beat
     * @return the transition this beat caused, or null
     */
    public Transition accept(long beatTimeMillis, int rrMillis) {
        int slot = count % window;
        rr[slot] = rrMillis;
        beatTimes[slot] = beatTimeMillis;
        count++;
        if (count < window) {
            return null;
        }
        double irregularity = irregularity();
        if (!inAf) {
            if (irregularity >= onThreshold && looksRandom(MIN_TURNING_RATIO, MAX_TURNING_RATIO)
                    && entropy() >= MIN_ENTROPY && irregularityWithoutEctopy() >= MIN_IRREGULARITY_WITHOUT_ECTOPY
                    && periodicity() < MAX_PERIODICITY) {
                if (candidateBeats++ == 0) {
                    candidateOnset = beatTimes[count % window] - rr[count % window];
                }
                if (candidateBeats >= CONFIRM_BEATS) {
                    inAf = true;
                    candidateBeats = 0;
                    return new Transition(true, candidateOnset, beatTimeMillis, irregularity, rate(), windowStart(),
                            window + 1);
                }
            } else {
                candidateBeats = 0;
            }
            return null;
        }
        if (inAf && (irregularity < offThreshold || !looksRandom(MIN_TURNING_RATIO - 0.1, MAX_TURNING_RATIO + 0.1))) {
            inAf = false;
            // The regular rhythm filled about half the window by the time the measure fell.
            long end = beatTimes[(count - 1 - window / 2 + window) % window];
            return new Transition(false, end, beatTimeMillis, irregularity, rate(), windowStart(), window + 1);
        }
        return null;
    }

    /** Which of the criteria for AF the current window meets (all of them, to open an episode). */
    public record WindowCriteria(boolean irregular, boolean random, boolean spread, boolean irregularWithoutEctopy,
            boolean aperiodic) {
        public boolean allMet() {
            return irregular && random && spread && irregularWithoutEctopy && aperiodic;
        }
    }

    /**
     * The criteria the current window meets, each computed (the decision stops at the first that
     * fails): for the evaluation to say why AF was missed. Null until the window is full.
     */
    public WindowCriteria criteria() {
        if (count < window) {
            return null;
        }
        boolean irregular = irregularity() >= onThreshold;
        return new WindowCriteria(irregular, looksRandom(MIN_TURNING_RATIO, MAX_TURNING_RATIO), entropy() >= MIN_ENTROPY,
                irregularityWithoutEctopy() >= MIN_IRREGULARITY_WITHOUT_ECTOPY, periodicity() < MAX_PERIODICITY);
    }

    /** The beat before the window's first interval: the window spans {@code window + 1} beats. */
    private long windowStart() {
        int oldest = count % window;
        return beatTimes[oldest] - rr[oldest];
    }

    /** Writes the window and decision, so a restart resumes the analysis where it was. */
    public void writeState(DataOutput out) throws IOException {
        out.writeInt(window);
        out.writeDouble(onThreshold);
        out.writeDouble(offThreshold);
        out.writeInt(count);
        out.writeBoolean(inAf);
        out.writeInt(candidateBeats);
        out.writeLong(candidateOnset);
        for (int i = 0; i < window; i++) {
            out.writeInt(rr[i]);
            out.writeLong(beatTimes[i]);
        }
    }

    public static AfDetector readState(DataInput in) throws IOException {
        AfDetector d = new AfDetector(in.readInt(), in.readDouble(), in.readDouble());
        d.count = in.readInt();
        d.inAf = in.readBoolean();
        d.candidateBeats = in.readInt();
        d.candidateOnset = in.readLong();
        for (int i = 0; i < d.window; i++) {
            d.rr[i] = in.readInt();
            d.beatTimes[i] = in.readLong();
        }
        return d;
    }

    private double irregularity() {
        int oldest = count % window;
        for (int i = 0; i < window; i++) {
            scratchRr[i] = rr[(oldest + i) % window];
        }
        for (int i = 1; i < window; i++) {
            scratchDiffs[i - 1] = Math.abs(scratchRr[i] - scratchRr[i - 1]);
        }
        Arrays.sort(scratchDiffs);
        Arrays.sort(scratchRr);
        double medianRr = median(scratchRr);
        return medianRr <= 0 ? 0 : median(scratchDiffs) / medianRr;
    }

    /** Turning-point ratio of the window, in time order (call after {@link #irregularity()}). */
    private boolean looksRandom(double min, double max) {
        int oldest = count % window;
        int turning = 0;
        for (int i = 1; i < window - 1; i++) {
            int before = rr[(oldest + i - 1) % window];
            int here = rr[(oldest + i) % window];
            int after = rr[(oldest + i + 1) % window];
            if ((here > before && here > after) || (here < before && here < after)) {
                turning++;
            }
        }
        double ratio = (double) turning / (window - 2);
        return ratio >= min && ratio <= max;
    }

    /** Shannon entropy of the window's intervals in 16 bins over their range, from 0 to 1. */
    private double entropy() {
        int[] bins = new int[ENTROPY_BINS];
        int min = scratchRr[0];
        int max = scratchRr[window - 1];
        if (max == min) {
            return 0;
        }
        for (int value : scratchRr) {
            bins[Math.min(ENTROPY_BINS - 1, (value - min) * ENTROPY_BINS / (max - min))]++;
        }
        double entropy = 0;
        for (int n : bins) {
            if (n > 0) {
                double p = (double) n / window;
                entropy -= p * Math.log(p);
            }
        }
        return entropy / Math.log(ENTROPY_BINS);
    }

    /**
     * The irregularity of the intervals that are neither premature nor compensatory, over the
     * successive pairs of such intervals (call after {@link #irregularity()}); 0 when fewer than
     * {@link #MIN_CLEAN_PAIRS} pairs are left: a window of ectopy nearly throughout is not called AF.
     */
    private double irregularityWithoutEctopy() {
        double medianRr = median(scratchRr);
        int oldest = count % window;
        int pairs = 0;
        boolean previousEctopic = true;
        boolean previousPremature = false;
        int previous = 0;
        for (int i = 0; i < window; i++) {
            int interval = rr[(oldest + i) % window];
            boolean premature = interval < PREMATURE_FRACTION * medianRr;
            boolean ectopic = premature || previousPremature && interval > COMPENSATORY_FRACTION * medianRr;
            if (!ectopic && !previousEctopic) {
                scratchCleanDiffs[pairs++] = Math.abs(interval - previous);
            }
            previousEctopic = ectopic;
            previousPremature = premature;
            previous = interval;
        }
        if (pairs < MIN_CLEAN_PAIRS) {
            return 0;
        }
        Arrays.sort(scratchCleanDiffs, 0, pairs);
        return scratchCleanDiffs[pairs / 2] / medianRr;
    }

    /** The highest autocorrelation of the window's intervals, in time order, at a lag of 2, 3 or 4 beats. */
    private double periodicity() {
        int oldest = count % window;
        double mean = 0;
        for (int interval : rr) {
            mean += interval;
        }
        mean /= window;
        double variance = 0;
        for (int i = 0; i < window; i++) {
            scratchCentred[i] = rr[(oldest + i) % window] - mean;
            variance += scratchCentred[i] * scratchCentred[i];
        }
        if (variance == 0) {
            return 1;
        }
        double highest = -1;
        for (int lag = 2; lag <= 4; lag++) {
            double sum = 0;
            for (int i = lag; i < window; i++) {
                sum += scratchCentred[i] * scratchCentred[i - lag];
            }
            highest = Math.max(highest, sum / variance * window / (window - lag));
        }
        return highest;
    }

    private double rate() {
        return 60_000.0 / Math.max(1, median(scratchRr));
    }

    private static double median(int[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
