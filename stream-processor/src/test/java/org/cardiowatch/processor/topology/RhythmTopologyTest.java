package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.cardiowatch.processor.detection.ecg.SyntheticEcg;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECG segments and wearable RR intervals in; beats and rhythm alerts out. */
class RhythmTopologyTest {

    private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");
    private static final String PATIENT = "patient-r";

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TestInputTopic<String, EcgSegment> ecg;
    private TestInputTopic<String, VitalSigns> vitals;
    private TestOutputTopic<String, Beat> beats;
    private TestOutputTopic<String, Alert> alerts;
    private long sequence;
    private long lastReadingAt = START.toEpochMilli();

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(stateDir, START);
        ecg = fixture.input(Topics.ECG);
        vitals = fixture.input(Topics.VITALS);
        beats = fixture.output(Topics.BEATS);
        alerts = fixture.output(Topics.ALERTS);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldEmitEachBeatOfAnEcgSentInSegmentsOnceEvenWhenASegmentIsRedelivered() {
        SyntheticEcg signal = new SyntheticEcg(250, SyntheticEcg.regular(75, 75), 300, 30, 11);
        int segment = 500;
        for (int start = 0; start + segment <= signal.samples.length; start += segment) {
            EcgSegment piece = segment(signal, start, segment);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
            if (start == 10 * segment) {
                ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
            }
        }

        List<Beat> found = beats.readValuesToList();
        long expected = signal.beats.stream().filter(b -> b < signal.samples.length - 250).count();
        assertThat("every beat once, the redelivered segment adding none", (double) found.size(),
                org.hamcrest.Matchers.closeTo(expected, 1));
        for (Beat beat : found) {
            long truth = nearest(signal, beat.getRPeakAt().toEpochMilli() - START.toEpochMilli());
            assertThat("R peak time within 50 ms", Math.abs(truth - (beat.getRPeakAt().toEpochMilli() - START.toEpochMilli())),
                    lessThanOrEqualTo(50L));
            assertThat(beat.getSource(), is(BeatSource.ECG));
        }
        List<Integer> rr = found.stream().map(Beat::getRrMillis).filter(java.util.Objects::nonNull).sorted().toList();
        assertThat("the median RR of a 75 bpm rhythm is 800 ms", (double) rr.get(rr.size() / 2),
                org.hamcrest.Matchers.closeTo(800, 8));
    }

