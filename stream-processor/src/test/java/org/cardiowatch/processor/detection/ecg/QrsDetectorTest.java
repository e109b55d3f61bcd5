package org.cardiowatch.processor.detection.ecg;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QrsDetectorTest {

    private static final double TOLERANCE_SECONDS = 0.05;

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500})
    void shouldFindEveryBeatAtAnySupportedSampleRate(double sampleRateHz) {
        SyntheticEcg ecg = new SyntheticEcg(sampleRateHz, SyntheticEcg.regular(72, 60), 0, 10, 1);

        List<Long> detected = detect(ecg, (int) (2 * sampleRateHz));

        assertMatches(ecg, detected);
    }

    @Test
    void shouldCopeWithBaselineWanderAndNoise() {
        SyntheticEcg ecg = new SyntheticEcg(250, SyntheticEcg.regular(65, 80), 800, 60, 2);
        assertMatches(ecg, detect(ecg, 500));
    }

    @Test
    void shouldFollowARateChangeFromBradycardiaToTachycardia() {
        double[] rr = new double[90];
        for (int i = 0; i < rr.length; i++) {
            rr[i] = i < 30 ? 1.5 : i < 60 ? 0.75 : 0.38;
        }
        SyntheticEcg ecg = new SyntheticEcg(250, rr, 200, 20, 3);
        assertMatches(ecg, detect(ecg, 500));
    }

    @Test
    void shouldReportNoBeatDuringAPause() {
        double[] rr = SyntheticEcg.regular(70, 40);
        rr[25] = 4.0;
        SyntheticEcg ecg = new SyntheticEcg(250, rr, 0, 20, 4);
        List<Long> detected = detect(ecg, 500);

        long pauseStart = ecg.beats.get(24) + 20;
        long pauseEnd = ecg.beats.get(25) - 20;
        assertThat("a 4 s pause must stay a pause: no beat invented inside it",
                detected.stream().filter(b -> b > pauseStart && b < pauseEnd).toList(), empty());
        assertMatches(ecg, detected);
    }

    @Test
    void shouldFindTheSameBeatsWhateverTheSegmentLength() {
        SyntheticEcg ecg = new SyntheticEcg(250, SyntheticEcg.regular(80, 50), 300, 30, 5);
        assertThat("state is carried between segments", detect(ecg, 37), equalTo(detect(ecg, ecg.samples.length)));
    }

    @Test
    void shouldReportBeatsInIncreasingOrderOnce() {
        SyntheticEcg ecg = new SyntheticEcg(360, SyntheticEcg.regular(100, 100), 500, 80, 6);
        List<Long> detected = detect(ecg, 720);
        for (int i = 1; i < detected.size(); i++) {
            assertThat("beat " + i + " after beat " + (i - 1), detected.get(i - 1) < detected.get(i), equalTo(true));
        }
    }

    @Test
    void shouldResumeAfterAGapInTheRecording() {
        SyntheticEcg ecg = new SyntheticEcg(250, SyntheticEcg.regular(70, 60), 0, 20, 7);
        List<Long> detected = new ArrayList<>();
        QrsDetector detector = new QrsDetector(250);
        int gapFrom = 20 * 250;
        int gapTo = 23 * 250;
        for (int i = 0; i < ecg.samples.length; i++) {
            if (i == gapFrom) {
                detector.skip(gapTo - gapFrom);
                i = gapTo;
            }
            detector.accept(ecg.samples[i], detected::add);
        }
        long after = detected.stream().filter(b -> b > gapTo + 250).count();
        long expected = ecg.beats.stream().filter(b -> b > gapTo + 250).count();
        assertThat("beats after the gap are found again", (double) after, org.hamcrest.Matchers.greaterThanOrEqualTo(expected - 1.0));
    }

    @Test
    void shouldRefuseAGapBeforeItHasLearnedTheSignalWhosePeaksItWouldReportAfterIt() {
        SyntheticEcg ecg = new SyntheticEcg(250, SyntheticEcg.regular(70, 10), 0, 20, 7);
        QrsDetector detector = new QrsDetector(250);
        List<Long> detected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            detector.accept(ecg.samples[i], detected::add);
        }

        assertThat("one second in, still learning", detector.learned(), equalTo(false));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> detector.skip(1_000));
        for (int i = 250; i < 3 * 250; i++) {
            detector.accept(ecg.samples[i], detected::add);
        }
        assertThat("learned after its first seconds", detector.learned(), equalTo(true));
    }

    private static List<Long> detect(SyntheticEcg ecg, int segment) {
        List<Long> detected = new ArrayList<>();
        QrsDetector detector = new QrsDetector(ecg.sampleRateHz);
        for (int start = 0; start < ecg.samples.length; start += segment) {
            for (int i = start; i < Math.min(ecg.samples.length, start + segment); i++) {
                detector.accept(ecg.samples[i], detected::add);
            }
        }
        return detected;
    }

    private static void assertMatches(SyntheticEcg ecg, List<Long> detected) {
        long tolerance = Math.round(TOLERANCE_SECONDS * ecg.sampleRateHz);
        assertThat("one detection per beat, no more", detected, hasSize(ecg.beats.size()));
        for (int i = 0; i < ecg.beats.size(); i++) {
            assertThat("beat " + i + " is found within 50 ms of its R peak",
                    Math.abs(detected.get(i) - ecg.beats.get(i)), lessThanOrEqualTo(tolerance));
        }
    }
}
