package org.cardiowatch.fhir;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push to a hospital's FHIR server (HAPI FHIR's plain server in the JVM) from a real Kafka
 * broker, through an outage of the server: every alert, action and minute arrives, once.
 */
class FhirPushIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void shouldPushAlertsActionsAndMinutesAndCatchUpAfterTheServerWasDown() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, FreePorts.next()).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                InMemoryFhirServer hospital = new InMemoryFhirServer(FreePorts.next()).start();
                FhirPush push = new FhirPush(kafka.bootstrapServers(), java.util.Map.of(), FhirPush.GROUP,
                        hospital.base(), Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(300),
                        patientId -> false).start()) {
            writer.write(Topics.ALERTS, "p-1001", FhirSamples.alert(AlertKind.TACHYCARDIA, AlertState.OPEN));
            writer.write(Topics.ALERT_ACTIONS, "p-1001", FhirSamples.action(AlertActionKind.ACKNOWLEDGED));
            writeMinutes(writer, 0, 10);

            await("the first alert, action and ten minutes arrive").atMost(WAIT).until(() ->
                    hospital.count("Observation") == 30 && hospital.count("DetectedIssue") == 1
                            && hospital.count("Communication") == 1);

            hospital.stop();
            writer.write(Topics.ALERTS, "p-1001", FhirSamples.alert(AlertKind.TACHYCARDIA, AlertState.RESOLVED));
            writeMinutes(writer, 10, 20);
            await("the push notices the outage").atMost(WAIT).until(() -> push.failedBatches() > 0 && !push.isServerUp());
            Thread.sleep(1500);
            long failedDuringOutage = push.failedBatches();
            hospital.start();

            await("everything written during the outage arrives once the server is back").atMost(WAIT).until(() ->
                    hospital.count("Observation") == 60 && push.isServerUp());
            DetectedIssue alert = (DetectedIssue) hospital.stored().get("DetectedIssue/alert-TACHYCARDIA");
            System.out.printf("FHIR push: %d resources stored (%d Observations, %d DetectedIssues, %d Communications),"
                    + " %d PUTs taken, %d batches retried during the outage, %d refused%n", hospital.stored().size(),
                    hospital.count("Observation"), hospital.count("DetectedIssue"), hospital.count("Communication"),
                    hospital.puts(), failedDuringOutage, push.refusedResources());
            assertThat("the resolved alert replaced the open one: final, with its episode's end", alert.getStatus(),
                    is(DetectedIssue.DetectedIssueStatus.FINAL));
            assertThat(alert.getIdentifiedPeriod().getEnd().toInstant(), equalTo(FhirSamples.AT.plusSeconds(600)));
            assertThat("nothing doubled: 20 minutes × 3 vital signs, 1 alert, 1 action",
                    hospital.stored().size(), is(60 + 1 + 1));
            assertThat(push.refusedResources(), is(0L));
            assertThat(failedDuringOutage, greaterThan(0L));
        }
    }

    @Test
    void shouldNeverSendAnErasedPatientsRecordsStillInTheTopics() throws Exception {
        // One partition: the other patient's alert, written last, is read after the erased patient's records.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, FreePorts.next()).createTopics(1);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                InMemoryFhirServer hospital = new InMemoryFhirServer(FreePorts.next()).start();
                FhirPush push = new FhirPush(kafka.bootstrapServers(), java.util.Map.of(), FhirPush.GROUP,
                        hospital.base(), Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(300),
                        "p-erased"::equals).start()) {
            writer.write(Topics.ALERTS, "p-erased", org.cardiowatch.schemas.avro.Alert.newBuilder(
                    FhirSamples.alert(AlertKind.BRADYCARDIA, AlertState.OPEN)).setAlertId("alert-erased")
                    .setPatientId("p-erased").build());
            writer.write(Topics.VITALS_1M, "p-erased", VitalsMinute.newBuilder(FhirSamples.minute())
                    .setPatientId("p-erased").build());
            writer.write(Topics.ALERTS, "p-1001", FhirSamples.alert(AlertKind.TACHYCARDIA, AlertState.OPEN));

            await("the other patient's alert arrives").atMost(WAIT).until(() -> hospital.count("DetectedIssue") == 1);
            assertThat("only the other patient's alert was sent", hospital.stored().keySet(),
                    org.hamcrest.Matchers.contains("DetectedIssue/alert-TACHYCARDIA"));
        }
    }

    @Test
    void shouldSkipOnlyTheRecordTheServerRefusesAndSendTheRestOfItsBatch() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, FreePorts.next()).createTopics(1);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                InMemoryFhirServer hospital = new InMemoryFhirServer(FreePorts.next()).start()) {
            hospital.refuse("DetectedIssue/alert-PAUSE");
            // Written before the push starts, so they come as one batch, an unreadable record first.
            sendRaw(kafka, Topics.ALERTS.name(), "p-1001", "not an Avro alert".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writeMinutes(writer, 0, 10);
            writer.write(Topics.ALERTS, "p-1001", FhirSamples.alert(AlertKind.PAUSE, AlertState.OPEN));
            writeMinutes(writer, 10, 20);
            try (FhirPush push = new FhirPush(kafka.bootstrapServers(), java.util.Map.of(), FhirPush.GROUP,
                    hospital.base(), Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(300),
                    patientId -> false).start()) {
                await("every minute of the batch arrives").atMost(WAIT).until(() -> hospital.count("Observation") == 60);
                await().atMost(WAIT).until(() -> push.refusedResources() == 1);
                assertThat("the refused alert alone was left out, and the unreadable record did not stop the rest",
                        hospital.count("DetectedIssue"), is(0L));
                assertThat("nothing retried as if the server were down", push.failedBatches(), is(0L));
            }
        }
    }

    private static void sendRaw(EmbeddedKafka kafka, String topic, String key, byte[] value) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(props,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static void writeMinutes(TopicWriter writer, int from, int to) {
        for (int minute = from; minute < to; minute++) {
            writer.write(Topics.VITALS_1M, "p-1001", VitalsMinute.newBuilder(FhirSamples.minute())
                    .setMinuteStart(START.plusSeconds(60L * minute)).build());
        }
    }
}
