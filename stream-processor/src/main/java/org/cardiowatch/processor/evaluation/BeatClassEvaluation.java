package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.BeatClassifier.BeatClass;
import org.cardiowatch.processor.detection.ecg.QrsDetector;

/**
 * Scores the streaming beat classifier on every WFDB record of a folder in ANSI/AAMI EC57's
 * conventions, as PhysioNet's bxb and epicmp apply them: reference labels mapped to the AAMI
 * classes, a detection matched to a reference beat within 150 ms, scoring from minute 5 (the
 * classifier learns the patient's beats before), paced records left out. VEB and SVEB
 * sensitivity and positive predictivity (a reference fusion or unclassifiable beat called V or S
 * counts neither way); ventricular and supraventricular tachycardia episodes: a reference episode
 * is a {@code (VT} or {@code (SVTA} rhythm, a detected one a run of 3 or more V or S beats at
 * 100 bpm or more; one found when the other overlaps it.
 */
public final class BeatClassEvaluation {

    static final double SCORING_STARTS_SECONDS = 300;
    /** MIT-BIH beat codes → AAMI class ('F' for fusion, absent: not a beat or not scored). */
    static final Map<Integer, Character> AAMI = Map.ofEntries(
            Map.entry(1, 'N'), Map.entry(2, 'N'), Map.entry(3, 'N'), Map.entry(34, 'N'), Map.entry(11, 'N'),
            Map.entry(25, 'N'), Map.entry(8, 'S'), Map.entry(4, 'S'), Map.entry(7, 'S'), Map.entry(9, 'S'),
            Map.entry(35, 'S'), Map.entry(5, 'V'), Map.entry(10, 'V'), Map.entry(41, 'V'), Map.entry(6, 'F'),
            Map.entry(12, 'Q'), Map.entry(38, 'Q'), Map.entry(13, 'Q'), Map.entry(30, 'Q'));

    private BeatClassEvaluation() {
    }

    /** Counts for one class: reference beats of the class called it, missed or called otherwise, and false calls. */
    record ClassScore(long hits, long referenceBeats, long calls) {
        static final ClassScore NONE = new ClassScore(0, 0, 0);

        ClassScore plus(ClassScore o) {
            return new ClassScore(hits + o.hits, referenceBeats + o.referenceBeats, calls + o.calls);
        }

        double sensitivity() {
            return BeatScore.percent(hits, referenceBeats);
        }

        double positivePredictivity() {
            return BeatScore.percent(hits, calls);
        }
    }

    record EpisodeScore(long referenceFound, long reference, long detectedTrue, long detected) {
        static final EpisodeScore NONE = new EpisodeScore(0, 0, 0, 0);

        EpisodeScore plus(EpisodeScore o) {
            return new EpisodeScore(referenceFound + o.referenceFound, reference + o.reference,
                    detectedTrue + o.detectedTrue, detected + o.detected);
        }
    }

    record RecordResult(String record, ClassScore veb, ClassScore sveb, EpisodeScore vt, EpisodeScore svt,
            Map<String, Long> confusion) {
    }

