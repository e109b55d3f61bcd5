package org.cardiowatch.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.simulator.patient.Episode;
import org.cardiowatch.simulator.patient.VirtualPatient;
import org.junit.jupiter.api.Test;

class VirtualPatientTest {

    private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void shouldProduceRestingVitalsWithRrIntervalsMatchingTheRate() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(), Duration.ofMinutes(10), false, 1, START);
        for (int second = 0; second < 30; second++) {
            DeviceVitals reading = patient.readingAt(START.plusSeconds(second)).orElseThrow();
            assertThat("resting heart rate stays near 70", reading.getHeartRateBpm().doubleValue(),
                    allOf(greaterThan(60.0), lessThan(80.0)));
            assertThat(reading.getRrIntervalsMs(), everyItem(allOf(greaterThan(700), lessThan(1000))));
            assertThat(reading.getSpo2Percent().doubleValue(), allOf(greaterThanOrEqualTo(93.0), lessThanOrEqualTo(100.0)));
        }
    }

    @Test
    void shouldRaiseTheHeartRateAboveTheTachycardiaLimitDuringTheEpisode() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(
                new Episode(Episode.Kind.TACHYCARDIA, Duration.ofSeconds(10), Duration.ofSeconds(60))),
                Duration.ofMinutes(10), false, 2, START);
        for (int second = 0; second < 70; second++) {
            DeviceVitals reading = patient.readingAt(START.plusSeconds(second)).orElseThrow();
            if (second >= 20) {
                assertThat("after a few seconds of episode the rate is well above 130",
                        reading.getHeartRateBpm().doubleValue(), greaterThan(135.0));
            }
        }
    }

    @Test
    void shouldDrawWideVentricularBeatsAt160BpmDuringVentricularTachycardia() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(
                new Episode(Episode.Kind.VENTRICULAR_TACHYCARDIA, Duration.ofSeconds(20), Duration.ofSeconds(20))),
                Duration.ofMinutes(10), true, 4, START);
        int sinusLowest = 0;
        int vtLowest = 0;
        List<Integer> vtIntervals = new java.util.ArrayList<>();
        for (int second = 1; second < 40; second++) {
            Instant now = START.plusSeconds(second);
            List<Integer> rr = patient.readingAt(now).orElseThrow().getRrIntervalsMs();
            int lowest = patient.ecgSegment(now.minusSeconds(1), Duration.ofSeconds(1)).getSamplesMicroVolts().stream()
                    .mapToInt(Integer::intValue).min().orElseThrow();
            if (second < 20) {
                sinusLowest = Math.min(sinusLowest, lowest);
            } else if (second >= 25) {
                vtLowest = Math.min(vtLowest, lowest);
                vtIntervals.addAll(rr);
            }
        }
        assertThat("the narrow sinus QRS dips little", sinusLowest, greaterThan(-500));
        assertThat("the wide ventricular QRS deep", vtLowest, lessThan(-700));
        assertThat("at about 160 bpm", vtIntervals, everyItem(allOf(greaterThan(330), lessThan(420))));
    }

    @Test
    void shouldSendNothingWhileTheDeviceIsSilent() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(
                new Episode(Episode.Kind.SILENCE, Duration.ofSeconds(5), Duration.ofSeconds(10))),
                Duration.ofMinutes(10), false, 3, START);
        assertThat(patient.readingAt(START.plusSeconds(4)).isPresent(), is(true));
        assertThat("silent during the episode", patient.readingAt(START.plusSeconds(9)).isPresent(), is(false));
        assertThat(patient.readingAt(START.plusSeconds(16)).isPresent(), is(true));
    }

    @Test
    void shouldRepeatTheScenarioEveryCycle() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(
                new Episode(Episode.Kind.DESATURATION, Duration.ofSeconds(5), Duration.ofSeconds(10))),
                Duration.ofMinutes(1), false, 4, START);
        assertThat(patient.episodeAt(START.plusSeconds(65)).orElse(null), is(Episode.Kind.DESATURATION));
    }

    @Test
    void shouldMakeEcgAt250HzWithOneTallRWavePerBeat() {
        VirtualPatient patient = new VirtualPatient("p", 60, List.of(), Duration.ofMinutes(10), true, 5, START);
        for (int second = 0; second <= 10; second++) {
            patient.readingAt(START.plusSeconds(second));
        }
        DeviceEcg ecg = patient.ecgSegment(START, Duration.ofSeconds(10));
        assertThat(ecg.getSamplesMicroVolts().size(), is(2500));
        long peaks = 0;
        List<Integer> samples = ecg.getSamplesMicroVolts();
        for (int i = 1; i < samples.size() - 1; i++) {
            if (samples.get(i) > 700 && samples.get(i) >= samples.get(i - 1) && samples.get(i) > samples.get(i + 1)) {
                peaks++;
            }
        }
        assertThat("about 60 bpm over 10 s gives about 10 R waves", (double) peaks,
                allOf(greaterThanOrEqualTo(8.0), lessThanOrEqualTo(12.0)));
    }

    @Test
    void shouldBeatIrregularlyDuringAtrialFibrillation() {
        VirtualPatient patient = new VirtualPatient("p", 70, List.of(
                new Episode(Episode.Kind.ATRIAL_FIBRILLATION, Duration.ZERO, Duration.ofMinutes(5))),
                Duration.ofMinutes(10), false, 6, START);
        java.util.List<Integer> rr = new java.util.ArrayList<>();
        for (int second = 0; second < 60; second++) {
            rr.addAll(patient.readingAt(START.plusSeconds(second)).orElseThrow().getRrIntervalsMs());
        }
        double meanAbsoluteDifference = 0;
        for (int i = 1; i < rr.size(); i++) {
            meanAbsoluteDifference += Math.abs(rr.get(i) - rr.get(i - 1));
        }
        meanAbsoluteDifference /= rr.size() - 1;
        assertThat("successive intervals differ by far more than in sinus rhythm", meanAbsoluteDifference,
                greaterThan(100.0));
    }
}
