package org.cardiowatch.processor.detection.ecg;

/** Measures of stretches of a signal that the beat classifier and the P-wave check both take. */
final class Signals {

    private Signals() {
    }

    /** Pearson correlation of {@code n} samples of {@code a} from {@code aFrom} and of {@code b} from {@code bFrom}; 0 for a flat one. */
    static double correlation(float[] a, int aFrom, float[] b, int bFrom, int n) {
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            sx += a[aFrom + i];
            sy += b[bFrom + i];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double x = a[aFrom + i] - mx;
            double y = b[bFrom + i] - my;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Peak-to-peak amplitude of the samples from {@code from} to {@code to}, both included. */
    static double range(float[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i <= to; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return max - min;
    }
}
