package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./cardiowatch evaluate FOLDER...}: runs the streaming detectors over annotated records
 * and prints their accuracy. A folder of ECG records (.hea, .dat, .atr) is scored for QRS
 * detection; a folder of beat annotation files (.qrs with reference rhythm in .atr) for atrial
 * fibrillation. A folder holding such folders (as ../shared/data does) is searched one level down.
 */
public final class EvaluateDetectors {

    private EvaluateDetectors() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("Usage: ./cardiowatch evaluate FOLDER...   (for example ../shared/data)");
            System.exit(2);
        }
        int evaluated = 0;
        for (String arg : args) {
            Path folder = Path.of(arg);
            if (!Files.isDirectory(folder)) {
                System.err.println("not a folder: " + folder);
                System.exit(2);
            }
            evaluated += evaluate(folder, true);
        }
        if (evaluated == 0) {
            System.err.println("no records found: a folder needs .hea/.dat/.atr records or .qrs/.atr beat files");
            System.exit(1);
        }
    }

    private static int evaluate(Path folder, boolean descend) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.sorted().toList();
        }
        boolean ecgRecords = entries.stream().anyMatch(p -> p.toString().endsWith(".hea"));
        boolean beatFiles = entries.stream().anyMatch(p -> p.toString().endsWith(".qrs"));
        int evaluated = 0;
        if (ecgRecords) {
            System.out.println("== QRS detection: " + folder + " (first signal, from minute 0, match window 150 ms)");
            evaluated += QrsEvaluation.run(folder, System.out);
            System.out.println("== Beat classes: " + folder + " (first signal, AAMI classes, scored from minute 5,"
                    + " paced records apart)");
            BeatClassEvaluation.run(folder, System.out);
            System.out.println("== Atrial fibrillation with P waves: " + folder + " (records "
                    + String.join(", ", AtrialActivityEvaluation.RECORDS_WITH_AF) + " with AF, the others apart;"
                    + " detected beats, from minute 0)");
            AtrialActivityEvaluation.run(folder, System.out);
        }
        if (beatFiles) {
            System.out.println("== Atrial fibrillation: " + folder + " (RR intervals from the .qrs beats)");
            evaluated += AfEvaluation.run(folder, System.out);
        }
        if (!ecgRecords && !beatFiles && descend) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    evaluated += evaluate(entry, false);
                }
            }
        }
        return evaluated;
    }
}
