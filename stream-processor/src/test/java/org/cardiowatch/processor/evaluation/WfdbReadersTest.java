package org.cardiowatch.processor.evaluation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WFDB readers on small files the test writes, so no PhysioNet data is needed. */
class WfdbReadersTest {

    @TempDir
    Path folder;

    @Test
    void shouldReadFormat212SignalsAndCheckTheirChecksums() throws IOException {
        int[] first = {5, -3, 2047, -2048};
        int[] second = {-1, 100, 0, 7};
        writeRecord(first, second, checksum(first), checksum(second));

        int[][] samples = WfdbSignals.read(folder, WfdbHeader.read(folder.resolve("t1.hea")));

        assertThat(samples[0], equalTo(first));
        assertThat(samples[1], equalTo(second));
    }

    @Test
    void shouldRefuseASignalWhoseChecksumDoesNotMatch() throws IOException {
        int[] first = {5, -3, 2047, -2048};
        int[] second = {-1, 100, 0, 7};
        writeRecord(first, second, checksum(first) + 1, checksum(second));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WfdbSignals.read(folder, WfdbHeader.read(folder.resolve("t1.hea"))));
        assertThat(e.getMessage(), containsString("checksum"));
    }

    @Test
    void shouldReadAnnotationsWithSkipAndAuxText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        word(out, 1, 100);                // N at 100
        word(out, 59, 0);                 // SKIP 70000
        out.write(new byte[] {0x01, 0x00, 0x70, 0x11}); // high word 1, low word 0x1170 -> 65536 + 4464
        word(out, 28, 10);                // rhythm change 10 later
        byte[] aux = "(AFIB".getBytes(StandardCharsets.US_ASCII);
        word(out, 63, aux.length);
        out.write(aux);
        out.write(0);                     // pad to even length
        word(out, 5, 300);                // V
        word(out, 0, 0);
        Files.write(folder.resolve("t.atr"), out.toByteArray());

        List<WfdbAnnotations.Annotation> annotations = WfdbAnnotations.read(folder.resolve("t.atr"));

        long afterSkip = 100 + 65536 + 4464 + 10;
        assertThat(annotations, contains(new WfdbAnnotations.Annotation(100, 1, ""),
                new WfdbAnnotations.Annotation(afterSkip, 28, "(AFIB"),
                new WfdbAnnotations.Annotation(afterSkip + 300, 5, "")));
    }

    @Test
    void shouldScoreDetectionsWithinTheMatchWindowOnly() {
        BeatScore score = BeatScore.compare(List.of(100L, 400L, 700L, 1000L), List.of(110L, 460L, 690L, 850L), 54);
        assertThat("100~110 and 700~690 match; 400 and 1000 are missed; 460 and 850 are false",
                score, equalTo(new BeatScore(2, 2, 2)));
    }

    private void writeRecord(int[] first, int[] second, int checksumFirst, int checksumSecond) throws IOException {
        Files.writeString(folder.resolve("t1.hea"), "t1 2 360 4\r\n"
                + "t1.dat 212 200 11 1024 " + first[0] + " " + checksumFirst + " 0 MLII\r\n"
                + "t1.dat 212 200 11 1024 " + second[0] + " " + checksumSecond + " 0 V1\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < first.length; i++) {
            int a = first[i] & 0xfff;
            int b = second[i] & 0xfff;
            out.write(a & 0xff);
            out.write(((a >> 8) & 0x0f) | ((b >> 4) & 0xf0));
            out.write(b & 0xff);
        }
        Files.write(folder.resolve("t1.dat"), out.toByteArray());
    }

    private static int checksum(int[] samples) {
        short sum = 0;
        for (int s : samples) {
            sum += (short) s;
        }
        return sum;
    }

    private static void word(ByteArrayOutputStream out, int type, int value) {
        int word = type << 10 | value;
        out.write(word & 0xff);
        out.write(word >> 8);
    }
}