    /** @return the number of records scored */
    public static int run(Path folder, PrintStream out) throws IOException {
        List<Path> headers = QrsEvaluation.headers(folder);
        ClassScore veb = ClassScore.NONE;
        ClassScore sveb = ClassScore.NONE;
        EpisodeScore vt = EpisodeScore.NONE;
        EpisodeScore svt = EpisodeScore.NONE;
        int records = 0;
        Map<String, Long> confusion = new java.util.TreeMap<>();
        for (Path header : headers) {
            String name = header.getFileName().toString().replace(".hea", "");
            Path annotations = header.resolveSibling(name + ".atr");
            if (!Files.exists(annotations)) {
                continue;
            }
            WfdbHeader h = WfdbHeader.read(header);
            List<WfdbAnnotations.Annotation> reference = WfdbAnnotations.read(annotations);
            if (reference.stream().anyMatch(a -> a.code() == WfdbAnnotations.PACED)) {
                continue;
            }
            RecordResult r = score(name, WfdbSignals.read(header.getParent(), h)[0], h.sampleRateHz(), reference);
            out.println("classes " + name + " V ref=" + r.veb().referenceBeats() + " Se="
                    + BeatScore.twoDecimals(r.veb().sensitivity()) + " +P=" + BeatScore.twoDecimals(r.veb().positivePredictivity())
                    + " S ref=" + r.sveb().referenceBeats() + " Se=" + BeatScore.twoDecimals(r.sveb().sensitivity())
                    + " +P=" + BeatScore.twoDecimals(r.sveb().positivePredictivity())
                    + " VT ref=" + r.vt().reference() + " found=" + r.vt().referenceFound() + " detected=" + r.vt().detected()
                    + " true=" + r.vt().detectedTrue() + " SVT ref=" + r.svt().reference() + " found="
                    + r.svt().referenceFound() + " detected=" + r.svt().detected() + " true=" + r.svt().detectedTrue());
            r.confusion().forEach((k, v) -> confusion.merge(k, v, Long::sum));
            veb = veb.plus(r.veb());
            sveb = sveb.plus(r.sveb());
            vt = vt.plus(r.vt());
            svt = svt.plus(r.svt());
            records++;
        }
        // Reference class -> class given ('-': missed; O: a detection that is no beat), for whoever tunes next.
        out.println("classes total " + confusion);
        out.println("VEB Se=" + BeatScore.twoDecimals(veb.sensitivity()) + " +P="
                + BeatScore.twoDecimals(veb.positivePredictivity()) + " records=" + records + " beats=" + veb.referenceBeats());
        out.println("SVEB Se=" + BeatScore.twoDecimals(sveb.sensitivity()) + " +P="
                + BeatScore.twoDecimals(sveb.positivePredictivity()) + " records=" + records + " beats=" + sveb.referenceBeats());
        out.println("VT episode Se=" + BeatScore.twoDecimals(BeatScore.percent(vt.referenceFound(), vt.reference()))
                + " +P=" + BeatScore.twoDecimals(BeatScore.percent(vt.detectedTrue(), vt.detected())) + " records=" + records);
        out.println("SVT episode Se=" + BeatScore.twoDecimals(BeatScore.percent(svt.referenceFound(), svt.reference()))
                + " +P=" + BeatScore.twoDecimals(BeatScore.percent(svt.detectedTrue(), svt.detected())) + " records="
                + records);
        return records;
    }

    static RecordResult score(String name, int[] signal, double sampleRateHz, List<WfdbAnnotations.Annotation> reference) {
        List<BeatClassifier.ClassifiedBeat> detected = classify(signal, sampleRateHz);
        List<BeatClassifier.ClassifiedBeat> all = detected;
        long from = Math.round(SCORING_STARTS_SECONDS * sampleRateHz);
        long window = Math.round(QrsEvaluation.MATCH_WINDOW_SECONDS * sampleRateHz);
        // Ventricular flutter is not scored beat by beat (EC57): neither reference beats nor detections inside it.
        List<long[]> flutter = QrsEvaluation.flutterIntervals(reference);
        detected = detected.stream().filter(b -> !QrsEvaluation.inside(b.rIndex(), flutter)).toList();
        List<WfdbAnnotations.Annotation> beats = reference.stream().filter(a -> AAMI.containsKey(a.code()))
                .filter(a -> !QrsEvaluation.inside(a.sample(), flutter)).toList();
        long vHits = 0;
        long vRef = 0;
        long vCalls = 0;
        long sHits = 0;
        long sRef = 0;
        long sCalls = 0;
        Map<String, Long> confusion = new java.util.TreeMap<>();
        int j = 0;
        boolean[] matched = new boolean[detected.size()];
        for (WfdbAnnotations.Annotation beat : beats) {
            while (j < detected.size() && detected.get(j).rIndex() < beat.sample() - window) {
                j++;
            }
            int best = -1;
            for (int k = j; k < detected.size() && detected.get(k).rIndex() <= beat.sample() + window; k++) {
                if (!matched[k] && (best < 0 || Math.abs(detected.get(k).rIndex() - beat.sample())
                        < Math.abs(detected.get(best).rIndex() - beat.sample()))) {
                    best = k;
                }
            }
            if (best >= 0) {
                matched[best] = true;
            }
            if (beat.sample() < from) {
                continue;
            }
            char truth = AAMI.get(beat.code());
            BeatClass called = best < 0 ? null : detected.get(best).beatClass();
            confusion.merge(truth + "->" + (called == null ? "-" : called.name()), 1L, Long::sum);
            if (truth == 'V') {
                vRef++;
                vHits += called == BeatClass.V ? 1 : 0;
            }
            if (truth == 'S') {
                sRef++;
                sHits += called == BeatClass.S ? 1 : 0;
            }
            // Fusion and unclassifiable reference beats count against neither class's predictivity.
            if (called == BeatClass.V && truth != 'F' && truth != 'Q') {
                vCalls++;
            }
            if (called == BeatClass.S && truth != 'F' && truth != 'Q') {
                sCalls++;
            }
        }
        for (int k = 0; k < detected.size(); k++) {
            if (!matched[k] && detected.get(k).rIndex() >= from) {
                confusion.merge("O->" + detected.get(k).beatClass().name(), 1L, Long::sum);
                vCalls += detected.get(k).beatClass() == BeatClass.V ? 1 : 0;
                sCalls += detected.get(k).beatClass() == BeatClass.S ? 1 : 0;
            }
        }
        // A run detected inside ventricular flutter is not a VT episode to score (it is an alarm all the same).
        List<long[]> runs = detectedEpisodes(all, BeatClass.V, sampleRateHz).stream()
                .filter(e -> !QrsEvaluation.inside(e[0], flutter) && !QrsEvaluation.inside(e[1], flutter)).toList();
        EpisodeScore vt = episodes(referenceEpisodes(reference, "(VT", signal.length), runs, from);
        EpisodeScore svt = episodes(referenceEpisodes(reference, "(SVTA", signal.length),
                detectedEpisodes(all, BeatClass.S, sampleRateHz), from);
        return new RecordResult(name, new ClassScore(vHits, vRef, vCalls), new ClassScore(sHits, sRef, sCalls), vt, svt,
                confusion);
    }

