package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cardiowatch.processor.detection.rhythm.AfDetector;

/**
 * Asks whether atrial activity seen in the ECG would help the RR-interval AF detector, on the
 * MIT-BIH Arrhythmia records that hold atrial fibrillation (issue 17, point 6). Measured here,
 * not in the stream processor: it goes there only if it helps.
 *
 * <p>The atrial activity of a beat is the ECG from 250 to 80 ms before its R peak, where a P wave
 * is (PR interval 120 to 200 ms). In sinus rhythm successive P waves look alike; in AF the
 * fibrillatory waves do not. A beat's P wave counts as present when that stretch, its straight
 * line between its ends taken away, correlates at {@value #SAME_P_CORRELATION} or more with the
 * previous beat's and is at least {@value #MIN_P_SHARE} of the QRS's height. The detector with
 * atrial activity calls a beat AF when the RR detector does and fewer than
 * {@value #PRESENT_SHARE_FOR_SINUS} of the last {@value #RECENT_BEATS} beats had a P wave.
 */
public final class AtrialActivityEvaluation {

    static final List<String> RECORDS_WITH_AF = List.of("201", "203", "217");
    static final double P_FROM_SECONDS = 0.25;
    static final double P_TO_SECONDS = 0.08;
    static final double SAME_P_CORRELATION = 0.5;
    static final double MIN_P_SHARE = 0.04;
    static final int RECENT_BEATS = 16;
    static final double PRESENT_SHARE_FOR_SINUS = 0.5;

    private AtrialActivityEvaluation() {
    }

    /** Beat counts of one way of calling AF against the reference. */
    record Calls(long tp, long fn, long fp, long tn) {
        Calls plus(Calls o) {
            return new Calls(tp + o.tp, fn + o.fn, fp + o.fp, tn + o.tn);
        }

        String line() {
            return "Se=" + BeatScore.twoDecimals(BeatScore.percent(tp, tp + fn)) + " Sp="
                    + BeatScore.twoDecimals(BeatScore.percent(tn, tn + fp)) + " +P="
                    + BeatScore.twoDecimals(BeatScore.percent(tp, tp + fp));
        }
    }

    /** One record: RR alone, RR with atrial activity, and how often a P wave was seen in and out of AF. */
    record RecordResult(Calls rrOnly, Calls withAtrialActivity, long pInAf, long beatsInAf, long pOutsideAf,
            long beatsOutsideAf) {
        RecordResult plus(RecordResult o) {
            return new RecordResult(rrOnly.plus(o.rrOnly), withAtrialActivity.plus(o.withAtrialActivity), pInAf + o.pInAf,
                    beatsInAf + o.beatsInAf, pOutsideAf + o.pOutsideAf, beatsOutsideAf + o.beatsOutsideAf);
        }
    }

    /**
     * Scores the records with AF one by one, and the other records of the folder (paced ones
     * apart) together, where only specificity can be judged.
     *
     * @return the number of records scored
     */
    public static int run(Path folder, PrintStream out) throws IOException {
        RecordResult withAf = null;
        RecordResult others = null;
        int records = 0;
        for (Path header : QrsEvaluation.headers(folder)) {
            String name = header.getFileName().toString().replace(".hea", "");
            Path annotations = folder.resolve(name + ".atr");
            if (!Files.exists(annotations)) {
                continue;
            }
            List<WfdbAnnotations.Annotation> reference = WfdbAnnotations.read(annotations);
            boolean af = RECORDS_WITH_AF.contains(name);
            if (!af && reference.stream().anyMatch(a -> a.code() == WfdbAnnotations.PACED)) {
                continue;
            }
            WfdbHeader h = WfdbHeader.read(header);
            RecordResult r = score(WfdbSignals.read(folder, h)[0], h.sampleRateHz(), reference);
            if (af) {
                out.println("atrial activity " + name + " " + line(r));
                withAf = withAf == null ? r : withAf.plus(r);
            } else {
                others = others == null ? r : others.plus(r);
            }
            records++;
        }
        if (withAf != null) {
            out.println("AF beats with P waves, records " + String.join(" ", RECORDS_WITH_AF) + ": " + line(withAf));
        }
        if (others != null) {
            out.println("AF beats with P waves, the other records (no AF in them): " + line(others));
        }
        return records;
    }

    private static String line(RecordResult r) {
        return "RR-only " + r.rrOnly().line() + " with-P-waves " + r.withAtrialActivity().line() + " P-seen-in-AF="
                + share(r.pInAf(), r.beatsInAf()) + " P-seen-outside-AF=" + share(r.pOutsideAf(), r.beatsOutsideAf());
    }