    @Test
    void shouldGiveEachEcgBeatItsClassAndWearableBeatsNone() {
        // Sinus rhythm with a ventricular premature beat (coupled at 60 %, compensatory pause) every 8th beat.
        char[] kinds = kindsWithAPrematureVentricularBeatEvery(8, 90);
        SyntheticEcg signal = sendEcgOf(kinds);
        sendRrInReadingsOf(List.of(800, 800, 800, 800), 4);

        List<Beat> found = beats.readValuesToList();
        List<String> ventricular = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Beat beat : found.stream().filter(b -> b.getSource() == BeatSource.ECG).toList()) {
            long at = beat.getRPeakAt().toEpochMilli() - START.toEpochMilli();
            long truth = nearest(signal, at);
            char kind = kinds[signal.beats.indexOf(Math.round(truth * signal.sampleRateHz / 1000))];
            if (at > 20_000 && beat.getBeatClass() != (kind == 'V' ? BeatClass.V : BeatClass.N)) {
                wrong.add(at + " " + kind + " " + beat.getBeatClass());
            }
            if (beat.getBeatClass() == BeatClass.V) {
                ventricular.add(String.valueOf(at));
            }
        }
        assertThat("every ECG beat after the first 20 s gets its class", wrong, org.hamcrest.Matchers.empty());
        assertThat("the ventricular premature beats among them", ventricular.size(),
                org.hamcrest.Matchers.greaterThanOrEqualTo(8));
        assertThat("a wearable's beats have no shape to classify",
                found.stream().filter(b -> b.getSource() == BeatSource.DEVICE_RR).map(Beat::getBeatClass).distinct().toList(),
                contains((BeatClass) null));
    }

    @Test
    void shouldCountEachMinutesEcgBeatsByClassInTheMinuteOfTheVitals() {
        TestOutputTopic<String, VitalsMinute> minutes = fixture.output(Topics.VITALS_1M);
        // A wearable's 10 readings in the first minute: a heart rate and RR intervals (beats with no class).
        sendReadings(java.util.Collections.nCopies(40, 800), 4, 70f);
        // Then the chest patch's ECG: sinus rhythm with a ventricular premature beat every 8th beat, 2 minutes.
        sendEcgOf(kindsWithAPrematureVentricularBeatEvery(8, 160));

        List<Beat> firstMinute = beats.readValuesToList().stream()
                .filter(b -> b.getRPeakAt().isBefore(START.plusSeconds(60))).toList();
        VitalsMinute minute = minutes.readValuesToList().stream()
                .filter(m -> m.getMinuteStart().equals(START)).findFirst().orElseThrow();
        assertThat("the wearable's readings", minute.getReadings(), is(10));
        assertThat(minute.getHeartRateMean(), equalTo(70.0));
        assertThat("every ECG beat of the minute, not the wearable's", minute.getClassifiedBeats(),
                is((int) firstMinute.stream().filter(b -> b.getSource() == BeatSource.ECG).count()));
        assertThat(minute.getVentricularBeats(),
                is((int) firstMinute.stream().filter(b -> b.getBeatClass() == BeatClass.V).count()));
        assertThat("the premature beats of the minute after the first 20 s were seen", minute.getVentricularBeats(),
                org.hamcrest.Matchers.greaterThanOrEqualTo(4));
        assertThat(minute.getSupraventricularBeats(),
                is((int) firstMinute.stream().filter(b -> b.getBeatClass() == BeatClass.S).count()));
    }

    @Test
    void shouldRaiseFrequentVentricularBeatsAtTheLimitThePatientsPhysicianSet() {
        fixture.input(Topics.THRESHOLDS).pipeInput(PATIENT, PatientThresholds.newBuilder().setPatientId(PATIENT)
                .setFrequentPvcPercent(5.0).setSetBy("cardio1").setSetAt(START).build(), START);
        // A ventricular premature beat every 14th beat (7 %, under the default 10 %), for 5 minutes.
        sendEcgOf(kindsWithAPrematureVentricularBeatEvery(14, 380));

        List<Alert> frequent = alerts.readValuesToList().stream().filter(a -> a.getKind() == AlertKind.FREQUENT_PVC)
                .toList();
        assertThat("one episode at the patient's limit", frequent.stream().map(a -> a.getState().name()).toList(),
                contains("OPEN"));
        assertThat(frequent.get(0).getEvidence().getThreshold(), equalTo(5.0));
    }

    @Test
    void shouldRaiseOneVentricularTachycardiaAlertForARunMakeItCriticalWhenSustainedAndResolveIt() {
        // 60 s of sinus rhythm, 40 s of wide beats at 150 bpm, 80 s of sinus rhythm again.
        List<Double> rr = new ArrayList<>();
        List<Character> kinds = new ArrayList<>();
        for (double t = 0; t < 60; t += 0.8) {
            rr.add(0.8);
            kinds.add('N');
        }
        for (double t = 0; t < 40; t += 0.4) {
            rr.add(0.4);
            kinds.add('V');
        }
        for (double t = 0; t < 80; t += 0.8) {
            rr.add(0.8);
            kinds.add('N');
        }
        SyntheticEcg signal = new SyntheticEcg(250, rr.stream().mapToDouble(Double::doubleValue).toArray(),
                kinds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining()).toCharArray(), 100, 10, 8);
        for (int start = 0; start + 500 <= signal.samples.length; start += 500) {
            EcgSegment piece = segment(signal, start, 500);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }

        List<Alert> vt = alerts.readValuesToList().stream()
                .filter(a -> a.getKind() == AlertKind.VENTRICULAR_TACHYCARDIA).toList();
        assertThat("opened at the run's third beat, critical once sustained 30 s, resolved after a quiet minute",
                vt.stream().map(a -> a.getState() + " " + a.getSeverity()).toList(),
                contains("OPEN WARNING", "UPDATED CRITICAL", "RESOLVED CRITICAL"));
        assertThat("one alert", vt.stream().map(Alert::getAlertId).distinct().count(), is(1L));
        AlertEvidence opened = vt.get(0).getEvidence();
        assertThat("its evidence: the run's first three beats at 150 bpm", List.of(opened.getBeatCount(),
                (int) Math.round(opened.getRateBpm())), contains(3, 150));
        assertThat("the run began a minute in (its first V beat at 60.9 s)", opened.getBeatsFrom().toEpochMilli() - START.toEpochMilli(),
                org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThan(60_800L), lessThanOrEqualTo(61_800L)));
    }

    @Test
    void shouldRaiseOneBigeminyAlertFromTheEcgAndResolveIt() {
        // 30 s of sinus rhythm, 48 s of bigeminy (a V beat 500 ms after each normal one, 1,100 ms to the next), 80 s sinus.
        List<Double> rr = new ArrayList<>();
        StringBuilder kinds = new StringBuilder();
        for (int i = 0; i < 38; i++) {
            rr.add(0.8);
            kinds.append('N');
        }
        for (int i = 0; i < 30; i++) {
            rr.add(0.5);
            kinds.append('V');
            rr.add(1.1);
            kinds.append('N');
        }
        for (int i = 0; i < 100; i++) {
            rr.add(0.8);
            kinds.append('N');
        }
        SyntheticEcg signal = new SyntheticEcg(250, rr.stream().mapToDouble(Double::doubleValue).toArray(),
                kinds.toString().toCharArray(), 100, 10, 6);
        for (int start = 0; start + 500 <= signal.samples.length; start += 500) {
            EcgSegment piece = segment(signal, start, 500);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("one bigeminy episode, opened and resolved", raised.stream()
                .filter(a -> a.getKind() == AlertKind.BIGEMINY).map(a -> a.getState() + " " + a.getSeverity()).toList(),
                contains("OPEN INFO", "RESOLVED INFO"));
        assertThat("and no ventricular tachycardia", raised.stream()
                .filter(a -> a.getKind() == AlertKind.VENTRICULAR_TACHYCARDIA).toList(), org.hamcrest.Matchers.empty());
    }

    @Test
    void shouldNotTakeAGapBetweenEcgSegmentsForAPause() {
        SyntheticEcg signal = new SyntheticEcg(250, SyntheticEcg.regular(75, 60), 0, 20, 12);
        int segment = 500;
        for (int start = 0; start + segment <= signal.samples.length; start += segment) {
            if (start / segment == 12 || start / segment == 13) {
                continue;
            }
            EcgSegment piece = segment(signal, start, segment);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }

        List<Beat> found = beats.readValuesToList();
        assertThat("a 4 s gap in the recording is not a 4 s pause of the heart",
                found.stream().map(Beat::getRrMillis).filter(rr -> rr != null && rr > 1500).toList(),
                org.hamcrest.Matchers.empty());
        assertTrue(alerts.isEmpty(), "no pause alert for missing data");
    }

    @Test
    void shouldNotTakeGapsWhileTheDetectorIsStillLearningForAPause() {
        // A patch that connects, sends a second, falls silent, sends another second and so on (as a device
        // sends what it kept after a stall): the detector had not learned the signal before the first gap.
        SyntheticEcg signal = new SyntheticEcg(250, SyntheticEcg.regular(75, 50), 0, 20, 12);
        int segment = 250;
        for (int second = 0; second * segment + segment <= signal.samples.length; second++) {
            if ((second >= 1 && second <= 5) || (second >= 7 && second <= 12)) {
                continue;
            }
            EcgSegment piece = segment(signal, second * segment, segment);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }

        List<Beat> found = beats.readValuesToList();
        assertThat("no interval spans a gap", found.stream().map(Beat::getRrMillis)
                .filter(rr -> rr != null && rr > 1500).toList(), org.hamcrest.Matchers.empty());
        assertThat("beats in order of time", found.stream().map(beat -> beat.getRPeakAt().toEpochMilli()).toList(),
                org.hamcrest.Matchers.equalTo(found.stream().map(beat -> beat.getRPeakAt().toEpochMilli()).sorted().toList()));
        assertThat("the rhythm after the gaps is found", found.size(), org.hamcrest.Matchers.greaterThan(30));
        assertTrue(alerts.isEmpty(), "no pause alert for missing data");
    }

    @Test
    void shouldOpenOneAtrialFibrillationAlertForAnEpisodeAndResolveIt() {
        Random random = new Random(3);
        List<Integer> rr = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            rr.add(850 + (int) (random.nextGaussian() * 15));
        }
        for (int i = 0; i < 300; i++) {
            rr.add(350 + random.nextInt(650));
        }
        for (int i = 0; i < 200; i++) {
            rr.add(850 + (int) (random.nextGaussian() * 15));
        }
        sendRrInReadingsOf(rr, 5);

        List<Alert> raised = alerts.readValuesToList();
        assertThat("one AF episode: opened once, resolved once",
                raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("ATRIAL_FIBRILLATION OPEN", "ATRIAL_FIBRILLATION RESOLVED"));
        assertThat("both events belong to one alert", raised.get(1).getAlertId(), equalTo(raised.get(0).getAlertId()));

        AlertEvidence opened = raised.get(0).getEvidence();
        List<Long> beatTimes = beatTimes(rr);
        int last = beatTimes.indexOf(opened.getBeatsTo().toEpochMilli());
        assertThat("the evidence ends on a beat of the stream", last, org.hamcrest.Matchers.greaterThan(150));
        assertThat("and names the detector's window: 40 intervals, 41 beats", opened.getBeatCount(), is(41));
        assertThat(opened.getBeatsFrom().toEpochMilli(), equalTo(beatTimes.get(last - 40)));
        assertThat("with its irregularity, above the detector's threshold", opened.getIrregularity(),
                org.hamcrest.Matchers.greaterThanOrEqualTo(0.085));
        assertThat("and its rate", opened.getRateBpm(), org.hamcrest.Matchers.closeTo(60_000.0 / 675, 20));
    }

    @Test
    void shouldRaiseAtrialFibrillationFromAnEcgWithoutPWavesButNotFromAnIrregularRhythmWithThem() {
        assertThat("irregular beats, each after its P wave", afFromEcg('N'), empty());
        assertThat("irregular beats with no P wave", afFromEcg('f'), contains("ATRIAL_FIBRILLATION OPEN"));
    }

    /** 30 s of regular beats then 3 minutes irregular, all of one kind, from a fresh topology; the AF alert changes. */
    private List<String> afFromEcg(char kind) {
        fixture.close();
        fixture = new TopologyFixture(stateDir.resolve("af-" + kind), START);
        ecg = fixture.input(Topics.ECG);
        alerts = fixture.output(Topics.ALERTS);
        Random random = new Random(9);
        List<Double> rr = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            rr.add(0.8);
        }
        for (int i = 0; i < 210; i++) {
            rr.add(0.65 + 0.4 * random.nextDouble());
        }
        char[] kinds = new char[rr.size()];
        java.util.Arrays.fill(kinds, kind);
        SyntheticEcg signal = new SyntheticEcg(250, rr.stream().mapToDouble(Double::doubleValue).toArray(), kinds, 100, 15, 9);
        for (int start = 0; start + 500 <= signal.samples.length; start += 500) {
            EcgSegment piece = segment(signal, start, 500);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }
        return alerts.readValuesToList().stream().filter(a -> a.getKind() == AlertKind.ATRIAL_FIBRILLATION)
                .map(a -> a.getKind() + " " + a.getState()).toList();
    }

    /** The R peak times of an RR series sent by {@link #sendRrInReadingsOf}: the first interval ends at START + rr[0]. */
    private static List<Long> beatTimes(List<Integer> rr) {
        List<Long> times = new ArrayList<>();
        long at = START.toEpochMilli();
        times.add(at);
        for (int interval : rr) {
            at += interval;
            times.add(at);
        }
        return times;
    }

    @Test
    void shouldOpenAPauseAlertForAnRrAboveThreeSecondsAndResolveItAfterAQuietPeriod() {
        List<Integer> rr = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rr.add(800);
        }
        rr.add(3600);
        for (int i = 0; i < 420; i++) {
            rr.add(800);
        }
        sendRrInReadingsOf(rr, 4);

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("PAUSE OPEN", "PAUSE RESOLVED"));
        assertThat("the evidence carries the pause length", raised.get(0).getEvidence().getWorstValue(), equalTo(3600.0));
        AlertEvidence pause = raised.get(0).getEvidence();
        assertThat("and the two beats around it", pause.getBeatCount(), is(2));
        assertThat(pause.getBeatsFrom(), equalTo(Instant.ofEpochMilli(beatTimes(rr).get(20))));
        assertThat(pause.getBeatsTo(), equalTo(Instant.ofEpochMilli(beatTimes(rr).get(21))));
        assertThat(pause.getRateBpm(), org.hamcrest.Matchers.closeTo(16.7, 0.1));
        assertTrue(alerts.isEmpty());
    }

    @Test
    void shouldRaiseTachycardiaFromTheRateOfEcgBeatsWhenNoDeviceReportsAHeartRate() {
        double[] rr = concat(SyntheticEcg.regular(150, 250), SyntheticEcg.regular(75, 80));
        SyntheticEcg signal = new SyntheticEcg(250, rr, 100, 20, 13);
        int segment = 500;
        for (int start = 0; start + segment <= signal.samples.length; start += segment) {
            EcgSegment piece = segment(signal, start, segment);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("one episode at 150 bpm: opened once, not updated at every jitter of the rate, resolved once",
                raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA OPEN", "TACHYCARDIA RESOLVED"));
        assertThat(raised.get(1).getAlertId(), equalTo(raised.get(0).getAlertId()));
        AlertEvidence opened = raised.get(0).getEvidence();
        assertThat("opened after the sustain duration",
                raised.get(0).getUpdatedAt().toEpochMilli() - raised.get(0).getOpenedAt().toEpochMilli(),
                org.hamcrest.Matchers.greaterThanOrEqualTo(60_000L));
        assertThat(opened.getMeasure(), equalTo("heartRateBpm"));
        assertThat(opened.getRateBpm(), org.hamcrest.Matchers.closeTo(150, 3));
        assertThat("the evidence names the ten beats of the window", opened.getBeatCount(), is(10));
        assertThat((double) (opened.getBeatsTo().toEpochMilli() - opened.getBeatsFrom().toEpochMilli()),
                org.hamcrest.Matchers.closeTo(9 * 400, 40));
        assertThat(opened.getSummary(), org.hamcrest.Matchers.containsString("ECG beats"));
    }

    @Test
    void shouldRaiseBradycardiaFromTheRrIntervalsOfAWearableThatReportsNoHeartRate() {
        List<Integer> rr = new ArrayList<>();
        addBeats(rr, 30, 800);
        addBeats(rr, 60, 1700);
        addBeats(rr, 80, 800);
        sendReadings(rr, 2, null);

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("BRADYCARDIA OPEN", "BRADYCARDIA RESOLVED"));
        assertThat(raised.get(0).getEvidence().getRateBpm(), org.hamcrest.Matchers.closeTo(60_000.0 / 1700, 0.01));
        assertThat(raised.get(0).getEvidence().getSummary(),
                org.hamcrest.Matchers.containsString("beats the device reported"));
    }

    @Test
    void shouldRaiseOneAlertForAnEpisodeSeenByAnEcgMonitorAndAWearableThatReportsTheRateNamingBoth() {
        SyntheticEcg signal = new SyntheticEcg(250,
                concat(SyntheticEcg.regular(150, 250), SyntheticEcg.regular(75, 80)), 100, 20, 14);
        int segment = 500;
        for (int start = 0; start + segment <= signal.samples.length; start += segment) {
            EcgSegment piece = segment(signal, start, segment);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
            Instant measured = piece.getStartedAt().plusSeconds(2);
            float reported = measured.isBefore(START.plusSeconds(100)) ? 140f : 75f;
            vitals.pipeInput(PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-w")
                    .setSequence(++sequence).setMeasuredAt(measured).setReceivedAt(measured)
                    .setHeartRateBpm(reported).build(), measured);
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("each device's rate is its own signal: the ECG's 150 bpm joins the wearable's alert, one alert "
                + "for the episode, resolved when both are back",
                raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA OPEN", "TACHYCARDIA UPDATED", "TACHYCARDIA UPDATED", "TACHYCARDIA RESOLVED"));
        assertThat("one episode", raised.stream().map(Alert::getAlertId).distinct().count(), is(1L));
        assertThat("the evidence names both devices", raised.get(3).getEvidence().getSources(),
                containsInAnyOrder("dev-w", "dev-e"));
        assertThat("the worst is the ECG's rate", raised.get(3).getEvidence().getWorstValue(),
                org.hamcrest.Matchers.greaterThan(140.0));
    }

    @Test
    void shouldTakeTheRateFromBeatsOnceTheDeviceHasStoppedReportingOne() {
        List<Integer> rr = new ArrayList<>();
        addBeats(rr, 60, 800);
        sendReadings(rr, 5, 75f);
        List<Integer> fast = new ArrayList<>();
        addBeats(fast, 300, 400);
        sendReadings(fast, 5, null);

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA OPEN"));
        Alert opened = raised.get(0);
        assertThat("the beats count once the last reported rate is older than the hold (30 s): onset at least "
                + "30 s after it", opened.getOpenedAt().toEpochMilli() - (START.toEpochMilli() + 60 * 800),
                org.hamcrest.Matchers.greaterThanOrEqualTo(30_000L));
        assertThat(opened.getEvidence().getBeatCount(), is(10));
    }

    private static void addBeats(List<Integer> rr, int beats, int rrMillis) {
        for (int i = 0; i < beats; i++) {
            rr.add(rrMillis);
        }
    }

    private static double[] concat(double[] first, double[] second) {
        double[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void sendRrInReadingsOf(List<Integer> rr, int perReading) {
        sendReadings(rr, perReading, null);
    }

    /** Readings of a wearable carrying {@code perReading} RR intervals each and, unless null, a heart rate. */
    private void sendReadings(List<Integer> rr, int perReading, Float heartRateBpm) {
        long at = lastReadingAt;
        for (int i = 0; i < rr.size(); i += perReading) {
            List<Integer> chunk = rr.subList(i, Math.min(rr.size(), i + perReading));
            for (int interval : chunk) {
                at += interval;
            }
            Instant measured = Instant.ofEpochMilli(at);
            vitals.pipeInput(PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-w")
                    .setSequence(++sequence).setMeasuredAt(measured).setReceivedAt(measured)
                    .setHeartRateBpm(heartRateBpm).setRrIntervalsMs(new ArrayList<>(chunk)).build(), measured);
        }
        lastReadingAt = at;
    }

    /** Sinus rhythm with a ventricular premature beat every {@code every}th beat after the first 16: their kinds. */
    private static char[] kindsWithAPrematureVentricularBeatEvery(int every, int count) {
        char[] kinds = new char[count];
        for (int i = 0; i < count; i++) {
            kinds[i] = i >= 16 && i % every == 0 ? 'V' : 'N';
        }
        return kinds;
    }

    /**
     * Sends the chest patch's ECG of those beats in 2 s segments: 800 ms apart, a ventricular beat
     * coupled at 60 % with its compensatory pause after it.
     */
    private SyntheticEcg sendEcgOf(char[] kinds) {
        double[] rr = new double[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            rr[i] = kinds[i] == 'V' ? 0.48 : i > 0 && kinds[i - 1] == 'V' ? 1.12 : 0.8;
        }
        SyntheticEcg signal = new SyntheticEcg(250, rr, kinds, 150, 15, 21);
        for (int start = 0; start + 500 <= signal.samples.length; start += 500) {
            EcgSegment piece = segment(signal, start, 500);
            ecg.pipeInput(PATIENT, piece, piece.getStartedAt());
        }
        return signal;
    }

    private static EcgSegment segment(SyntheticEcg signal, int start, int length) {
        List<Integer> samples = new ArrayList<>(length);
        for (int i = start; i < start + length; i++) {
            samples.add((int) Math.round(signal.samples[i]));
        }
        Instant startedAt = START.plusMillis(Math.round(start * 1000 / signal.sampleRateHz));
        return EcgSegment.newBuilder().setPatientId(PATIENT).setDeviceId("dev-e").setSequence(start / length + 1)
                .setStartedAt(startedAt).setReceivedAt(startedAt).setSampleRateHz((int) signal.sampleRateHz)
                .setLead("I").setSamplesMicroVolts(samples).build();
    }

    private static long nearest(SyntheticEcg signal, long millis) {
        long best = Long.MAX_VALUE;
        for (long beat : signal.beats) {
            long t = Math.round(beat * 1000 / signal.sampleRateHz);
            if (Math.abs(t - millis) < Math.abs(best - millis)) {
                best = t;
            }
        }
        return best;
    }
}
