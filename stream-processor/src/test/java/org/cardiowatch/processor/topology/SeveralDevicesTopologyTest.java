package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One patient, several devices: each device's signal is analysed on its own, so a second device
 * never masks what the first shows, and the care team still sees one alert per patient and kind.
 */
class SeveralDevicesTopologyTest {

    private static final Instant START = Instant.parse("2026-12-04T09:00:00Z");
    private static final String PATIENT = "bruno-costa";
    private static final String PATCH = "chest-patch-1";
    private static final String NEW_DEVICE = "wrist-band-2";

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TestInputTopic<String, VitalSigns> vitals;
    private TestOutputTopic<String, Alert> alerts;
    private long sequence;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(stateDir, START);
        vitals = fixture.input(Topics.VITALS);
        alerts = fixture.output(Topics.ALERTS);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldRaiseTachycardiaOnTimeWhenASecondDeviceSends150BesideAPatchSending64() {
        // The scenario of the report: the patch at 64 and a new device at 150, interleaved every second for 75 s.
        for (int second = 0; second < 75; second++) {
            send(PATCH, START.plusSeconds(second), 64f);
            send(NEW_DEVICE, START.plusSeconds(second).plusMillis(500), 150f);
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("one tachycardia for the patient and one technical notice that the devices disagree",
                raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA OPEN", "SOURCE_DISAGREEMENT OPEN"));
        Alert tachycardia = raised.get(0);
        assertThat("onset at the first 150 bpm reading", tachycardia.getOpenedAt(), equalTo(START.plusMillis(500)));
        assertThat("raised once 150 bpm lasted the 60 s sustain, not later", tachycardia.getUpdatedAt(),
                equalTo(START.plusSeconds(60).plusMillis(500)));
        assertThat(tachycardia.getSeverity(), is(AlertSeverity.CRITICAL));
        assertThat("the evidence names the 150 bpm source", tachycardia.getEvidence().getDeviceId(), equalTo(NEW_DEVICE));
        assertThat(tachycardia.getEvidence().getSources(), contains(NEW_DEVICE));
        assertThat(tachycardia.getEvidence().getWorstValue(), equalTo(150.0));
        assertThat("when the worst was seen: the first 150, not when the sustain elapsed",
                tachycardia.getEvidence().getWorstAt(), equalTo(START.plusMillis(500)));
        assertThat(tachycardia.getEvidence().getSummary(), containsString(NEW_DEVICE));

        Alert disagreement = raised.get(1);
        assertThat("a disagreement is a technical notice, never escalated", disagreement.getSeverity(),
                is(AlertSeverity.INFO));
        assertThat("the notice names both devices and their values", disagreement.getEvidence().getSummary(),
                org.hamcrest.Matchers.allOf(containsString(PATCH + " 64"), containsString(NEW_DEVICE + " 150")));
        assertThat("the spread is the evidence", disagreement.getEvidence().getLastValue(), equalTo(86.0));
    }

    @Test
    void shouldRaiseTheSameTachycardiaOnAPatientWithOneDeviceAsWithTwo() {
        for (int second = 0; second < 75; second++) {
            send(NEW_DEVICE, START.plusSeconds(second).plusMillis(500), 150f);
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(), contains("TACHYCARDIA OPEN"));
        assertThat("the same onset and time as beside a second device", raised.get(0).getUpdatedAt(),
                equalTo(START.plusSeconds(60).plusMillis(500)));
        assertThat("one device has nothing to agree with: no agreement state kept for it",
                entriesOf(ProcessorTopology.SOURCE_AGREEMENT_STORE), is(0));
    }

    @Test
    void shouldKeepOneAlertWhileTwoDevicesShowItAndResolveItOnlyWhenBothAreBack() {
        for (int second = 0; second < 75; second++) {
            send(PATCH, START.plusSeconds(second), 140f);
            send(NEW_DEVICE, START.plusSeconds(second).plusMillis(500), 150f);
        }
        for (int second = 75; second < 150; second++) {
            send(PATCH, START.plusSeconds(second), 70f);
            send(NEW_DEVICE, START.plusSeconds(second).plusMillis(500), 150f);
        }
        List<Alert> whileOneIsStillHigh = alerts.readValuesToList();
        assertThat("the second device joins the open alert; the first one's recovery does not resolve it",
                whileOneIsStillHigh.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA OPEN", "TACHYCARDIA UPDATED", "TACHYCARDIA UPDATED", "SOURCE_DISAGREEMENT OPEN"));
        String alertId = whileOneIsStillHigh.get(0).getAlertId();
        assertThat("every event is the same alert", whileOneIsStillHigh.stream()
                .filter(a -> a.getKind() == AlertKind.TACHYCARDIA).map(Alert::getAlertId).distinct().toList(),
                contains(alertId));
        assertThat("the evidence names both sources", whileOneIsStillHigh.get(1).getEvidence().getSources(),
                contains(PATCH, NEW_DEVICE));
        assertThat("the worst value is the worse device's", whileOneIsStillHigh.get(1).getEvidence().getWorstValue(),
                equalTo(150.0));
        assertThat(whileOneIsStillHigh.get(2).getEvidence().getSummary(), containsString("still on " + NEW_DEVICE));

        for (int second = 150; second < 200; second++) {
            send(PATCH, START.plusSeconds(second), 70f);
            send(NEW_DEVICE, START.plusSeconds(second).plusMillis(500), 72f);
        }
        List<Alert> after = alerts.readValuesToList();
        assertThat("resolved once the second device is back too, and the devices agree again",
                after.stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                contains("TACHYCARDIA RESOLVED", "SOURCE_DISAGREEMENT RESOLVED"));
        assertThat(after.get(0).getAlertId(), equalTo(alertId));
        assertThat("the resolution keeps the episode's worst value", after.get(0).getEvidence().getWorstValue(),
                equalTo(150.0));
        assertThat("and what it said while open, not how it ended", after.get(0).getEvidence().getSummary(),
                containsString("above 130 bpm"));
        assertThat("how it ended is said apart", after.get(0).getEvidence().getResolution(),
                containsString("back within limits"));
        assertTrue(alerts.isEmpty());
    }

    @Test
    void shouldNoticeTheSilenceOfOneDeviceWhileAnotherKeepsSending() {
        send(PATCH, START, 64f);
        for (int tick = 1; tick <= 13; tick++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
            send(NEW_DEVICE, START.plusSeconds(10L * tick), 70f);
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("the patch's 2 minutes of silence are noticed though the band sends",
                raised.stream().map(a -> a.getKind() + " " + a.getState()).toList(), contains("SIGNAL_LOSS OPEN"));
        assertThat("the notice names the silent device", raised.get(0).getEvidence().getDeviceId(), equalTo(PATCH));

        send(PATCH, START.plusSeconds(140), 64f);
        Alert back = alerts.readValue();
        assertThat(back.getKind() + " " + back.getState(), equalTo("SIGNAL_LOSS RESOLVED"));
        assertThat(back.getAlertId(), equalTo(raised.get(0).getAlertId()));
    }

    @Test
    void shouldKeepAPatientsStateToItsDevicesNotItsReadings() {
        String[] devices = {PATCH, NEW_DEVICE, "cuff-3"};
        for (int second = 0; second < 600; second++) {
            String device = devices[second % devices.length];
            send(device, START.plusSeconds(second), second < 300 ? 150f : 70f);
        }
        assertThat("per device, one entry for its threshold rules", entriesOf(ProcessorTopology.SOURCE_RULE_STORE),
                is(devices.length));
        assertThat("one signal entry per device", entriesOf(ProcessorTopology.SIGNAL_STATE_STORE), is(devices.length));
        assertThat("one agreement entry per measure reported, holding only the devices sending at the moment", entriesOf(ProcessorTopology.SOURCE_AGREEMENT_STORE),
                is(1));
        assertThat("no episode entry once every episode is closed", entriesOf(ProcessorTopology.PATIENT_EPISODE_STORE),
                is(0));
    }

    private int entriesOf(String storeName) {
        KeyValueStore<String, Object> store = fixture.driver.getKeyValueStore(storeName);
        int count = 0;
        try (KeyValueIterator<String, Object> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Object> entry = all.next();
                assertTrue(entry.key.startsWith(PATIENT + "|"), "every entry is the patient's: " + entry.key);
                count++;
            }
        }
        return count;
    }

    private void send(String device, Instant at, float heartRate) {
        vitals.pipeInput(PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId(device)
                .setSequence(++sequence).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(heartRate).build(), at);
    }
}
