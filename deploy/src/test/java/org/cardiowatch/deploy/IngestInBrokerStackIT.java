package org.cardiowatch.deploy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The ingest service as the MQTT broker devices connect to (its own process, as in production,
 * under the manifest's Kafka ACLs): a device's readings become an alert on the treating
 * physician's dashboard; a refusal reaches the device in its PUBACK and cw.ingest.rejected; an
 * unenrolled device is refused at CONNECT; operators see each in the service's health and
 * Prometheus metrics.
 */
class IngestInBrokerStackIT {

    private static final String PASSWORD = "e2e-password";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    static LocalStack stack;
    static int httpPort;
    static int ingestHealthPort;

    @BeforeAll
    static void startStack() throws Exception {
        httpPort = FreePorts.next();
        ingestHealthPort = FreePorts.next();
        stack = LocalStack.start(new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0, httpPort,
                ingestHealthPort, FreePorts.next(), PASSWORD.toCharArray(), false, Map.of(
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_SUSTAIN", "PT5S"), 1, 1));
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
        URI socket = URI.create("wss://127.0.0.1:" + httpPort + "/ws/alerts");
        try (DashboardSocket treating = DashboardSocket.open(socket, stack.dashboardTls(), "cardio1", PASSWORD);
                SealedDevicePublisher device = stack.connectDevice(patient, 1, stack.mqttServerUris())) {
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
        String metrics = get("/q/metrics");
        assertThat(metrics, containsString("cw_ingest_messages_total{outcome=\"accepted\",reason=\"none\",topic=\"cw.vitals\"} 9.0"));
        assertThat(metrics, containsString(
                "cw_ingest_messages_total{outcome=\"rejected\",reason=\"MALFORMED_ENVELOPE\",topic=\"cw.ingest.rejected\"} 1.0"));
    }

    @Test
    void shouldRefuseAnUnenrolledDeviceAtConnectAndCountIt() throws Exception {
        String stranger = "dev-never-enrolled";
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new SealedDevicePublisher(
                stack.mqttServerUris(), stranger, new byte[32], 1, stack.brokers().deviceSockets(stranger)).close());
        assertThat(refused.getMessage(), containsString(stranger));
        await("the refusal counted for operators").atMost(WAIT).until(() -> get("/q/metrics").contains(
                "cw_ingest_connections_refused_total{reason=\"DEVICE_NOT_ENROLLED_OR_REVOKED\"} 1.0"));
    }

    @Test
    void shouldBeReadyOnceItsRegistriesAreRead() throws Exception {
        String ready = get("/q/health/ready");
        assertThat(ready.replaceAll("\\s", ""), containsString("\"status\":\"UP\""));
        assertThat(ready.replaceAll("\\s", ""), containsString("\"name\":\"ingest\""));
        assertThat("the check says how many publishes wait for Kafka", ready, containsString("inFlight"));
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ingestHealthPort + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(path + ": " + response.body(), response.statusCode(), is(200));
        return response.body();
    }
}
