package org.cardiowatch.alerts.dashboard;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Trends from the history store (a real InfluxDB fed from Kafka), behind the same access rules. */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class TrendsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger IDS = new AtomicInteger();
    @Test
    void shouldChartThePhysiciansPatientFromTheHistoryAndHideItFromOthers() {
        String patient = "p-trend-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, patient, Patient.newBuilder().setPatientId(patient).setDisplayName("T").build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, patient, CareTeam.newBuilder().setPatientId(patient).setTreatingPhysician("cardio1").build());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int minute = 1; minute <= 30; minute++) {
            KafkaWithUsersResource.writer().write(Topics.VITALS_1M, patient, VitalsMinute.newBuilder().setPatientId(patient)
                    .setMinuteStart(now.minusSeconds(60L * minute)).setReadings(60).setHeartRateMin(55.0)
                    .setHeartRateMean(66.0).setHeartRateMax(77.0).setSpo2Mean(96.0).build());
        }

        await("the minute aggregates reach the history").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/patients/" + patient + "/trends?range=24h").then().statusCode(200)
                        .body("range", equalTo("24h")).body("points", not(hasSize(0)))
                        .body("points.heartRateMax", hasItem(77.0f)));
        as("cardio1").get("/api/patients/" + patient + "/trends?range=7d").then().statusCode(200)
                .body("bucket", equalTo("30m"));
        as("cardio1").get("/api/patients/" + patient + "/trends?range=1y").then().statusCode(400);
        as("cardio2").get("/api/patients/" + patient + "/trends").then().statusCode(404);
        as("admin").get("/api/patients/" + patient + "/trends").then().statusCode(404);
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'trends.read' }.outcome", hasItem("DENIED"))
                .body("findAll { it.action == 'trends.read' }.outcome", hasItem("ALLOWED"));
    }
}
