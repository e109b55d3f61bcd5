package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.rhythm.RhythmMonitor;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.BeatSource;

/**
 * Asks whether atrial activity seen in the ECG would help the RR-interval AF detector, on the
 * MIT-BIH Arrhythmia records that hold atrial fibrillation (issue 17, point 6): the beats and
 * their P waves as the stream processor finds them ({@code BeatClassifier}, {@code AtrialActivity}),
 * then AF as the processor's {@link RhythmMonitor} calls it from the beats as RR intervals alone
 * (a wearable's) and as ECG beats, whose AF call waits while most recent beats show P waves.
 */
public final class AtrialActivityEvaluation {

    static final List<String> RECORDS_WITH_AF = List.of("201", "203", "217");

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
            long beatsOutsideAf, long rrEpisodes, long ecgEpisodes) {
        RecordResult plus(RecordResult o) {
            return new RecordResult(rrOnly.plus(o.rrOnly), withAtrialActivity.plus(o.withAtrialActivity), pInAf + o.pInAf,
                    beatsInAf + o.beatsInAf, pOutsideAf + o.pOutsideAf, beatsOutsideAf + o.beatsOutsideAf,
                    rrEpisodes + o.rrEpisodes, ecgEpisodes + o.ecgEpisodes);
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
        return "RR-only " + r.rrOnly().line() + " episodes=" + r.rrEpisodes() + " with-P-waves "
                + r.withAtrialActivity().line() + " episodes=" + r.ecgEpisodes() + " P-seen-in-AF="
                + share(r.pInAf(), r.beatsInAf()) + " P-seen-outside-AF=" + share(r.pOutsideAf(), r.beatsOutsideAf());
    }

    static RecordResult score(int[] signal, double sampleRateHz, List<WfdbAnnotations.Annotation> reference) {
        List<BeatClassifier.ClassifiedBeat> beats = BeatClassEvaluation.classify(signal, sampleRateHz);
        long end = Math.round(signal.length * 1000 / sampleRateHz);
        List<AfEvaluation.Episode> truth = AfEvaluation.referenceEpisodes(reference, sampleRateHz, end);
        List<Long> times = beats.stream().map(b -> Math.round(b.rIndex() * 1000 / sampleRateHz)).toList();
        // The same beats twice through the processor's rhythm monitor: as RR intervals (a wearable's:
        // no P waves asked for) and as ECG beats with their P waves.
        List<AfEvaluation.Episode> rrAf = monitored(beats, times, BeatSource.DEVICE_RR, end);
        List<AfEvaluation.Episode> ecgAf = monitored(beats, times, BeatSource.ECG, end);

        long[] rr = new long[4];
        long[] withP = new long[4];
        long pInAf = 0;
        long inAf = 0;
        long pOutside = 0;
        long outside = 0;
        for (int i = 0; i < beats.size(); i++) {
            long at = times.get(i);
            boolean af = inside(at, truth);
            boolean pWave = Boolean.TRUE.equals(beats.get(i).pWave());
            count(rr, af, inside(at, rrAf));
            count(withP, af, inside(at, ecgAf));
            if (af) {
                inAf++;
                pInAf += pWave ? 1 : 0;
            } else {
                outside++;
                pOutside += pWave ? 1 : 0;
            }
        }
        return new RecordResult(calls(rr), calls(withP), pInAf, inAf, pOutside, outside, rrAf.size(), ecgAf.size());
    }

    /** AF episodes as the rhythm monitor opens and resolves them for beats of the given source. */
    private static List<AfEvaluation.Episode> monitored(List<BeatClassifier.ClassifiedBeat> beats, List<Long> times,
            BeatSource source, long end) {
        RhythmMonitor monitor = new RhythmMonitor(Duration.ofSeconds(3), Duration.ofMinutes(2));
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<AfEvaluation.Episode> episodes = new ArrayList<>();
        long onset = -1;
        for (int i = 1; i < beats.size(); i++) {
            Boolean pWave = source == BeatSource.ECG ? beats.get(i).pWave() : null;
            for (Finding f : monitor.onBeat(state, source, Instant.ofEpochMilli(times.get(i)),
                    (int) (times.get(i) - times.get(i - 1)), null, pWave, RhythmMonitor.FREQUENT_PVC_PERCENT)) {
                if (f.kind() != AlertKind.ATRIAL_FIBRILLATION) {
                    continue;
                }
                if (f.state() == AlertState.OPEN) {
                    onset = f.onset().toEpochMilli();
                } else if (f.state() == AlertState.RESOLVED && onset >= 0) {
                    episodes.add(new AfEvaluation.Episode(onset, f.at().toEpochMilli(), onset));
                    onset = -1;
                }
            }
        }
        if (onset >= 0) {
            episodes.add(new AfEvaluation.Episode(onset, end, onset));
        }
        return episodes;
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
