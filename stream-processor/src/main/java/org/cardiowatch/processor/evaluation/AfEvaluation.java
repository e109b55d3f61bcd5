package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cardiowatch.processor.detection.rhythm.AfDetector;

/**
 * Runs the AF detector over the beat times of each record ({@code .qrs}) and compares its
 * episodes with the reference rhythm ({@code .atr}, '+' annotations; AFL and J count as non-AF):
 * duration and episode sensitivity and positive predictivity, beat-level sensitivity and
 * specificity, and the delay from a reference onset to the detector's decision.
 */
public final class AfEvaluation {

    /** The MIT-BIH AF database's sampling rate, used when a record has no header. */
    static final double DEFAULT_SAMPLE_RATE_HZ = 250;

    private AfEvaluation() {
    }

    /** An interval of time in milliseconds; {@code decidedAt} is when a detector said so. */
    record Episode(long start, long end, long decidedAt) {
        long length() {
            return Math.max(0, end - start);
        }

        long overlap(Episode other) {
            return Math.max(0, Math.min(end, other.end) - Math.max(start, other.start));
        }
    }

    /** Totals over records. */
    static final class Tally {
        long referenceMs;
        long detectedMs;
        long overlapMs;
        int referenceEpisodes;
        int referenceDetected;
        int detectedEpisodes;
        int detectedTrue;
        long beatTp;
        long beatFn;
        long beatFp;
        long beatTn;
        final List<Double> delaysSeconds = new ArrayList<>();
        /** Beats of reference AF the detector missed, and how many of those failed each criterion. */
        final Missed missed = new Missed();
    }

    /**
     * Why AF beats were missed: per criterion, the missed beats whose window failed it (a window
     * may fail several); {@code allMet} windows met every criterion, so the beat was missed while
     * an episode was being confirmed or after it was ended.
     */
    static final class Missed {
        long beats;
        long notIrregular;
        long notRandom;
        long notSpread;
        long onlyEctopy;
        long periodic;
        long allMet;

        void count(AfDetector.WindowCriteria c) {
            beats++;
            notIrregular += c.irregular() ? 0 : 1;
            notRandom += c.random() ? 0 : 1;
            notSpread += c.spread() ? 0 : 1;
            onlyEctopy += c.irregularWithoutEctopy() ? 0 : 1;
            periodic += c.aperiodic() ? 0 : 1;
            allMet += c.allMet() ? 1 : 0;
        }

        void add(Missed other) {
            beats += other.beats;
            notIrregular += other.notIrregular;
            notRandom += other.notRandom;
            notSpread += other.notSpread;
            onlyEctopy += other.onlyEctopy;
            periodic += other.periodic;
            allMet += other.allMet;
        }

        String line() {
            return "missed-AF-beats=" + beats + " not-irregular=" + notIrregular + " not-random=" + notRandom
                    + " not-spread=" + notSpread + " irregular-only-by-ectopy=" + onlyEctopy + " periodic=" + periodic
                    + " all-met(confirming-or-ended)=" + allMet;
        }
    }

    public static int run(Path folder, PrintStream out) throws IOException {
        List<Path> beatFiles;
        try (Stream<Path> files = Files.list(folder)) {
            beatFiles = files.filter(p -> p.getFileName().toString().endsWith(".qrs")).sorted().toList();
        }
        Tally total = new Tally();
        int records = 0;
        for (Path qrs : beatFiles) {
            String name = qrs.getFileName().toString().replace(".qrs", "");
            Path atr = folder.resolve(name + ".atr");
            if (!Files.exists(atr)) {
                out.println("skipped " + name + ": no reference rhythm (" + name + ".atr)");
                continue;
            }
            try {
                Tally record = evaluate(qrs, atr, sampleRate(folder, name));
                out.println("record " + name + " AF-ref-min=" + record.referenceMs / 60_000
                        + " duration Se=" + pct(record.overlapMs, record.referenceMs)
                        + " +P=" + pct(record.overlapMs, record.detectedMs)
                        + " episodes ref=" + record.referenceEpisodes + " detected=" + record.detectedEpisodes);
                out.println("  why missed: " + record.missed.line());
                add(total, record);
                records++;
            } catch (IOException | RuntimeException e) {
                out.println("skipped " + name + ": " + e.getMessage());
            }
        }
        out.println("AF why missed: " + total.missed.line());
        out.println("AF beats Se=" + pct(total.beatTp, total.beatTp + total.beatFn)
                + " Sp=" + pct(total.beatTn, total.beatTn + total.beatFp));
        out.println("AF duration Se=" + pct(total.overlapMs, total.referenceMs)
                + " +P=" + pct(total.overlapMs, total.detectedMs)
                + " episode Se=" + pct(total.referenceDetected, total.referenceEpisodes)
                + " +P=" + pct(total.detectedTrue, total.detectedEpisodes)
                + " onset-delay-median-s=" + Math.round(median(total.delaysSeconds))
                + " records=" + records);
        return records;
    }

