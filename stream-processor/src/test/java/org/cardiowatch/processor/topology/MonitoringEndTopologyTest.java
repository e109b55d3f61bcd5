package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The end of monitoring reaches the topology: a revoked device, a withdrawn consent or a discharge
 * resolves the open alerts with that reason, deletes the state and raises no signal loss later;
 * after an erasure nothing about the patient is produced again.
 */
class MonitoringEndTopologyTest {

    private static final Instant START = Instant.parse("2026-12-05T09:00:00Z");
    private static final String PATIENT = "chiara-dietz";
    private static final String OTHER = "bruno-costa";
    private static final String PATCH = "chest-patch-1";
    private static final String BAND = "wrist-band-2";

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TestInputTopic<String, VitalSigns> vitals;
    private TestInputTopic<String, MonitoringEnd> ends;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, Beat> beats;
    private TestOutputTopic<String, VitalsMinute> minutes;
    private long sequence;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(stateDir, START);
        startTopics();
    }

    private void startTopics() {
        vitals = fixture.input(Topics.VITALS);
        ends = fixture.input(Topics.MONITORING_ENDS);
        alerts = fixture.output(Topics.ALERTS);
        beats = fixture.output(Topics.BEATS);
        minutes = fixture.output(Topics.VITALS_1M);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldResolveTheAlertOfARevokedDeviceDeleteItsStateAndDropItsReadingsStillInTheTopic() {
        Instant revokedAt = tachycardia(PATCH, 0, 75);
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("TACHYCARDIA OPEN"));

        end(PATCH, MonitoringEndReason.DEVICE_REVOKED, revokedAt);

        Alert resolved = alerts.readValue();
        assertThat(resolved.getKind() + " " + resolved.getState(), equalTo("TACHYCARDIA RESOLVED"));
        assertThat(resolved.getEvidence().getResolution(), equalTo("monitoring ended: device " + PATCH + " revoked"));
        assertThat("the resolution keeps the episode's worst value", resolved.getEvidence().getWorstValue(), equalTo(150.0));
        assertThat("nothing of the patient is left in any store", patientEntries(), empty());

        // Sent before the revocation, read after it: not analysed, no state, no signal loss later.
        send(PATIENT, PATCH, revokedAt.minusSeconds(1), revokedAt.minusMillis(1), 150f);
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(patientEntries(), empty());
        assertThat("no signal loss of a device that was revoked", alerts.readValuesToList(), empty());

        // Enrolled again: a reading received after the end is a new monitoring.
        send(PATIENT, PATCH, revokedAt.plusSeconds(60), revokedAt.plusSeconds(60), 70f);
        assertThat(patientEntries(), not(empty()));
    }

    @Test
    void shouldKeepTheAlertOpenOnTheOtherDeviceWhenOneOfTwoIsRevoked() {
        for (int second = 0; second < 75; second++) {
            send(PATIENT, PATCH, START.plusSeconds(second), START.plusSeconds(second), 150f);
            send(PATIENT, BAND, START.plusSeconds(second).plusMillis(500), START.plusSeconds(second).plusMillis(500), 150f);
        }
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("TACHYCARDIA OPEN", "TACHYCARDIA UPDATED"));

        end(BAND, MonitoringEndReason.DEVICE_REVOKED, START.plusSeconds(75));

        Alert update = alerts.readValue();
        assertThat(update.getKind() + " " + update.getState(), equalTo("TACHYCARDIA UPDATED"));
        assertThat(update.getEvidence().getSummary(), containsString("still on " + PATCH));
        assertThat("the revoked device's state is gone", patientEntries(), everyItem(not(containsString(BAND))));
        assertThat("the other device's stays", patientEntries(), org.hamcrest.Matchers.hasItem(containsString(PATCH)));
    }

    @Test
    void shouldNotAnalyseImportedHistoryAndEndNothingOfTheLiveMonitoring() {
        // The patch's live monitoring: its tachycardia is open.
        Instant now = tachycardia(PATCH, 0, 75);
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("TACHYCARDIA OPEN"));
        List<String> live = patientEntries();

        // A day of the same patch's recordings from before, imported: received up to the end, never analysed.
        end(PATCH, MonitoringEndReason.HISTORY_IMPORTED, START.minus(Duration.ofHours(23)));
        for (int second = 0; second < 75; second++) {
            Instant at = START.minus(Duration.ofDays(1)).plusSeconds(second);
            send(PATIENT, PATCH, at, at, 30f);
        }

        assertThat("no alert from the history, and the live one neither resolved nor updated", alerts.readValuesToList(),
                empty());
        assertThat("the live state is kept, and nothing of the history", patientEntries(), equalTo(live));
        // The patch goes on, received after the end: analysed as before, the same alert still open.
        for (int second = 0; second < 45; second++) {
            send(PATIENT, PATCH, now.plusSeconds(second), now.plusSeconds(second), 70f);
        }
        assertThat("the live readings are analysed: the tachycardia resolves on them",
                kindsAndStates(alerts.readValuesToList()), contains("TACHYCARDIA RESOLVED"));
    }

    @ParameterizedTest
    @EnumSource(value = MonitoringEndReason.class, names = {"CONSENT_WITHDRAWN", "DISCHARGED"})
    void shouldResolveEveryOpenAlertOfThePatientAndRaiseNoSignalLossAfterwards(MonitoringEndReason reason) {
        Instant endedAt = tachycardia(PATCH, 0, 75);
        send(PATIENT, BAND, endedAt, endedAt, 70f);
        alerts.readValuesToList();

        end(null, reason, endedAt);

        List<Alert> ended = alerts.readValuesToList();
        assertThat(kindsAndStates(ended), contains("TACHYCARDIA RESOLVED"));
        assertThat(ended.get(0).getEvidence().getResolution(), startsWith("monitoring ended: "));
        assertThat(patientEntries(), empty());
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat("no signal loss storm after the end", alerts.readValuesToList(), empty());
    }

    @ParameterizedTest(name = "store cache {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(longs = {10_485_760, 0})
    void shouldProduceNothingMoreAboutAnErasedPatientWhileTheOthersGoOn(long cacheBytes) {
        // The default cache, and none: the erasure must not depend on how the stores are cached.
        fixture.close();
        java.util.Properties cache = new java.util.Properties();
        cache.put(org.apache.kafka.streams.StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes);
        fixture = new TopologyFixture(stateDir.resolve("cache-" + cacheBytes), START, cache);
        startTopics();
        for (int second = 0; second < 75; second++) {
            Instant at = START.plusSeconds(second);
            sendWithRr(PATIENT, PATCH, at, 150f);
            sendWithRr(OTHER, BAND, at.plusMillis(300), 70f);
        }
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("TACHYCARDIA OPEN"));
        beats.readValuesToList();
        minutes.readValuesToList();

        end(null, MonitoringEndReason.ERASED, START.plusSeconds(75));

        assertThat("not even a resolution names the erased patient", alerts.readValuesToList(), empty());
        assertThat(patientEntries(), empty());
        assertThat("no minute of theirs is left open", openMinutesOf(PATIENT), is(0));
        // Readings of theirs still in the topic, and two more minutes of the other patient's.
        for (int second = 75; second < 160; second++) {
            Instant at = START.plusSeconds(second);
            sendWithRr(PATIENT, PATCH, at, 150f);
            sendWithRr(OTHER, BAND, at.plusMillis(300), 70f);
        }
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(10));

        assertThat("no alert of theirs (the other patient's band, silent now, has its signal loss)",
                alerts.readKeyValuesToList().stream().map(kv -> kv.key).distinct().toList(), contains(OTHER));
        assertThat("the beats are the other patient's only", beats.readKeyValuesToList().stream()
                .map(kv -> kv.key).distinct().toList(), contains(OTHER));
        assertThat("the minutes are the other patient's only, one of which (09:01) closed after the erasure",
                minutes.readKeyValuesToList().stream().map(kv -> kv.key).distinct().toList(), contains(OTHER));
        assertThat(patientEntries(), empty());
    }

    /** Sends 150 bpm from {@code device} for the given seconds; returns the last reading's time plus 1 s. */
    private Instant tachycardia(String device, int from, int to) {
        for (int second = from; second < to; second++) {
            send(PATIENT, device, START.plusSeconds(second), START.plusSeconds(second), 150f);
        }
        return START.plusSeconds(to);
    }

    private void end(String deviceId, MonitoringEndReason reason, Instant at) {
        ends.pipeInput(PATIENT, MonitoringEnd.newBuilder().setPatientId(PATIENT).setDeviceId(deviceId).setReason(reason)
                .setEndedAt(at).setRecordedBy("admin").build(), at);
    }

    private void send(String patient, String device, Instant measuredAt, Instant receivedAt, float heartRate) {
        vitals.pipeInput(patient, VitalSigns.newBuilder().setPatientId(patient).setDeviceId(device)
                .setSequence(++sequence).setMeasuredAt(measuredAt).setReceivedAt(receivedAt).setHeartRateBpm(heartRate)
                .build(), measuredAt);
    }

    /** A wearable's reading with the RR interval of its rate, so beats are made from it too. */
    private void sendWithRr(String patient, String device, Instant at, float heartRate) {
        vitals.pipeInput(patient, VitalSigns.newBuilder().setPatientId(patient).setDeviceId(device)
                .setSequence(++sequence).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(heartRate)
                .setRrIntervalsMs(List.of(Math.round(60_000 / heartRate))).build(), at);
    }

    private static List<String> kindsAndStates(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getKind() + " " + a.getState()).toList();
    }

    /** Every entry of the patient in the stores kept per patient and device, as "store key". */
    private List<String> patientEntries() {
        List<String> found = new ArrayList<>();
        List<String> stores = new ArrayList<>(MonitoringEndProcessor.SOURCE_STORES);
        stores.addAll(List.of(ProcessorTopology.SOURCE_AGREEMENT_STORE, ProcessorTopology.PATIENT_EPISODE_STORE));
        for (String name : stores) {
            KeyValueStore<String, Object> store = fixture.driver.getKeyValueStore(name);
            try (KeyValueIterator<String, Object> all = store.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.key.startsWith(PATIENT + "|")) {
                        found.add(name + " " + entry.key);
                    }
                });
            }
        }
        return found;
    }

    private int openMinutesOf(String patient) {
        WindowStore<String, Object> store = fixture.driver.getWindowStore(ProcessorTopology.MINUTE_STORE);
        int count = 0;
        try (WindowStoreIterator<Object> windows = store.fetch(patient, START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1)))) {
            while (windows.hasNext()) {
                windows.next();
                count++;
            }
        }
        return count;
    }
}
