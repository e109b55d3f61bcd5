package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads MIT-format annotation files ({@code .atr}, {@code .qrs}), with SKIP, NUM/SUB/CHN and AUX. */
public final class WfdbAnnotations {

    /** Annotation codes. */
    public static final int NORMAL = 1;
    public static final int PACED = 12;
    public static final int RHYTHM = 28;
    public static final int FLUTTER_WAVE = 31;
    public static final int FLUTTER_START = 32;
    public static final int FLUTTER_END = 33;

    /** Codes of beats, as ANSI/AAMI EC57 and bxb count them: N L R B A a J S V r F e j n E / f Q ?. */
    public static final Set<Integer> BEATS = Set.of(1, 2, 3, 25, 8, 4, 7, 9, 5, 41, 6, 10, 11, 35, 34, 12, 38, 13, 30);

    private static final int SKIP = 59;
    private static final int NUM = 60;
    private static final int SUB = 61;
    private static final int CHN = 62;
    private static final int AUX = 63;

    /** One annotation: its sample index, code, and aux text (rhythm names such as "(AFIB"). */
    public record Annotation(long sample, int code, String aux) {
        public boolean isBeat() {
            return BEATS.contains(code);
        }
    }

    private WfdbAnnotations() {
    }

    public static List<Annotation> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Annotation> annotations = new ArrayList<>();
        long time = 0;
        int i = 0;
        while (i + 1 < bytes.length) {
            int word = (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8;
            i += 2;
            int type = word >> 10;
            int value = word & 0x3ff;
            if (type == 0 && value == 0) {
                break;
            }
            switch (type) {
                case SKIP -> {
                    if (i + 3 >= bytes.length) {
                        throw new IllegalArgumentException(file + ": SKIP at the end of the file");
                    }
                    int high = (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8;
                    int low = (bytes[i + 2] & 0xff) | (bytes[i + 3] & 0xff) << 8;
                    time += (high << 16) | low;
                    i += 4;
                }
                case NUM, SUB, CHN -> {
                    // Not needed for scoring.
                }
                case AUX -> {
                    if (!annotations.isEmpty()) {
                        Annotation last = annotations.remove(annotations.size() - 1);
                        String text = new String(bytes, i, Math.min(value, bytes.length - i), StandardCharsets.US_ASCII)
                                .replace("\0", "");
                        annotations.add(new Annotation(last.sample(), last.code(), text));
                    }
                    i += value + (value & 1);
                }
                default -> {
                    time += value;
                    annotations.add(new Annotation(time, type, ""));
                }
            }
        }
        return annotations;
    }
}
