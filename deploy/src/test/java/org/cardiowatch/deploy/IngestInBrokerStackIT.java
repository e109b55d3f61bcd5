package org.cardiowatch.deploy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cardiowatch.embedded.DashboardSocket;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack with the ingest in the MQTT broker's publish path ({@code --ingest broker}),
 * under the manifest's Kafka ACLs: a device's readings become an alert on the treating
 * physician's dashboard, and a refusal reaches the device in its PUBACK and cw.ingest.rejected.
 */
class IngestInBrokerStackIT {

    private static final String PASSWORD = "e2e-password";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    static LocalStack stack;
    static int httpPort;

    @BeforeAll
    static void startStack() throws Exception {
        httpPort = FreePorts.next();
        stack = LocalStack.start(new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0, httpPort,
                FreePorts.next(), FreePorts.next(), PASSWORD.toCharArray(), false, Map.of(
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_SUSTAIN", "PT5S"), 1, 1, true));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRaiseTheAlertOfADeviceThroughTheIngestInTheBrokerAndTellItWhyAMessageWasRefused() throws Exception {
        DemoCohort.DemoPatient patient = LoadBenchmark.patients(1).get(0);
        stack.enrol(List.of(patient));
        URI socket = URI.create("ws://127.0.0.1:" + httpPort + "/ws/alerts");
        try (DashboardSocket treating = DashboardSocket.open(socket, "cardio1", PASSWORD);
                SealedDevicePublisher device = new SealedDevicePublisher(stack.mqttServerUris(), patient.deviceId(),
                        patient.key(), 1, stack.brokers().deviceSockets(patient.deviceId()))) {
            for (int second = 0; second < 9; second++) {
                device.publish(DeviceVitals.newBuilder().setMeasuredAt(Instant.now()).setHeartRateBpm(150f)
                        .setSpo2Percent(97f).build());
                Thread.sleep(1000);
            }
            await("the tachycardia reaches the treating physician's dashboard").atMost(WAIT)
                    .until(() -> !treating.receivedContaining(patient.patientId()).isEmpty());
            assertThat(treating.receivedContaining(patient.patientId()).get(0), containsString("TACHYCARDIA"));

            SealedDevicePublisher.RefusedMessageException refused = assertThrows(
                    SealedDevicePublisher.RefusedMessageException.class,
                    () -> device.publishRaw("cw/v1/" + patient.deviceId() + "/vitals", new byte[] {1, 2, 3}));
            assertThat("0x99 Payload format invalid, read by the device", refused.reasonCode(), is(0x99));
            List<IngestRejection> recorded = TopicScan.read(stack.brokers().bootstrapServers(),
                    stack.kafkaClientSettings(), Topics.INGEST_REJECTED, Instant.EPOCH,
                    r -> patient.deviceId().equals(r.getDeviceId()), 10);
            assertThat("the refusal is recorded for operators too", recorded, hasSize(1));
            assertThat(recorded.get(0).getReason(), is(RejectionReason.MALFORMED_ENVELOPE));
        }
    }
}
