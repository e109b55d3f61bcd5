package org.cardiowatch.alerts.admin;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
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
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/** Export and erasure of one patient's data through the admin API, against a real Kafka broker. */
@QuarkusTest
@QuarkusTestResource(KafkaWithUsersResource.class)
class DataSubjectRightsTest {

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
                .body("removedByRetention", hasItem("cw.vitals"));

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
