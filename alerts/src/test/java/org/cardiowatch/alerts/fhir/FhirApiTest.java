package org.cardiowatch.alerts.fhir;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.fhir.FhirJson;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The read-only FHIR API on a real Kafka and InfluxDB: Bundles a FHIR client can parse, paged,
 * searched by patient and date, behind the care-team rule and in the audit trail.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class FhirApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger IDS = new AtomicInteger();

    @Test
    void shouldServeTheHistoryAsVitalSignsObservationsInPages() {
        String patient = patient();
        Instant first = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            KafkaWithUsersResource.writer().write(Topics.VITALS, patient, VitalSigns.newBuilder().setPatientId(patient)
                    .setDeviceId("dev-" + patient).setSequence(i).setMeasuredAt(first.plusSeconds(i))
                    .setReceivedAt(first.plusSeconds(i)).setHeartRateBpm(70f + i).setSpo2Percent(97f).build());
        }

        await("the readings reach the history").atMost(WAIT).untilAsserted(() ->
                assertThat(search("/fhir/Observation?patient=Patient/" + patient).getEntry(), hasSize(10)));
        Bundle page = search("/fhir/Observation?patient=" + patient + "&_count=2");
        assertThat("two readings, each a heart rate and an SpO2", page.getEntry(), hasSize(4));
        Observation firstHeartRate = (Observation) page.getEntry().get(0).getResource();
        assertThat(firstHeartRate.getCode().getCodingFirstRep().getCode(), equalTo("8867-4"));
        assertThat(firstHeartRate.getValueQuantity().getValue().doubleValue(), is(70.0));
        assertThat(firstHeartRate.getEffectiveDateTimeType().getValue().toInstant(), equalTo(first));
        String next = page.getLink("next").getUrl();
        assertThat(next, containsString("_offset=2"));
        Bundle last = search("/fhir/Observation?patient=" + patient + "&_count=2&_offset=4");
        assertThat(last.getEntry(), hasSize(2));
        assertThat("no page after the last", last.getLink("next"), nullValue());
        assertThat("a window before the readings holds none", search("/fhir/Observation?patient=" + patient
                + "&date=lt" + first.minusSeconds(1)).getEntry(), hasSize(0));

        as("cardio1").get("/fhir/Observation").then().statusCode(400);
        as("cardio1").get("/fhir/Observation?patient=" + patient + "&date=yesterday").then().statusCode(400);
        as("cardio1").get("/fhir/Observation?patient=" + patient + "&_count=100000").then().statusCode(400);
        as("cardio2").get("/fhir/Observation?patient=" + patient).then().statusCode(404);
        as("cardio2").get("/fhir/Patient/" + patient).then().statusCode(404);
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'fhir.read' }.outcome", hasItems("ALLOWED", "DENIED"));
    }

    @Test
    void shouldLeadTheFirstPageWithTheWindowsEctopicBeatBurdensFromTheEcgMinutes() {
        String patient = patient();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int m = 2; m <= 5; m++) {
            KafkaWithUsersResource.writer().write(Topics.VITALS_1M, patient, VitalsMinute.newBuilder()
                    .setPatientId(patient).setMinuteStart(minute.minus(Duration.ofMinutes(m))).setReadings(0)
                    .setClassifiedBeats(75).setVentricularBeats(m == 2 ? 6 : 0).setSupraventricularBeats(3).build());
        }

        await("the minutes reach the history").atMost(WAIT).untilAsserted(() ->
                assertThat(search("/fhir/Observation?patient=" + patient).getEntry(), hasSize(2)));
        Observation pvc = (Observation) search("/fhir/Observation?patient=" + patient).getEntry().get(0).getResource();
        assertThat(pvc.getCode().getCodingFirstRep().getCode(), equalTo("ventricular-ectopic-burden"));
        assertThat("6 of 300 beats", pvc.getValueQuantity().getValue().doubleValue(), is(2.0));
        assertThat(pvc.getValueQuantity().getCode(), equalTo("%"));
        Observation sveb = (Observation) search("/fhir/Observation?patient=" + patient).getEntry().get(1).getResource();
        assertThat("12 of 300", sveb.getValueQuantity().getValue().doubleValue(), is(4.0));
        assertThat("only on the first page", search("/fhir/Observation?patient=" + patient + "&_offset=1").getEntry(),
                hasSize(0));
        assertThat("not in a window before the minutes", search("/fhir/Observation?patient=" + patient + "&date=lt"
                + minute.minus(Duration.ofMinutes(6))).getEntry(), hasSize(0));
    }

    @Test
    void shouldServeThePatientItsDevicesAndItsAlerts() {
        String patient = patient();
        Instant onset = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS);
        KafkaWithUsersResource.writer().write(Topics.DEVICES, "dev-" + patient, Device.newBuilder()
                .setDeviceId("dev-" + patient).setPatientId(patient).setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(new byte[32])).setModel("chest ECG patch").setEnrolledAt(onset).build());
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId("af-" + patient)
                .setPatientId(patient).setKind(AlertKind.ATRIAL_FIBRILLATION).setSeverity(AlertSeverity.WARNING)
                .setState(AlertState.RESOLVED).setOpenedAt(onset).setUpdatedAt(onset.plusSeconds(600))
                .setResolvedAt(onset.plusSeconds(600))
                .setEvidence(AlertEvidence.newBuilder().setSummary("atrial fibrillation").build()).build());

        as("cardio1").get("/fhir/Patient/" + patient).then().statusCode(200)
                .contentType(containsString(FhirJson.MEDIA_TYPE)).body("resourceType", equalTo("Patient"))
                .body("name[0].text", equalTo("Fhir " + patient));
        await("the alert reaches the history").atMost(WAIT).untilAsserted(() ->
                assertThat(search("/fhir/DetectedIssue?patient=" + patient).getEntry(), hasSize(1)));
        DetectedIssue issue = (DetectedIssue) search("/fhir/DetectedIssue?patient=" + patient).getEntryFirstRep()
                .getResource();
        assertThat(issue.getStatus(), is(DetectedIssue.DetectedIssueStatus.FINAL));
        assertThat(issue.getCode().getCoding().stream().map(c -> c.getCode()).toList(), hasItem("49436004"));
        assertThat(issue.getIdentifiedPeriod().getStart().toInstant(), equalTo(onset));
        await("the device registry sees the device").atMost(WAIT).untilAsserted(() ->
                assertThat(search("/fhir/Device?patient=" + patient).getEntry(), hasSize(1)));
        String device = as("cardio1").get("/fhir/Device?patient=" + patient).then().statusCode(200).extract().asString();
        assertThat("the payload key stays inside", device, not(containsString("payloadKey")));
        as("cardio1").get("/fhir/metadata").then().statusCode(200).body("fhirVersion", equalTo("4.0.1"));
    }

    private static Bundle search(String path) {
        return FhirJson.read(Bundle.class, as("cardio1").get(path).then().statusCode(200).extract().asString());
    }

    private static String patient() {
        String id = "p-fhir-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id)
                .setDisplayName("Fhir " + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id)
                .setTreatingPhysician("cardio1").build());
        await().atMost(WAIT).untilAsserted(() -> as("cardio1").get("/fhir/Patient/" + id).then().statusCode(200));
        return id;
    }
}