    static RecordResult score(int[] signal, double sampleRateHz, List<WfdbAnnotations.Annotation> reference) {
        List<Long> beats = QrsEvaluation.detect(signal, sampleRateHz);
        long end = Math.round(signal.length * 1000 / sampleRateHz);
        List<AfEvaluation.Episode> truth = AfEvaluation.referenceEpisodes(reference, sampleRateHz, end);
        List<Long> times = beats.stream().map(b -> Math.round(b * 1000 / sampleRateHz)).toList();
        List<AfEvaluation.Episode> rrAf = AfEvaluation.detect(times, end);
        boolean[] pWave = pWaves(signal, sampleRateHz, beats);

        long[] rr = new long[4];
        long[] combined = new long[4];
        long pInAf = 0;
        long inAf = 0;
        long pOutside = 0;
        long outside = 0;
        int recentP = 0;
        for (int i = 0; i < beats.size(); i++) {
            recentP += pWave[i] ? 1 : 0;
            if (i >= RECENT_BEATS) {
                recentP -= pWave[i - RECENT_BEATS] ? 1 : 0;
            }
            long at = times.get(i);
            boolean af = inside(at, truth);
            boolean saidByRr = inside(at, rrAf);
            boolean fewP = i >= RECENT_BEATS && recentP < PRESENT_SHARE_FOR_SINUS * RECENT_BEATS;
            count(rr, af, saidByRr);
            count(combined, af, saidByRr && fewP);
            if (af) {
                inAf++;
                pInAf += pWave[i] ? 1 : 0;
            } else {
                outside++;
                pOutside += pWave[i] ? 1 : 0;
            }
        }
        return new RecordResult(calls(rr), calls(combined), pInAf, inAf, pOutside, outside);
    }

    /** For each beat: a P wave like the previous beat's before it. */
    static boolean[] pWaves(int[] signal, double sampleRateHz, List<Long> beats) {
        int from = (int) Math.round(P_FROM_SECONDS * sampleRateHz);
        int to = (int) Math.round(P_TO_SECONDS * sampleRateHz);
        int search = (int) Math.round(0.05 * sampleRateHz);
        boolean[] present = new boolean[beats.size()];
        double[] previous = null;
        long previousR = Long.MIN_VALUE;
        for (int i = 0; i < beats.size(); i++) {
            int r = peak(signal, beats.get(i).intValue(), search);
            if (r - from < 0) {
                continue;
            }
            double[] stretch = detrended(signal, r - from, r - to);
            double qrsHeight = height(signal, Math.max(0, r - search), Math.min(signal.length - 1, r + search));
            // The stretch must lie after the previous beat's T wave: at least 450 ms from it.
            boolean room = r - previousR >= 0.45 * sampleRateHz;
            present[i] = room && previous != null && correlation(stretch, previous) >= SAME_P_CORRELATION
                    && range(stretch) >= MIN_P_SHARE * qrsHeight;
            previous = room ? stretch : null;
            previousR = r;
        }
        return present;
    }

    /** The R peak near the detector's mark: the largest deviation from the stretch's mean. */
    private static int peak(int[] signal, int around, int search) {
        int lo = Math.max(0, around - search);
        int hi = Math.min(signal.length - 1, around + search);
        double mean = 0;
        for (int k = lo; k <= hi; k++) {
            mean += signal[k];
        }
        mean /= hi - lo + 1;
        int best = Math.min(Math.max(around, lo), hi);
        for (int k = lo; k <= hi; k++) {
            if (Math.abs(signal[k] - mean) > Math.abs(signal[best] - mean)) {
                best = k;
            }
        }
        return best;
    }

    private static double[] detrended(int[] signal, int from, int to) {
        int n = to - from + 1;
        double start = (signal[from] + signal[from + 1] + signal[from + 2]) / 3.0;
        double end = (signal[to] + signal[to - 1] + signal[to - 2]) / 3.0;
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = signal[from + k] - (start + (end - start) * k / (n - 1));
        }
        return out;
    }

    private static double height(int[] signal, int from, int to) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int k = from; k <= to; k++) {
            min = Math.min(min, signal[k]);
            max = Math.max(max, signal[k]);
        }
        return max - min;
    }

    private static double range(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    static double correlation(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        for (int k = 0; k < n; k++) {
            ma += a[k];
            mb += b[k];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int k = 0; k < n; k++) {
            sab += (a[k] - ma) * (b[k] - mb);
            saa += (a[k] - ma) * (a[k] - ma);
            sbb += (b[k] - mb) * (b[k] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    private static void count(long[] tally, boolean truth, boolean said) {
        tally[truth ? (said ? 0 : 1) : (said ? 2 : 3)]++;
    }

    private static Calls calls(long[] tally) {
        return new Calls(tally[0], tally[1], tally[2], tally[3]);
    }

    private static boolean inside(long at, List<AfEvaluation.Episode> episodes) {
        for (AfEvaluation.Episode e : episodes) {
            if (at >= e.start() && at < e.end()) {
                return true;
            }
        }
        return false;
    }

    private static String share(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
