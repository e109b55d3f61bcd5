package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorTopologyTest {

    private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");
    private static final String PATIENT = "patient-1";
    static final ProcessorSettings SETTINGS = new ProcessorSettings(ThresholdDefaults.CLINICAL,
            Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofSeconds(30), SourceAgreement.Limits.DEFAULT,
            Duration.ofDays(7), Duration.ofMinutes(10));

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, VitalSigns> vitals;
    private TestInputTopic<String, PatientThresholds> thresholds;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, VitalsMinute> minutes;
    private long sequence;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(stateDir, START);
        driver = fixture.driver;
        vitals = fixture.input(Topics.VITALS);
        thresholds = fixture.input(Topics.THRESHOLDS);
        alerts = fixture.output(Topics.ALERTS);
        minutes = fixture.output(Topics.VITALS_1M);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldOpenTachycardiaAlertWhenHeartRateAbove130For60Seconds() {
        heartRateEvery5Seconds(0, 65, 140);

        List<Alert> opened = alerts.readValuesToList();
        assertThat("a sustained breach opens exactly one alert", opened, hasSize(1));
        Alert alert = opened.get(0);
        assertThat(alert.getKind(), is(AlertKind.TACHYCARDIA));
        assertThat(alert.getState(), is(AlertState.OPEN));
        assertThat("the alert's onset is the first reading of the breach", alert.getOpenedAt(), equalTo(START));
        assertThat("the alert is keyed by patient", alert.getPatientId(), equalTo(PATIENT));
        assertThat("the evidence names the limit", alert.getEvidence().getThreshold(), equalTo(130.0));
    }

    @Test
    void shouldOpenNoAlertForAShortSpike() {
        heartRateEvery5Seconds(0, 40, 150);
        heartRateEvery5Seconds(45, 120, 80);

        assertTrue(alerts.isEmpty(), "a breach shorter than the sustain duration must not alert");
    }

    @Test
    void shouldUpdateTheOpenAlertWhenTheValueGetsWorseWithoutOpeningASecond() {
        heartRateEvery5Seconds(0, 65, 140);
        heartRateEvery5Seconds(70, 90, 155);

        List<Alert> events = alerts.readValuesToList();
        assertThat("one open, then one update for the new worst value",
                events.stream().map(Alert::getState).toList(), contains(AlertState.OPEN, AlertState.UPDATED));
        assertThat("both events belong to one episode", events.get(1).getAlertId(), equalTo(events.get(0).getAlertId()));
        assertThat(events.get(1).getEvidence().getWorstValue(), equalTo(155.0));
    }

    @Test
    void shouldUpdateTheOpenAlertOnlyWhenTheValueGetsWorseByAHysteresisStep() {
        heartRateEvery5Seconds(0, 65, 140);
        heartRateEvery5Seconds(70, 70, 141);
        heartRateEvery5Seconds(75, 75, 144);
        heartRateEvery5Seconds(80, 80, 146);
        heartRateEvery5Seconds(85, 85, 149);

        List<Alert> events = alerts.readValuesToList();
        assertThat("140 to 144 bpm stay in the same 5 bpm step beyond the limit of 130; 146 starts the next",
                events.stream().map(a -> a.getState() + " " + a.getEvidence().getWorstValue()).toList(),
                contains("OPEN 140.0", "UPDATED 146.0"));
    }

    @Test
    void shouldResolveOnlyOnceTheValueStaysBelowTheLimitMinusHysteresis() {
        heartRateEvery5Seconds(0, 65, 140);
        String alertId = alerts.readValue().getAlertId();

        heartRateEvery5Seconds(70, 130, 128);
        assertTrue(alerts.isEmpty(), "128 bpm is under 130 but inside the 5 bpm hysteresis: the alert stays open");

        heartRateEvery5Seconds(135, 170, 100);
        List<Alert> resolved = alerts.readValuesToList();
        assertThat("recovery sustained for the clear duration resolves the alert once", resolved, hasSize(1));
        assertThat(resolved.get(0).getState(), is(AlertState.RESOLVED));
        assertThat("the resolution closes the same alert", resolved.get(0).getAlertId(), equalTo(alertId));
        assertThat(resolved.get(0).getResolvedAt(), equalTo(START.plusSeconds(165)));
    }

    @Test
    void shouldUseThePatientsOwnLimitOverTheDefault() {
        thresholds.pipeInput(PATIENT, PatientThresholds.newBuilder().setPatientId(PATIENT).setHeartRateHighBpm(150.0)
                .setSetBy("cardio1").setSetAt(START).build(), START);

        heartRateEvery5Seconds(0, 90, 140);
        assertTrue(alerts.isEmpty(), "140 bpm is within this patient's own limit of 150");

        heartRateEvery5Seconds(95, 160, 155);
        assertThat("above the patient's own limit it alerts",
                alerts.readValuesToList().stream().map(Alert::getKind).toList(), contains(AlertKind.TACHYCARDIA));
    }

    @Test
    void shouldSkipAReadingOlderThanTheLastOneEvaluated() {
        heartRateEvery5Seconds(0, 55, 140);
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(60), 80f), START.plusSeconds(60));
        // A late reading from before the recovery must not reopen or extend the breach.
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(58), 140f), START.plusSeconds(58));

        assertTrue(alerts.isEmpty(), "the breach ended at 60 s; the late 140 bpm reading must not complete it");
    }

    @Test
    void shouldOpenSignalLossAfterSilenceAndResolveItWhenReadingsReturn() {
        vitals.pipeInput(PATIENT, reading(START, 72f), START);
        driver.advanceWallClockTime(Duration.ofSeconds(110));
        assertTrue(alerts.isEmpty(), "110 s of silence is under the 2 minute timeout");

        driver.advanceWallClockTime(Duration.ofSeconds(20));
        Alert lost = alerts.readValue();
        assertThat(lost.getKind(), is(AlertKind.SIGNAL_LOSS));
        assertThat(lost.getState(), is(AlertState.OPEN));
        assertThat("the evidence names the silent device", lost.getEvidence().getDeviceId(), equalTo("dev-1"));

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertTrue(alerts.isEmpty(), "an open signal-loss alert is not raised again while the silence lasts");

        vitals.pipeInput(PATIENT, reading(START.plusSeconds(200), 72f), START.plusSeconds(200));
        Alert back = alerts.readValue();
        assertThat(back.getState(), is(AlertState.RESOLVED));
        assertThat("resolution closes the same alert", back.getAlertId(), equalTo(lost.getAlertId()));
        assertTrue(alerts.isEmpty());
    }

    @Test
    void shouldEmitOneAggregatePerPatientMinuteOnceTheMinuteCloses() {
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(10), 60f), START.plusSeconds(10));
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(20), 80f), START.plusSeconds(20));
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(50), 100f), START.plusSeconds(50));
        assertTrue(minutes.isEmpty(), "a minute is published only when it closes");

        // Past the end of the minute plus the 30 s grace.
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(91), 70f), START.plusSeconds(91));

        List<TestRecord<String, VitalsMinute>> closed = minutes.readRecordsToList();
        assertThat(closed, hasSize(1));
        VitalsMinute minute = closed.get(0).value();
        assertThat(minute.getMinuteStart(), equalTo(START));
        assertThat(minute.getReadings(), is(3));
        assertThat(minute.getHeartRateMin(), equalTo(60.0));
        assertThat(minute.getHeartRateMax(), equalTo(100.0));
        assertThat(minute.getHeartRateMean(), closeTo(80.0, 1e-9));
        assertThat(closed.get(0).key(), equalTo(PATIENT));
    }

    @Test
    void shouldAnalyseAReadingDeliveredTwiceOnlyOnce() {
        VitalSigns once = reading(START.plusSeconds(10), 60f);
        vitals.pipeInput(PATIENT, once, START.plusSeconds(10));
        vitals.pipeInput(PATIENT, once, START.plusSeconds(10));
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(20), 80f), START.plusSeconds(20));
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(91), 70f), START.plusSeconds(91));

        VitalsMinute minute = minutes.readValue();
        assertThat("the redelivered copy is not counted again", minute.getReadings(), is(2));
        assertThat(minute.getHeartRateMean(), closeTo(70.0, 1e-9));
        double copies = driver.metrics().values().stream()
                .filter(m -> m.metricName().name().equals("readings-duplicate-total"))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
        assertThat("the copy is counted where operators look for it", copies, is(1.0));
    }

    @Test
    void shouldRaiseOneSystemAlarmInsteadOfAStormWhenNothingArrivesAndGiveEachDeviceATimeoutAfter() {
        Instant now = START;
        for (int patient = 0; patient < 6; patient++) {
            arrive(patient, now);
        }
        // The ingest is down 6 minutes (3 signal-loss timeouts): nothing arrives from anyone.
        for (int tick = 0; tick < 36; tick++) {
            now = now.plusSeconds(10);
            driver.advanceWallClockTime(Duration.ofSeconds(10));
        }
        assertThat("no patient's signal loss while the path is down", alerts.readValuesToList(), hasSize(0));
        assertThat("one system alarm for the task", metric("signal-path-quiet-total"), is(1.0));

        // Back: five devices come back within their timeout, one does not.
        for (int tick = 0; tick < 18; tick++) {
            now = now.plusSeconds(10);
            driver.advanceWallClockTime(Duration.ofSeconds(10));
            for (int patient = 0; patient < 5; patient++) {
                arrive(patient, now);
            }
        }
        List<Alert> raised = alerts.readValuesToList();
        assertThat("only the device that did not come back, once its own timeout passed", raised.stream()
                .map(a -> a.getPatientId() + " " + a.getKind() + " " + a.getState()).toList(),
                contains("p-5 SIGNAL_LOSS OPEN"));
    }

    @Test
    void shouldHoldTheDeviceThatSentLastSecondsBeforeTheOthersWhenThePathGoesDown() {
        // Found by IngestOutageIT: devices send every few seconds, so when the path goes down one of them
        // has been silent a little longer than the task, and reached the timeout a check before it.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        arrive(5, START.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        for (int patient = 0; patient < 5; patient++) {
            arrive(patient, START.plusSeconds(12));
        }
        for (int tick = 0; tick < 36; tick++) {
            driver.advanceWallClockTime(Duration.ofSeconds(10));
        }

        assertThat("no patient's signal loss, the early one's included", alerts.readValuesToList(), hasSize(0));
        assertThat("one system alarm for the task", metric("signal-path-quiet-total"), is(1.0));
    }

    private void arrive(int patient, Instant at) {
        vitals.pipeInput("p-" + patient, VitalSigns.newBuilder().setPatientId("p-" + patient).setDeviceId("dev-" + patient)
                .setSequence(++sequence).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(70f).build(), at);
    }

    private double metric(String name) {
        return driver.metrics().values().stream().filter(m -> m.metricName().name().equals(name))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
    }

    @Test
    void shouldLoseNoMinuteOfTenPatientsBesideADeviceWhoseClockIsFiveMinutesFast() {
        for (int second = 0; second < 180; second += 10) {
            Instant now = START.plusSeconds(second);
            for (int patient = 0; patient < 10; patient++) {
                vitals.pipeInput("p-" + patient, VitalSigns.newBuilder().setPatientId("p-" + patient)
                        .setDeviceId("dev-" + patient).setSequence(second + 1).setMeasuredAt(now).setReceivedAt(now)
                        .setHeartRateBpm(70f).build(), now);
            }
            // Accepted by the ingest (within its 5 min of skew), measured "5 minutes from now".
            vitals.pipeInput("p-fast", VitalSigns.newBuilder().setPatientId("p-fast").setDeviceId("dev-fast")
                    .setSequence(second + 1).setMeasuredAt(now.plusSeconds(300)).setReceivedAt(now.plusMillis(5))
                    .setHeartRateBpm(70f).build(), now.plusMillis(5));
        }

        List<VitalsMinute> closed = minutes.readValuesToList();
        for (int patient = 0; patient < 10; patient++) {
            String id = "p-" + patient;
            assertThat("the first two minutes of " + id + ", each with its 6 readings", closed.stream()
                    .filter(m -> m.getPatientId().equals(id)).map(VitalsMinute::getReadings).toList(), contains(6, 6));
        }
    }

    @Test
    void shouldPublishAnAlertAtTheTimeItAroseNotAtTheDevicesClock() {
        // A device that had buffered its readings: they were measured an hour before they reach the processor.
        Instant measured = START.minus(Duration.ofHours(1));
        for (int second = 0; second <= 70; second += 5) {
            vitals.pipeInput(PATIENT, reading(measured.plusSeconds(second), 150f), measured.plusSeconds(second));
        }

        TestRecord<String, Alert> raised = alerts.readRecord();
        assertThat("the alert's fields keep the event time", raised.value().getUpdatedAt(),
                equalTo(measured.plusSeconds(60)));
        assertThat("its record's time is the processor's clock: escalation is timed from it",
                raised.timestamp(), is(START.toEpochMilli()));
    }

    @Test
    void shouldDropAndCountAReadingOlderThanTheDuplicateWindow() {
        VitalSigns old = reading(START.plusSeconds(1), 150f);
        sequence += 100;
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(2), 60f), START.plusSeconds(2));
        // 101 sequence numbers behind the highest: it cannot be told from a copy of a reading long analysed.
        vitals.pipeInput(PATIENT, old, START.plusSeconds(3));
        vitals.pipeInput(PATIENT, reading(START.plusSeconds(91), 70f), START.plusSeconds(91));

        VitalsMinute minute = minutes.readValue();
        assertThat("only the reading within the window counts", minute.getReadings(), is(1));
        assertThat(minute.getHeartRateMax(), equalTo(60.0));
        double tooOld = driver.metrics().values().stream()
                .filter(m -> m.metricName().name().equals("readings-too-old-total"))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
        assertThat("and the drop is counted", tooOld, is(1.0));
    }

    private void heartRateEvery5Seconds(int fromSecond, int toSecond, float bpm) {
        for (int second = fromSecond; second <= toSecond; second += 5) {
            Instant at = START.plusSeconds(second);
            vitals.pipeInput(PATIENT, reading(at, bpm), at);
        }
    }

    private VitalSigns reading(Instant at, float heartRate) {
        return VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-1").setSequence(++sequence)
                .setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(heartRate).build();
    }
}