    static Tally evaluate(Path qrs, Path atr, double sampleRateHz) throws IOException {
        List<Long> beats = WfdbAnnotations.read(qrs).stream().filter(WfdbAnnotations.Annotation::isBeat)
                .map(a -> Math.round(a.sample() * 1000 / sampleRateHz)).toList();
        if (beats.size() < 2) {
            throw new IllegalArgumentException("fewer than two beats");
        }
        long end = beats.get(beats.size() - 1);
        List<Episode> reference = referenceEpisodes(WfdbAnnotations.read(atr), sampleRateHz, end);
        List<Episode> detected = detect(beats, end);

        Tally tally = new Tally();
        for (Episode r : reference) {
            tally.referenceMs += r.length();
            for (Episode d : detected) {
                tally.overlapMs += r.overlap(d);
            }
        }
        detected.forEach(d -> tally.detectedMs += d.length());
        tally.referenceEpisodes = reference.size();
        tally.detectedEpisodes = detected.size();
        for (Episode r : reference) {
            detected.stream().filter(d -> r.overlap(d) > 0).findFirst().ifPresent(d -> {
                tally.referenceDetected++;
                tally.delaysSeconds.add(Math.max(0, d.decidedAt() - r.start()) / 1000.0);
            });
        }
        tally.detectedTrue = (int) detected.stream().filter(d -> reference.stream().anyMatch(r -> r.overlap(d) > 0)).count();
        countMissed(beats, reference, detected, tally.missed);
        for (long beat : beats) {
            boolean truth = inside(beat, reference);
            boolean said = inside(beat, detected);
            if (truth && said) {
                tally.beatTp++;
            } else if (truth) {
                tally.beatFn++;
            } else if (said) {
                tally.beatFp++;
            } else {
                tally.beatTn++;
            }
        }
        return tally;
    }

    /** Runs the detector again, asking at each missed AF beat which criteria its window failed. */
    static void countMissed(List<Long> beats, List<Episode> reference, List<Episode> detected, Missed missed) {
        AfDetector detector = AfDetector.withDefaults();
        for (int i = 1; i < beats.size(); i++) {
            long beat = beats.get(i);
            detector.accept(beat, (int) (beat - beats.get(i - 1)));
            if (inside(beat, reference) && !inside(beat, detected)) {
                AfDetector.WindowCriteria criteria = detector.criteria();
                if (criteria != null) {
                    missed.count(criteria);
                }
            }
        }
    }

    static List<Episode> detect(List<Long> beats, long recordEnd) {
        AfDetector detector = AfDetector.withDefaults();
        List<Episode> episodes = new ArrayList<>();
        long onset = -1;
        long decided = -1;
        for (int i = 1; i < beats.size(); i++) {
            AfDetector.Transition t = detector.accept(beats.get(i), (int) (beats.get(i) - beats.get(i - 1)));
            if (t == null) {
                continue;
            }
            if (t.atrialFibrillation()) {
                Episode previous = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
                if (previous != null && t.at() <= previous.end()) {
                    // Back-dating can reach into the last episode: they are one episode.
                    episodes.remove(episodes.size() - 1);
                    onset = previous.start();
                    decided = previous.decidedAt();
                } else {
                    onset = t.at();
                    decided = t.decidedAt();
                }
            } else {
                episodes.add(new Episode(onset, Math.max(onset, t.at()), decided));
                onset = -1;
            }
        }
        if (onset >= 0) {
            episodes.add(new Episode(onset, recordEnd, decided));
        }
        return episodes;
    }

    static List<Episode> referenceEpisodes(List<WfdbAnnotations.Annotation> annotations, double sampleRateHz, long end) {
        List<Episode> episodes = new ArrayList<>();
        long start = -1;
        for (WfdbAnnotations.Annotation a : annotations) {
            if (a.code() != WfdbAnnotations.RHYTHM) {
                continue;
            }
            long at = Math.round(a.sample() * 1000 / sampleRateHz);
            boolean af = a.aux().startsWith("(AFIB");
            if (af && start < 0) {
                start = at;
            } else if (!af && start >= 0) {
                episodes.add(new Episode(start, at, start));
                start = -1;
            }
        }
        if (start >= 0) {
            episodes.add(new Episode(start, end, start));
        }
        return episodes;
    }

    private static double sampleRate(Path folder, String name) throws IOException {
        Path header = folder.resolve(name + ".hea");
        return Files.exists(header) ? WfdbHeader.read(header).sampleRateHz() : DEFAULT_SAMPLE_RATE_HZ;
    }

    private static boolean inside(long time, List<Episode> episodes) {
        for (Episode e : episodes) {
            if (time >= e.start() && time < e.end()) {
                return true;
            }
        }
        return false;
    }

    private static void add(Tally total, Tally record) {
        total.referenceMs += record.referenceMs;
        total.detectedMs += record.detectedMs;
        total.overlapMs += record.overlapMs;
        total.referenceEpisodes += record.referenceEpisodes;
        total.referenceDetected += record.referenceDetected;
        total.detectedEpisodes += record.detectedEpisodes;
        total.detectedTrue += record.detectedTrue;
        total.beatTp += record.beatTp;
        total.beatFn += record.beatFn;
        total.beatFp += record.beatFp;
        total.beatTn += record.beatTn;
        total.delaysSeconds.addAll(record.delaysSeconds);
        total.missed.add(record.missed);
    }

    private static String pct(double part, double whole) {
        return BeatScore.twoDecimals(BeatScore.percent(part, whole));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
