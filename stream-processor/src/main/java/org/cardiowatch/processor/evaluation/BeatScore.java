package org.cardiowatch.processor.evaluation;

import java.util.List;
import java.util.Locale;

/**
 * Beat-by-beat comparison of detections with reference beats, as ANSI/AAMI EC57 (PhysioNet's
 * bxb) does it: a detection within the match window of a reference beat is a true positive.
 */
public record BeatScore(long truePositives, long falseNegatives, long falsePositives) {

    public static final BeatScore NONE = new BeatScore(0, 0, 0);

    /** Both lists sorted by sample index; the window in samples. */
    public static BeatScore compare(List<Long> reference, List<Long> detected, long window) {
        long tp = 0;
        long fn = 0;
        long fp = 0;
        int i = 0;
        int j = 0;
        while (i < reference.size() && j < detected.size()) {
            long ref = reference.get(i);
            long det = detected.get(j);
            if (Math.abs(det - ref) <= window) {
                // Prefer the next detection when it is closer to this beat (a double detection).
                if (j + 1 < detected.size() && Math.abs(detected.get(j + 1) - ref) < Math.abs(det - ref)) {
                    fp++;
                    j++;
                    continue;
                }
                tp++;
                i++;
                j++;
            } else if (det < ref) {
                fp++;
                j++;
            } else {
                fn++;
                i++;
            }
        }
        fn += reference.size() - i;
        fp += detected.size() - j;
        return new BeatScore(tp, fn, fp);
    }

    public BeatScore plus(BeatScore other) {
        return new BeatScore(truePositives + other.truePositives, falseNegatives + other.falseNegatives,
                falsePositives + other.falsePositives);
    }

    public long referenceBeats() {
        return truePositives + falseNegatives;
    }

    /** Sensitivity in percent. */
    public double sensitivity() {
        return percent(truePositives, truePositives + falseNegatives);
    }

    /** Positive predictivity in percent. */
    public double positivePredictivity() {
        return percent(truePositives, truePositives + falsePositives);
    }

    static double percent(double part, double whole) {
        return whole == 0 ? 100 : 100.0 * part / whole;
    }

    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