    /** The detector and classifier as the stream processor runs them, sample after sample. */
    static List<BeatClassifier.ClassifiedBeat> classify(int[] signal, double sampleRateHz) {
        List<BeatClassifier.ClassifiedBeat> out = new ArrayList<>();
        QrsDetector detector = new QrsDetector(sampleRateHz);
        BeatClassifier classifier = new BeatClassifier(sampleRateHz);
        for (int sample : signal) {
            classifier.accept(sample, out::add);
            detector.accept(sample, r -> classifier.beat(r, out::add));
        }
        classifier.flush(out::add);
        return out;
    }

    /** The reference's rhythm intervals named {@code rhythm} ({@code (VT}, {@code (SVTA}): each lasts until the next rhythm change. */
    static List<long[]> referenceEpisodes(List<WfdbAnnotations.Annotation> reference, String rhythm, long end) {
        List<long[]> episodes = new ArrayList<>();
        long start = -1;
        for (WfdbAnnotations.Annotation a : reference) {
            if (a.code() != WfdbAnnotations.RHYTHM) {
                continue;
            }
            if (start >= 0) {
                episodes.add(new long[] {start, a.sample()});
                start = -1;
            }
            if (rhythm.equals(a.aux())) {
                start = a.sample();
            }
        }
        if (start >= 0) {
            episodes.add(new long[] {start, end});
        }
        return episodes;
    }

    /** Runs of 3 or more beats of {@code beatClass} at 100 bpm or more (each interval in the run 600 ms or less). */
    static List<long[]> detectedEpisodes(List<BeatClassifier.ClassifiedBeat> beats, BeatClass beatClass,
            double sampleRateHz) {
        List<long[]> episodes = new ArrayList<>();
        long longest = Math.round(0.6 * sampleRateHz);
        int runStart = -1;
        for (int i = 0; i <= beats.size(); i++) {
            boolean inRun = i < beats.size() && beats.get(i).beatClass() == beatClass
                    && (runStart < 0 || beats.get(i).rIndex() - beats.get(i - 1).rIndex() <= longest);
            if (inRun && runStart < 0) {
                runStart = i;
            } else if (!inRun && runStart >= 0) {
                if (i - runStart >= 3) {
                    episodes.add(new long[] {beats.get(runStart).rIndex(), beats.get(i - 1).rIndex()});
                }
                runStart = i < beats.size() && beats.get(i).beatClass() == beatClass ? i : -1;
            }
        }
        return episodes;
    }

    static EpisodeScore episodes(List<long[]> reference, List<long[]> detected, long from) {
        List<long[]> ref = reference.stream().filter(e -> e[1] >= from).toList();
        List<long[]> det = detected.stream().filter(e -> e[1] >= from).toList();
        long found = ref.stream().filter(r -> det.stream().anyMatch(d -> overlaps(r, d))).count();
        long right = det.stream().filter(d -> ref.stream().anyMatch(r -> overlaps(r, d))).count();
        return new EpisodeScore(found, ref.size(), right, det.size());
    }

    private static boolean overlaps(long[] a, long[] b) {
        return a[0] <= b[1] && b[0] <= a[1];
    }
}
