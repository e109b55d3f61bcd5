package org.cardiowatch.alerts.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.embedded.DashboardSocket;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The alerts service against a real Kafka broker: alerts written to cw.alerts reach the right
 * dashboards only, acknowledgement and escalation work, and the API keeps each physician to
 * their own patients.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class AlertsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();
    @TestHTTPResource(value = "/ws/alerts", tls = true)
    URI socketUri;

    @Test
    void shouldListOnlyTheSignedInPhysiciansPatientsAndHideOthers() {
        String mine = patient("cardio1", null);
        String theirs = patient("cardio2", null);

        await().atMost(WAIT).untilAsserted(() -> as("cardio1")
                .get("/api/patients").then().statusCode(200).body("id", hasItem(mine)));
        as("cardio1")
                .get("/api/patients").then().body("id", not(hasItem(theirs))).body("[0].status", notNullValue());
        as("cardio1")
                .get("/api/patients/" + theirs).then().statusCode(404);
        as("cardio1")
                .get("/api/patients/" + theirs + "/vitals").then().statusCode(404);
        as("cardio1")
                .get("/api/patients/" + mine + "/vitals").then().statusCode(200);
    }

    @Test
    void shouldTellThePagesWhoIsSignedInAndTheHospitalsTimeZone() {
        as("cardio1").get("/api/me").then().statusCode(200).body("username", equalTo("cardio1"))
                .body("role", equalTo("physician")).body("timeZone", equalTo("Europe/Paris"));
    }

    @Test
    void shouldRefuseAWrongPasswordAndAnAnonymousCaller() {
        given().auth().preemptive().basic("cardio1", "wrong").get("/api/alerts").then().statusCode(401);
        given().redirects().follow(false).get("/api/alerts").then().statusCode(401)
                .body("error", equalTo("sign in required"));
        given().redirects().follow(false).get("/api/patients/p-1001/vitals").then().statusCode(401);
        given().redirects().follow(false).get("/api/audit").then().statusCode(401);
    }

    @Test
    void shouldKeepAdminsAwayFromVitalsAndCliniciansAwayFromTheAdminApi() {
        String patient = patient("cardio1", null);
        as("admin")
                .get("/api/patients/" + patient + "/vitals").then().statusCode(404);
        as("cardio1").contentType("application/json")
                .body("{\"displayName\":\"X\"}").put("/api/admin/patients/p-x").then().statusCode(403);
    }

    @Test
    void shouldRejectInvalidAdminInputWithAReason() {
        as("admin").contentType("application/json")
                .body("{\"deviceId\":\"bad id!\",\"patientId\":\"p-1\"}").post("/api/admin/devices")
                .then().statusCode(400).body("error", containsString("deviceId"));
        as("admin").contentType("application/json")
                .body("{\"deviceId\":\"dev-9\",\"patientId\":\"p-1\",\"payloadKey\":\"c2hvcnQ=\"}")
                .post("/api/admin/devices").then().statusCode(400).body("error", containsString("32 bytes"));
        as("admin").contentType("application/json")
                .body("{\"treatingPhysician\":\"nurse1\"}").put("/api/admin/care-teams/p-1")
                .then().statusCode(400).body("error", containsString("treatingPhysician"));
        as("admin").contentType("application/json")
                .body("{\"status\":\"MAYBE\"}").put("/api/admin/consents/p-1")
                .then().statusCode(400).body("error", containsString("ACTIVE or WITHDRAWN"));
    }

    @Test
    void shouldPushAnAlertToTheTreatingPhysicianOnlyAndTakeTheAcknowledgement() throws Exception {
        String patient = patient("cardio1", "cardio3");
        DashboardSocket cardio1 = socket("cardio1");
        DashboardSocket cardio2 = socket("cardio2");
        try {
            String alertId = raise(patient, Instant.now());

            await("the treating physician's dashboard receives the alert").atMost(WAIT)
                    .until(() -> cardio1.received().stream().anyMatch(m -> m.contains(alertId)));
            as("cardio1").get("/api/alerts").then()
                    .statusCode(200).body("id", hasItem(alertId)).body("find { it.id == '" + alertId + "' }.kind",
                            equalTo("TACHYCARDIA"))
                    .body("find { it.id == '" + alertId + "' }.state", equalTo("OPEN"))
                    .body("find { it.id == '" + alertId + "' }.openedAt", notNullValue())
                    .body("find { it.id == '" + alertId + "' }.beats", equalTo(null));
            as("cardio2")
                    .post("/api/alerts/" + alertId + "/ack").then().statusCode(404);

            as("cardio1")
                    .post("/api/alerts/" + alertId + "/ack").then().statusCode(200)
                    .body("acknowledgedBy", equalTo("cardio1"));

            // Past the 5 s escalation timeout of the test configuration.
            TimeUnit.SECONDS.sleep(6);
            assertThat("an acknowledged alert is not escalated", as("cardio1").get("/api/alerts")
                    .jsonPath().getString("find { it.id == '" + alertId + "' }.escalatedTo"), equalTo(null));
            assertThat("a physician outside the care team receives nothing about this patient",
                    cardio2.received().stream().filter(m -> m.contains(alertId)).toList(), empty());
        } finally {
            cardio1.close();
            cardio2.close();
        }
    }

    @Test
    void shouldOpenOneAlertForItsCareTeamOnlyAsANotificationsLinkDoes() {
        String patient = patient("cardio1", "cardio3");
        String alertId = raise(patient, Instant.now());

        await("on the board").atMost(WAIT).untilAsserted(() -> as("cardio1").get("/api/alerts/" + alertId).then()
                .statusCode(200).body("id", equalTo(alertId)).body("kind", equalTo("TACHYCARDIA"))
                .body("patientId", equalTo(patient)));
        as("cardio2").get("/api/alerts/" + alertId).then().statusCode(404);
        as("cardio1").get("/api/alerts/no-such-alert").then().statusCode(404);
        given().redirects().follow(false).get("/alert.html?id=" + alertId).then().statusCode(302)
                .header("Location", containsString("/login.html"));
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'alert.read' }.outcome", hasItems("ALLOWED", "DENIED"));
    }

    @Test
    void shouldEscalateAnUnacknowledgedAlertToTheBackupPhysician() throws Exception {
        String patient = patient("cardio1", "cardio3");
        DashboardSocket backup = socket("cardio3");
        try {
            String alertId = raise(patient, Instant.now());
            await("the backup physician's dashboard receives the escalated alert").atMost(WAIT).until(() ->
                    backup.received().stream().anyMatch(m -> m.contains(alertId) && m.contains("\"escalatedTo\":\"cardio3\"")));
            as("cardio3").get("/api/alerts").then()
                    .body("find { it.id == '" + alertId + "' }.escalatedTo", equalTo("cardio3"));
        } finally {
            backup.close();
        }
    }

    @Test
    void shouldShowTheBeatsARhythmAlertRestsOn() {
        String patient = patient("cardio1", "cardio3");
        Instant at = Instant.parse("2026-11-24T08:00:03.600Z");
        String alertId = "pause-" + patient;
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId(alertId)
                .setPatientId(patient).setKind(AlertKind.PAUSE).setSeverity(AlertSeverity.CRITICAL)
                .setState(AlertState.OPEN).setOpenedAt(at.minusMillis(3600)).setUpdatedAt(at)
                .setEvidence(AlertEvidence.newBuilder().setSummary("pause of 3.6 s").setMeasure("rrMillis")
                        .setWorstValue(3600.0).setBeatsFrom(at.minusMillis(3600)).setBeatsTo(at).setBeatCount(2)
                        .setRateBpm(60_000.0 / 3600).build()).build());

        await("the alert is on the board").atMost(WAIT).until(() ->
                as("cardio1").get("/api/alerts").jsonPath().getList("id").contains(alertId));
        as("cardio1").get("/api/alerts").then()
                .body("find { it.id == '" + alertId + "' }.beats.count", equalTo(2))
                .body("find { it.id == '" + alertId + "' }.beats.from", equalTo("2026-11-24T08:00:00Z"))
                .body("find { it.id == '" + alertId + "' }.beats.to", equalTo("2026-11-24T08:00:03.600Z"))
                .body("find { it.id == '" + alertId + "' }.beats.irregularity", equalTo(null));
    }

    private static String patient(String treating, String backup) {
        String id = "p-api-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id).setDisplayName("Patient " + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id).setTreatingPhysician(treating)
                .setBackupPhysician(backup).build());
        return id;
    }

    private static String raise(String patient, Instant at) {
        String alertId = "alert-" + patient;
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId(alertId).setPatientId(patient)
                .setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL).setState(AlertState.OPEN)
                .setOpenedAt(at).setUpdatedAt(at).setEvidence(AlertEvidence.newBuilder()
                        .setSummary("heartRateBpm above 130 bpm for 60 s").build()).build());
        return alertId;
    }

    private DashboardSocket socket(String user) {
        return DashboardSocket.open(URI.create(socketUri.toString().replaceFirst("^https", "wss")),
                KafkaWithUsersResource.https(), user, KafkaWithUsersResource.PASSWORD);
    }
}
