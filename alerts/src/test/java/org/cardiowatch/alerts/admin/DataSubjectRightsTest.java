package org.cardiowatch.alerts.admin;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.inject.Inject;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.history.HistoryPoints;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Export and erasure of one patient's data through the admin API, against a real Kafka broker. */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class DataSubjectRightsTest {

    @Inject
    AlertsRuntime runtime;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final byte[] PAYLOAD_KEY = new byte[32];
    static {
        Arrays.fill(PAYLOAD_KEY, (byte) 0x5a);
    }

    @Test
    void shouldExportEverythingAboutThePatientAndNothingAboutOthersOrTheKey() throws Exception {
        String patient = monitoredPatient();
        String other = monitoredPatient();

        List<JsonNode> lines = export(patient);

        List<String> topics = lines.stream().map(line -> line.get("topic").asText()).toList();
        assertThat(topics, hasItems("cw.patients", "cw.care-teams", "cw.consents", "cw.vitals", "cw.devices"));
        String text = lines.toString();
        assertThat("nothing of another patient", text, not(containsString(other)));
        assertThat("the device is listed without its payload key", text,
                not(containsString(Base64.getEncoder().encodeToString(PAYLOAD_KEY))));
        assertThat("the vitals are there", lines.stream().filter(l -> l.get("topic").asText().equals("cw.vitals"))
                .map(l -> l.get("record").get("heartRateBpm").get("float").asDouble()).toList(), hasItem(77.0));
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("action", hasItem("admin.patient.export"));
    }

    @Test
    void shouldEraseThePatientFromEveryCompactedTopicAndFromTheServiceAtOnce() throws Exception {
        String patient = monitoredPatient();
        await().atMost(WAIT).untilAsserted(() -> as("cardio1").get("/api/patients/" + patient).then().statusCode(200));

        as("admin").delete("/api/admin/patients/" + patient).then().statusCode(200)
                .body("tombstones", hasItems("cw.patients", "cw.care-teams", "cw.consents", "cw.thresholds"))
                .body("devicesErased", hasItem("dev-" + patient))
                .body("removedByRetention", hasItem("cw.vitals"))
                .body("kept", hasItems("cw.audit", "cw.monitoring-ends"));

        as("cardio1").get("/api/patients/" + patient).then().statusCode(404);
        try (CompactedTopicView<Device> devices = new CompactedTopicView<>(Topics.DEVICES,
                KafkaWithUsersResource.bootstrapServers()).start();
                CompactedTopicView<Consent> consents = new CompactedTopicView<>(Topics.CONSENTS,
                        KafkaWithUsersResource.bootstrapServers()).start()) {
            devices.awaitCaughtUp(WAIT);
            consents.awaitCaughtUp(WAIT);
            assertThat("the device is gone from the registry: the ingest refuses it", devices.get("dev-" + patient).isPresent(),
                    is(false));
            assertThat("the consent is gone: nothing more is processed", consents.get(patient).isPresent(), is(false));
        }
        List<String> left = export(patient).stream().map(line -> line.get("topic").asText()).toList();
        assertThat(left, not(hasItems("cw.patients")));
        assertThat(left, not(hasItem("cw.devices")));
        assertThat(left, not(hasItem("cw.consents")));
    }

    @Test
    void shouldTellTheProcessorAndKeepAnAlertStillInTheTopicOffTheBoard() {
        String patient = monitoredPatient();
        String other = monitoredPatient();
        as("admin").delete("/api/admin/patients/" + patient).then().statusCode(200);

        List<MonitoringEnd> ends = TopicScan.read(KafkaWithUsersResource.bootstrapServers(), java.util.Map.of(),
                Topics.MONITORING_ENDS, Instant.EPOCH, end -> end.getPatientId().equals(patient), 10);
        assertThat("one end, an erasure, by the admin", ends.stream()
                .map(end -> end.getReason() + " by " + end.getRecordedBy()).toList(), contains("ERASED by admin"));

        // An alert the processor raised just before the erasure, read by this service after it.
        raise(patient);
        raise(other);
        await().atMost(WAIT).until(() -> runtime.board().get("alert-" + other).isPresent());
        assertThat("the erased patient's alert never reaches the board", runtime.board().get("alert-" + patient).isPresent(),
                is(false));
    }

    @Test
    void shouldEraseTheHistoryAgainAfterWhatAnotherInstanceWroteAsTheErasureHappened() {
        String patient = monitoredPatient();
        as("admin").delete("/api/admin/patients/" + patient).then().statusCode(200).body("historyErased", is(true));
        InfluxHistoryStore history = runtime.history().orElseThrow();
        // Another instance's history writer, a moment late: a reading of the patient lands after the erasure.
        history.write(List.of(HistoryPoints.of(VitalSigns.newBuilder().setPatientId(patient).setDeviceId("dev-" + patient)
                .setSequence(2).setMeasuredAt(Instant.now()).setReceivedAt(Instant.now()).setHeartRateBpm(78f).build())
                .orElseThrow()), List.of());
        assertThat("the late reading is there at first", rawReadings(history, patient), is(1L));

        await("the second pass removes it").atMost(WAIT).until(() -> rawReadings(history, patient) == 0);
    }

    private static long rawReadings(InfluxHistoryStore history, String patient) {
        var series = history.query("SELECT count(heart_rate) FROM vitals WHERE patient = '" + patient + "'")
                .getResults().get(0).getSeries();
        return series == null ? 0 : ((Number) series.get(0).getValues().get(0).get(1)).longValue();
    }

    @Test
    void shouldLeaveExportAndErasureToAdmins() {
        as("cardio1").get("/api/admin/patients/p-x/export").then().statusCode(403);
        as("cardio1").delete("/api/admin/patients/p-x").then().statusCode(403);
        as("admin").delete("/api/admin/patients/not a valid id").then().statusCode(400);
    }

    private static List<JsonNode> export(String patient) throws Exception {
        String body = as("admin").get("/api/admin/patients/" + patient + "/export").then().statusCode(200)
                .extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static void raise(String patient) {
        Instant now = Instant.now();
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId("alert-" + patient)
                .setPatientId(patient).setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL)
                .setState(AlertState.OPEN).setOpenedAt(now).setUpdatedAt(now)
                .setEvidence(AlertEvidence.newBuilder().setSummary("heartRateBpm above 130 bpm for 60 s").build()).build());
    }

    private static String monitoredPatient() {
        String id = "p-dsr-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id).setDisplayName("Name of " + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id).setTreatingPhysician("cardio1").build());
        KafkaWithUsersResource.writer().write(Topics.CONSENTS, id, Consent.newBuilder().setPatientId(id).setStatus(ConsentStatus.ACTIVE)
                .setRecordedBy("admin").setRecordedAt(Instant.now()).build());
        KafkaWithUsersResource.writer().write(Topics.DEVICES, "dev-" + id, Device.newBuilder().setDeviceId("dev-" + id).setPatientId(id)
                .setStatus(DeviceStatus.ACTIVE).setPayloadKey(ByteBuffer.wrap(PAYLOAD_KEY)).setEnrolledAt(Instant.now()).build());
        KafkaWithUsersResource.writer().write(Topics.VITALS, id, VitalSigns.newBuilder().setPatientId(id).setDeviceId("dev-" + id).setSequence(1)
                .setMeasuredAt(Instant.now()).setReceivedAt(Instant.now()).setHeartRateBpm(77f).build());
        return id;
    }
}
