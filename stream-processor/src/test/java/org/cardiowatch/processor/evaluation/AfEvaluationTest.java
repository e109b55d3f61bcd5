package org.cardiowatch.processor.evaluation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AF evaluation on a record the test writes: sinus, an AF episode, sinus again. */
class AfEvaluationTest {

    private static final int SINUS_BEFORE = 200;
    private static final int AF_BEATS = 400;
    private static final int SINUS_AFTER = 300;

    @TempDir
    Path folder;

    @Test
    void shouldScoreAnEpisodeItFindsAndPrintTheSummaryLinesScriptsRead() throws IOException {
        writeRecord("r1");
        Files.write(folder.resolve("r2.qrs"), new byte[] {0, 0});

        List<String> lines = run();

        assertThat("a record without its reference rhythm is skipped, saying why", lines,
                hasItem("skipped r2: no reference rhythm (r2.atr)"));
        assertThat(lines, hasItem(containsString("record r1 AF-ref-min=")));
        String summary = lines.get(lines.size() - 1);
        assertThat(summary, matchesPattern("AF duration Se=\\d+\\.\\d\\d \\+P=\\d+\\.\\d\\d episode Se=\\d+\\.\\d\\d"
                + " \\+P=\\d+\\.\\d\\d onset-delay-median-s=\\d+ records=1"));
        assertThat("the one episode is found", summary, containsString("episode Se=100.00 +P=100.00"));
        assertThat("most of its time is found", percent(summary, "AF duration Se="), greaterThan(90.0));
        assertThat("and little else", percent(summary, "\\+P="), greaterThan(90.0));
    }

    @Test
    void shouldSayWhyTheBeatsItMissedWereMissedPerRecordAndInTotal() throws IOException {
        writeRecord("r1");
        writeRecord("r2");

        List<String> lines = run();

        List<Long> perRecord = lines.stream().filter(l -> l.startsWith("  why missed: ")).map(AfEvaluationTest::missed)
                .toList();
        long total = missed(lines.stream().filter(l -> l.startsWith("AF why missed: ")).findFirst().orElseThrow());
        assertThat("the detector misses some beats at the edges of the episode",
                perRecord.get(0), greaterThan(0L));
        assertThat("the total adds up the records", total, is(perRecord.get(0) + perRecord.get(1)));
    }

    private static long missed(String whyLine) {
        Matcher count = Pattern.compile("missed-AF-beats=(\\d+) ").matcher(whyLine);
        assertThat(whyLine, count.find(), is(true));
        return Long.parseLong(count.group(1));
    }

    private List<String> run() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AfEvaluation.run(folder, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static double percent(String line, String label) {
        Matcher m = Pattern.compile(label + "(\\d+\\.\\d\\d)").matcher(line);
        assertThat(line, m.find(), is(true));
        return Double.parseDouble(m.group(1));
    }

    /** Beats ({@code .qrs}) and rhythm ({@code .atr}) at 250 Hz, as in the MIT-BIH AF database. */
    private void writeRecord(String name) throws IOException {
        Random random = new Random(11);
        ByteArrayOutputStream beats = new ByteArrayOutputStream();
        ByteArrayOutputStream rhythm = new ByteArrayOutputStream();
        int sinceRhythm = 0;
        rhythm(rhythm, 0, "(N");
        for (int i = 0; i < SINUS_BEFORE + AF_BEATS + SINUS_AFTER; i++) {
            boolean af = i >= SINUS_BEFORE && i < SINUS_BEFORE + AF_BEATS;
            int rrSamples = af ? 90 + random.nextInt(160) : 212 + random.nextInt(5);
            if (i == SINUS_BEFORE || i == SINUS_BEFORE + AF_BEATS) {
                rhythm(rhythm, sinceRhythm, af ? "(AFIB" : "(N");
                sinceRhythm = 0;
            }
            word(beats, 1, rrSamples);
            sinceRhythm += rrSamples;
        }
        word(beats, 0, 0);
        word(rhythm, 0, 0);
        Files.write(folder.resolve(name + ".qrs"), beats.toByteArray());
        Files.write(folder.resolve(name + ".atr"), rhythm.toByteArray());
    }

    /** A rhythm change {@code delta} samples after the previous annotation, by a SKIP when it is that far. */
    private static void rhythm(ByteArrayOutputStream out, int delta, String aux) {
        if (delta > 1023) {
            word(out, 59, 0);
            out.write(delta >> 16 & 0xff);
            out.write(delta >> 24 & 0xff);
            out.write(delta & 0xff);
            out.write(delta >> 8 & 0xff);
            delta = 0;
        }
        word(out, WfdbAnnotations.RHYTHM, delta);
        byte[] text = aux.getBytes(StandardCharsets.US_ASCII);
        word(out, 63, text.length);
        out.writeBytes(text);
        if (text.length % 2 == 1) {
            out.write(0);
        }
    }

    private static void word(ByteArrayOutputStream out, int type, int value) {
        int word = type << 10 | value;
        out.write(word & 0xff);
        out.write(word >> 8);
    }
}
