package org.cardiowatch.alerts.review;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The patient page's and the daily review's API on a real Kafka and a real InfluxDB: the alert
 * timeline, the ECG strip cut from cw.ecg with the beats of cw.beats, the day's summary, and
 * marking a patient reviewed, each behind the care-team rule and audited.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class PatientPageApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int RATE_HZ = 250;

    @Test
    void shouldShowTheAlertTimelineAndSummariseTheDayForTheReview() {
        String patient = patient();
        Instant now = Instant.now();
        alert(patient, "af-" + patient, AlertKind.ATRIAL_FIBRILLATION, AlertSeverity.WARNING,
                now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)));
        alert(patient, "pause-" + patient, AlertKind.PAUSE, AlertSeverity.CRITICAL, now.minus(Duration.ofMinutes(30)), null);
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        for (int m = 1; m <= 10; m++) {
            KafkaWithUsersResource.writer().write(Topics.VITALS_1M, patient, VitalsMinute.newBuilder()
                    .setPatientId(patient).setMinuteStart(minute.minus(Duration.ofMinutes(m))).setReadings(60)
                    .setHeartRateMin(50.0 + m).setHeartRateMean(70.0).setHeartRateMax(120.0 + m)
                    .setSpo2Min(m <= 3 ? 86.0 : 95.0).setSpo2Mean(95.0)
                    .setClassifiedBeats(70).setVentricularBeats(m <= 2 ? 7 : 0).setSupraventricularBeats(1).build());
        }

        await("the episodes reach the history").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/patients/" + patient + "/alerts?range=24h").then().statusCode(200)
                        .body("kind", hasItems("ATRIAL_FIBRILLATION", "PAUSE"))
                        .body("find { it.kind == 'PAUSE' }.resolvedAt", nullValue())
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.state", equalTo("RESOLVED"))
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.summary", equalTo("ATRIAL_FIBRILLATION for the test"))
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.worstValue", equalTo(98.0f))
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.worstAt",
                                equalTo(now.minus(Duration.ofHours(3)).plusSeconds(42).truncatedTo(ChronoUnit.MILLIS).toString()))
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.sources", hasItem("dev-" + patient))
                        .body("find { it.kind == 'ATRIAL_FIBRILLATION' }.resolution", equalTo("back to normal")));
        await("and the minutes").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/review").then().statusCode(200)
                        .body("find { it.patientId == '" + patient + "' }.heartRateMax", equalTo(130.0f)));

        JsonPath row = as("cardio1").get("/api/review").then().statusCode(200).extract().jsonPath()
                .setRootPath("find { it.patientId == '" + patient + "' }");
        org.hamcrest.MatcherAssert.assertThat("two hours of AF", row.getLong("afMinutes"), equalTo(120L));
        org.hamcrest.MatcherAssert.assertThat(row.getDouble("afBurdenPercent"), equalTo(8.3));
        org.hamcrest.MatcherAssert.assertThat(row.getInt("pauses"), equalTo(1));
        org.hamcrest.MatcherAssert.assertThat(row.getDouble("heartRateMin"), equalTo(51.0));
        org.hamcrest.MatcherAssert.assertThat("minutes with SpO2 under 90 %", row.getLong("desaturationMinutes"), equalTo(3L));
        org.hamcrest.MatcherAssert.assertThat(row.getInt("openCritical"), equalTo(1));
        org.hamcrest.MatcherAssert.assertThat("data in every hour since the first minute",
                row.getInt("hoursMonitored"), equalTo(row.getInt("hoursWithData")));
        org.hamcrest.MatcherAssert.assertThat("14 PVCs of 700 beats", row.getDouble("ventricularBurdenPercent"), equalTo(2.0));
        org.hamcrest.MatcherAssert.assertThat("10 SVEBs of 700", row.getDouble("supraventricularBurdenPercent"), equalTo(1.4));
        org.hamcrest.MatcherAssert.assertThat(row.getBoolean("reviewedToday"), equalTo(false));

        as("cardio2").get("/api/review").then().statusCode(200).body("patientId", not(hasItem(patient)));
        as("cardio2").get("/api/patients/" + patient + "/alerts").then().statusCode(404);
        as("cardio2").post("/api/review/" + patient + "/reviewed").then().statusCode(404);
        as("auditor1").post("/api/review/" + patient + "/reviewed").then().statusCode(403);
        as("cardio1").get("/api/patients/" + patient + "/alerts?range=1y").then().statusCode(400);

        as("cardio1").post("/api/review/" + patient + "/reviewed").then().statusCode(200)
                .body("reviewedBy", equalTo("cardio1"));
        await("the review is kept on cw.reviews").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/review").then()
                        .body("find { it.patientId == '" + patient + "' }.reviewedToday", equalTo(true))
                        .body("find { it.patientId == '" + patient + "' }.reviewedBy", equalTo("cardio1")));
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'review.mark' }.outcome", hasItems("ALLOWED", "DENIED"))
                .body("action", hasItems("review.read", "alerts.history"));
    }

    @Test
    void shouldCountTheWindowsHoursNotTheClocksForAPatientWithDataAllDay() {
        String patient = patient();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        // A minute every 10 minutes for 25 hours: every hour of the 24-hour window, which spans 25 clock hours.
        for (int k = 1; k <= 150; k++) {
            KafkaWithUsersResource.writer().write(Topics.VITALS_1M, patient, VitalsMinute.newBuilder()
                    .setPatientId(patient).setMinuteStart(now.minus(Duration.ofMinutes(10L * k - 9))).setReadings(60)
                    .setHeartRateMin(60.0).setHeartRateMean(70.0).setHeartRateMax(80.0).build());
        }

        await("the minutes reach the history").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/review").then().statusCode(200)
                        .body("find { it.patientId == '" + patient + "' }.hoursWithData", equalTo(24))
                        .body("find { it.patientId == '" + patient + "' }.hoursMonitored", equalTo(24)));
    }

    @Test
    void shouldListAnOpenAlertBeforeAnyOfThePatientsAlertsWasResolved() {
        String patient = patient();
        alert(patient, "tachy-" + patient, AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, Instant.now().minusSeconds(90),
                null);

        await("the open episode reaches the history").atMost(WAIT).untilAsserted(() ->
                as("cardio1").get("/api/patients/" + patient + "/alerts?range=24h").then().statusCode(200)
                        .body("kind", hasItem("TACHYCARDIA")).body("[0].resolvedAt", nullValue())
                        .body("[0].state", equalTo("OPEN")));
    }

    @Test
    void shouldCutTheEcgStripAroundAnOnsetWithTheDetectedBeatsAndAGapWhereNothingCame() {
        String patient = patient();
        Instant onset = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        Instant from = onset.minusSeconds(10);
        List<Instant> beats = new ArrayList<>();
        for (int second = 0; second < 30; second += 2) {
            if (second == 14) {
                continue; // a segment lost on the way: the strip shows a gap, not a flat line
            }
            Instant start = from.plusSeconds(second);
            writeSegment(patient, "dev-ecg-" + patient, start, 2);
            for (int beat = 0; beat < 2; beat++) {
                Instant rPeak = start.plusMillis(200 + 1000L * beat);
                beats.add(rPeak);
                KafkaWithUsersResource.writer().write(Topics.BEATS, patient, Beat.newBuilder().setPatientId(patient)
                        .setDeviceId("dev-ecg-" + patient).setSource(BeatSource.ECG).setRPeakAt(rPeak).setRrMillis(1000)
                        .setBeatClass(second == 20 && beat == 1 ? BeatClass.V : BeatClass.N).build());
            }
        }
        KafkaWithUsersResource.writer().write(Topics.BEATS, patient, Beat.newBuilder().setPatientId(patient)
                .setDeviceId("watch-" + patient).setSource(BeatSource.DEVICE_RR).setRPeakAt(onset).setRrMillis(900).build());

        JsonPath strip = as("cardio1").queryParam("at", onset.toString()).get("/api/patients/" + patient + "/ecg")
                .then().statusCode(200).extract().jsonPath();
        org.hamcrest.MatcherAssert.assertThat(strip.getString("deviceId"), equalTo("dev-ecg-" + patient));
        org.hamcrest.MatcherAssert.assertThat(strip.getInt("sampleRateHz"), equalTo(RATE_HZ));
        List<Integer> samples = strip.getList("samplesMicroVolts");
        org.hamcrest.MatcherAssert.assertThat("30 s on the 250 Hz grid", samples, hasSize(30 * RATE_HZ));
        org.hamcrest.MatcherAssert.assertThat("the lost segment is a gap", samples.get(15 * RATE_HZ), nullValue());
        org.hamcrest.MatcherAssert.assertThat("an R peak is where it was sent", samples.get(RATE_HZ / 5), equalTo(1000));
        org.hamcrest.MatcherAssert.assertThat("only the ECG device's beats, all of them", strip.getList("beats"),
                hasSize(beats.size()));
        org.hamcrest.MatcherAssert.assertThat("each with its class", strip.getList("beats.findAll { it.beatClass == 'V' }.at",
                String.class), contains(from.plusSeconds(20).plusMillis(1200).toString()));

        as("cardio1").queryParam("at", "yesterday").get("/api/patients/" + patient + "/ecg").then().statusCode(400);
        as("cardio2").queryParam("at", onset.toString()).get("/api/patients/" + patient + "/ecg").then().statusCode(404);
        as("cardio1").queryParam("at", onset.minus(Duration.ofDays(2)).toString())
                .get("/api/patients/" + patient + "/ecg").then().statusCode(200).body("samplesMicroVolts", hasSize(0));
    }

    /** A segment of flat baseline with a 1 mV spike 200 ms into each second. */
    private static void writeSegment(String patient, String device, Instant start, int seconds) {
        List<Integer> samples = new ArrayList<>();
        for (int i = 0; i < seconds * RATE_HZ; i++) {
            samples.add(i % RATE_HZ == RATE_HZ / 5 ? 1000 : 0);
        }
        KafkaWithUsersResource.writer().write(Topics.ECG, patient, EcgSegment.newBuilder().setPatientId(patient)
                .setDeviceId(device).setSequence(start.getEpochSecond()).setStartedAt(start).setReceivedAt(start)
                .setSampleRateHz(RATE_HZ).setLead("I").setSamplesMicroVolts(samples).build());
    }

    private static String patient() {
        String id = "p-page-" + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id)
                .setDisplayName("Page " + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id)
                .setTreatingPhysician("cardio1").build());
        await().atMost(WAIT).untilAsserted(() -> as("cardio1").get("/api/patients/" + id).then().statusCode(200));
        return id;
    }

    /** An alert's lifecycle as the stream processor writes it: opened, then resolved when {@code end} is set. */
    private static void alert(String patient, String id, AlertKind kind, AlertSeverity severity, Instant onset,
            Instant end) {
        Alert.Builder alert = Alert.newBuilder().setAlertId(id).setPatientId(patient).setKind(kind).setSeverity(severity)
                .setState(AlertState.OPEN).setOpenedAt(onset).setUpdatedAt(onset)
                .setEvidence(AlertEvidence.newBuilder().setSummary(kind + " for the test").build());
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, alert.build());
        if (end != null) {
            // The resolution keeps the episode's summary and worst value and says apart how it ended.
            KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, alert.setState(AlertState.RESOLVED)
                    .setUpdatedAt(end).setResolvedAt(end).setEvidence(AlertEvidence.newBuilder()
                            .setSummary(kind + " for the test").setMeasure("heartRateBpm").setWorstValue(98.0)
                            .setWorstAt(onset.plusSeconds(42))
                            .setSources(java.util.List.of("dev-" + patient)).setResolution("back to normal").build())
                    .build());
        }
    }
}
