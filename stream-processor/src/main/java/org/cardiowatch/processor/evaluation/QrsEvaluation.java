package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cardiowatch.processor.detection.ecg.QrsDetector;

/**
 * Runs the streaming QRS detector over every WFDB record of a folder (first signal, fed in
 * two-second segments as a home monitor sends them, scored from minute 0) and prints per-record
 * and total figures. Paced records (any paced beat in the reference) are totalled apart.
 */
public final class QrsEvaluation {

    static final double MATCH_WINDOW_SECONDS = 0.150;
    static final double SEGMENT_SECONDS = 2.0;

    private QrsEvaluation() {
    }

    /** What one record gave, or why it was skipped. */
    record RecordResult(String record, BeatScore score, boolean paced, String skipped) {
    }

    /** The header files of the folder's WFDB records, in name order. */
    static List<Path> headers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().toList();
        }
    }

    /** @return the number of records evaluated */
    public static int run(Path folder, PrintStream out) throws IOException {
        List<Path> headers = headers(folder);
        BeatScore total = BeatScore.NONE;
        BeatScore paced = BeatScore.NONE;
        int records = 0;
        int pacedRecords = 0;
        for (Path header : headers) {
            RecordResult result = evaluate(header);
            if (result.skipped() != null) {
                out.println("skipped " + result.record() + ": " + result.skipped());
                continue;
            }
            BeatScore s = result.score();
            out.println("record " + result.record() + (result.paced() ? " (paced)" : "") + " beats=" + s.referenceBeats()
                    + " TP=" + s.truePositives() + " FN=" + s.falseNegatives() + " FP=" + s.falsePositives()
                    + " Se=" + BeatScore.twoDecimals(s.sensitivity())
                    + " +P=" + BeatScore.twoDecimals(s.positivePredictivity()));
            if (result.paced()) {
                paced = paced.plus(s);
                pacedRecords++;
            } else {
                total = total.plus(s);
                records++;
            }
        }
        if (pacedRecords > 0) {
            out.println("QRS paced Se=" + BeatScore.twoDecimals(paced.sensitivity()) + " +P="
                    + BeatScore.twoDecimals(paced.positivePredictivity()) + " records=" + pacedRecords
                    + " beats=" + paced.referenceBeats());
        }
        out.println("QRS gross Se=" + BeatScore.twoDecimals(total.sensitivity()) + " +P="
                + BeatScore.twoDecimals(total.positivePredictivity()) + " records=" + records
                + " beats=" + total.referenceBeats());
        return records + pacedRecords;
    }

    static RecordResult evaluate(Path headerFile) {
        String name = headerFile.getFileName().toString().replace(".hea", "");
        Path folder = headerFile.getParent();
        Path annotations = folder.resolve(name + ".atr");
        if (!Files.exists(annotations)) {
            return new RecordResult(name, null, false, "no reference annotations (" + name + ".atr)");
        }
        try {
            WfdbHeader header = WfdbHeader.read(headerFile);
            int[] signal = WfdbSignals.read(folder, header)[0];
            List<WfdbAnnotations.Annotation> reference = WfdbAnnotations.read(annotations);
            List<Long> detected = detect(signal, header.sampleRateHz());
            List<long[]> flutter = flutterIntervals(reference);
            List<Long> beats = reference.stream().filter(WfdbAnnotations.Annotation::isBeat)
                    .map(WfdbAnnotations.Annotation::sample).filter(s -> !inside(s, flutter)).toList();
            List<Long> kept = detected.stream().filter(s -> !inside(s, flutter)).toList();
            boolean paced = reference.stream().anyMatch(a -> a.code() == WfdbAnnotations.PACED);
            long window = Math.round(MATCH_WINDOW_SECONDS * header.sampleRateHz());
            return new RecordResult(name, BeatScore.compare(beats, kept, window), paced, null);
        } catch (IOException | RuntimeException e) {
            return new RecordResult(name, null, false, e.getMessage());
        }
    }

    /** The detector as the stream processor runs it: segment after segment, state carried over. */
    static List<Long> detect(int[] signal, double sampleRateHz) {
        List<Long> beats = new ArrayList<>();
        QrsDetector detector = new QrsDetector(sampleRateHz);
        int segment = (int) Math.round(SEGMENT_SECONDS * sampleRateHz);
        for (int start = 0; start < signal.length; start += segment) {
            int end = Math.min(signal.length, start + segment);
            for (int i = start; i < end; i++) {
                detector.accept(signal[i], beats::add);
            }
        }
        return beats;
    }

    /** Ventricular flutter episodes ([ to ]) are excluded from QRS scoring, as EC57 does. */
    static List<long[]> flutterIntervals(List<WfdbAnnotations.Annotation> reference) {
        List<long[]> intervals = new ArrayList<>();
        long start = -1;
        for (WfdbAnnotations.Annotation a : reference) {
            if (a.code() == WfdbAnnotations.FLUTTER_START) {
                start = a.sample();
            } else if (a.code() == WfdbAnnotations.FLUTTER_END && start >= 0) {
                intervals.add(new long[] {start, a.sample()});
                start = -1;
            }
        }
        return intervals;
    }

    static boolean inside(long sample, List<long[]> intervals) {
        for (long[] interval : intervals) {
            if (sample >= interval[0] && sample <= interval[1]) {
                return true;
            }
        }
        return false;
    }
}
