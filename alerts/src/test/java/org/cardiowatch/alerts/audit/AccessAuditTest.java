package org.cardiowatch.alerts.audit;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
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
 * Every access to patient data, allowed or refused, leaves an audit event that the auditor API
 * shows, and the chain of those events verifies.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class AccessAuditTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();
    @Test
    void shouldAuditAnAllowedReadWithWhoWhatWhichPatientAndFromWhere() {
        String mine = patient("cardio1");
        await().atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/patients/" + mine + "/vitals").then().statusCode(200));

        auditOf(mine).body("findAll { it.action == 'vitals.read' && it.outcome == 'ALLOWED' }.actor", hasItem("cardio1"))
                .body("findAll { it.action == 'vitals.read' }.actorRole", hasItem("physician"))
                .body("findAll { it.action == 'vitals.read' }.sourceAddress", hasItem("127.0.0.1"))
                .body("findAll { it.action == 'vitals.read' }.target", hasItem("/api/patients/" + mine + "/vitals"));
    }

    @Test
    void shouldAuditAListWithOneEventPerPatientItShows() {
        String first = patient("cardio3");
        String second = patient("cardio3");
        await().atMost(WAIT).untilAsserted(() -> as("cardio3").get("/api/patients").then().statusCode(200)
                .body("id", hasItems(first, second)));

        for (String shown : List.of(first, second)) {
            auditOf(shown).body("findAll { it.action == 'patient.list' }.actor", hasItem("cardio3"))
                    .body("findAll { it.action == 'patient.list' }.target", hasItem("/api/patients"));
        }
    }

    @Test
    void shouldRefuseAndAuditAPhysicianReachingForAnotherTeamsPatient() {
        String theirs = patient("cardio2");
        await().atMost(WAIT).untilAsserted(() ->
                as("cardio2").get("/api/patients/" + theirs).then().statusCode(200));

        as("cardio1").get("/api/patients/" + theirs).then().statusCode(404);
        as("cardio1").get("/api/patients/" + theirs + "/vitals").then().statusCode(404);

        auditOf(theirs).body("findAll { it.actor == 'cardio1' }.outcome", everyItem(is("DENIED")))
                .body("findAll { it.actor == 'cardio1' }.action", hasItem("patient.read"))
                .body("findAll { it.actor == 'cardio1' }.action", hasItem("vitals.read"));
    }

    @Test
    void shouldRefuseAndAuditAnAcknowledgementOfAnotherTeamsAlert() {
        String theirs = patient("cardio2");
        String alertId = raise(theirs);
        await().atMost(WAIT).untilAsserted(() -> as("cardio2").get("/api/alerts").then().statusCode(200)
                .body("id", hasItem(alertId)));

        as("cardio1").post("/api/alerts/" + alertId + "/ack").then().statusCode(404);

        auditOf(theirs).body("findAll { it.actor == 'cardio1' && it.action == 'alert.acknowledge' }.outcome",
                hasItem("DENIED"));
        as("cardio2").get("/api/alerts").then().body("find { it.id == '" + alertId + "' }.acknowledgedBy", nullValue());
    }

    @Test
    void shouldKeepTheAdminFromVitalsAndAuditTheAttempt() {
        String patient = patient("cardio1");
        as("admin").get("/api/patients/" + patient + "/vitals").then().statusCode(404);

        auditOf(patient).body("findAll { it.actor == 'admin' && it.action == 'vitals.read' }.outcome", hasItem("DENIED"));
    }

    @Test
    void shouldAuditAClinicianCallingTheAdminApi() {
        as("nurse1").contentType("application/json").body("{\"displayName\":\"X\"}")
                .put("/api/admin/patients/p-audit-forbidden").then().statusCode(403);

        as("auditor1").queryParam("actor", "nurse1").get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'access.denied' }.target", hasItem("/api/admin/patients/p-audit-forbidden"));
    }

    @Test
    void shouldAuditAdminActions() {
        String patient = "p-audit-admin-" + IDS.incrementAndGet();
        as("admin").contentType("application/json").body("{\"displayName\":\"Audited\"}")
                .put("/api/admin/patients/" + patient).then().statusCode(204);

        auditOf(patient).body("action", hasItem("admin.patient.put")).body("actor", hasItem("admin"));
    }

    @Test
    void shouldOpenTheAuditTrailToAuditorsOnly() {
        as("cardio1").get("/api/audit").then().statusCode(403);
        as("admin").get("/api/audit").then().statusCode(403);
        as("auditor1").get("/api/audit").then().statusCode(200);
        as("auditor1").get("/api/audit?since=yesterday").then().statusCode(400);
    }

    @Test
    void shouldFindTheChainIntact() {
        String patient = patient("cardio1");
        await().atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/patients/" + patient).then().statusCode(200));

        as("auditor1").get("/api/audit/verify").then().statusCode(200)
                .body("$", not(hasSize(0)))
                .body("problem", everyItem(nullValue()));
    }

    private static ValidatableResponse auditOf(String patientId) {
        return as("auditor1").queryParam("patientId", patientId).get("/api/audit").then().statusCode(200);
    }

    private static String patient(String treating) {
        String id = "p-audit-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id).setDisplayName("Patient " + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id).setTreatingPhysician(treating).build());
        return id;
    }

    private static String raise(String patient) {
        String alertId = "alert-" + patient;
        Instant now = Instant.now();
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId(alertId).setPatientId(patient)
                .setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL).setState(AlertState.OPEN)
                .setOpenedAt(now).setUpdatedAt(now).setEvidence(AlertEvidence.newBuilder()
                        .setSummary("heartRateBpm above 130 bpm for 60 s").build()).build());
        return alertId;
    }
}
