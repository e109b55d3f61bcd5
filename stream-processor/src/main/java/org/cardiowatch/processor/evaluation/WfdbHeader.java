package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WFDB record header ({@code .hea}): the record line {@code name nsig fs nsamples} and one line
 * per signal {@code file format gain adcres adczero initval checksum blocksize description}.
 */
public record WfdbHeader(String record, double sampleRateHz, long samples, List<Signal> signals) {

    /** One signal of the record. */
    public record Signal(String file, int format, double gain, int adcZero, int initialValue, int checksum,
            String description) {
    }

    /** @throws IllegalArgumentException naming what is malformed */
    public static WfdbHeader read(Path header) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(header, StandardCharsets.US_ASCII)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(trimmed);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(header + ": empty header");
        }
        String[] record = lines.get(0).split("\\s+");
        if (record.length < 4) {
            throw new IllegalArgumentException(header + ": record line needs name, signals, frequency, samples");
        }
        int count = Integer.parseInt(record[1]);
        double fs = Double.parseDouble(record[2].split("/")[0]);
        long samples = Long.parseLong(record[3]);
        if (lines.size() < 1 + count) {
            throw new IllegalArgumentException(header + ": " + count + " signals announced, fewer described");
        }
        List<Signal> signals = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String[] f = lines.get(i).split("\\s+", 9);
            if (f.length < 7) {
                throw new IllegalArgumentException(header + ": signal line " + i + " is incomplete");
            }
            double gain = Double.parseDouble(f[2].replaceAll("[(/].*", ""));
            signals.add(new Signal(f[0], Integer.parseInt(f[1].split("x")[0]), gain == 0 ? 200 : gain,
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    f.length > 8 ? f[8] : ""));
        }
        return new WfdbHeader(record[0], fs, samples, List.copyOf(signals));
    }
}
