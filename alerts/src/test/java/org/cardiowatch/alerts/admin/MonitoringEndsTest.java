package org.cardiowatch.alerts.admin;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Revocation, consent withdrawal and discharge tell the stream processor through
 * cw.monitoring-ends (which resolves the open alerts and deletes the state: ProcessorLifecycleTest),
 * against a real Kafka broker.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class MonitoringEndsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();

    @Inject
    AlertsRuntime runtime;

    @Test
    void shouldRevokeEveryActiveDeviceAndEndThePatientsMonitoringOnDischarge() {
        String patient = "p-end-" + IDS.incrementAndGet();
        device(patient, "dev-a-" + patient, DeviceStatus.ACTIVE);
        device(patient, "dev-b-" + patient, DeviceStatus.ACTIVE);
        device(patient, "dev-c-" + patient, DeviceStatus.REVOKED);
        await().atMost(WAIT).until(() -> runtime.devices().get("dev-c-" + patient).isPresent());

        List<String> revoked = as("admin").post("/api/admin/patients/" + patient + "/discharge").then().statusCode(200)
                .extract().jsonPath().getList("devicesRevoked", String.class);

        assertThat("the active devices, not the one revoked before", revoked,
                contains("dev-a-" + patient, "dev-b-" + patient));
        try (CompactedTopicView<Device> devices = new CompactedTopicView<>(Topics.DEVICES,
                KafkaWithUsersResource.bootstrapServers()).start()) {
            await().atMost(WAIT).until(() -> devices.get("dev-b-" + patient)
                    .map(d -> d.getStatus() == DeviceStatus.REVOKED).orElse(false));
            assertThat("the ingest refuses them now", devices.get("dev-a-" + patient).orElseThrow().getStatus(),
                    is(DeviceStatus.REVOKED));
        }
        assertThat(endsOf(patient), contains("DISCHARGED of the patient by admin"));
    }

    @Test
    void shouldEndOneDevicesMonitoringOnRevocationAndThePatientsOnConsentWithdrawal() {
        String patient = "p-end-" + IDS.incrementAndGet();
        device(patient, "dev-" + patient, DeviceStatus.ACTIVE);
        await().atMost(WAIT).until(() -> runtime.devices().get("dev-" + patient).isPresent());

        as("admin").post("/api/admin/devices/dev-" + patient + "/revoke").then().statusCode(200);
        as("admin").contentType(ContentType.JSON).body(Map.of("status", "ACTIVE"))
                .put("/api/admin/consents/" + patient).then().statusCode(204);
        as("admin").contentType(ContentType.JSON).body(Map.of("status", "WITHDRAWN"))
                .put("/api/admin/consents/" + patient).then().statusCode(204);

        assertThat("a consent given ends nothing", endsOf(patient), contains(
                "DEVICE_REVOKED of dev-" + patient + " by admin", "CONSENT_WITHDRAWN of the patient by admin"));
    }

    private static List<String> endsOf(String patient) {
        return TopicScan.read(KafkaWithUsersResource.bootstrapServers(), Map.of(), Topics.MONITORING_ENDS,
                Instant.EPOCH, end -> end.getPatientId().equals(patient), 10).stream()
                .map(MonitoringEndsTest::describe).toList();
    }

    private static String describe(MonitoringEnd end) {
        return end.getReason() + " of " + (end.getDeviceId() == null ? "the patient" : end.getDeviceId())
                + " by " + end.getRecordedBy();
    }

    private static void device(String patient, String deviceId, DeviceStatus status) {
        KafkaWithUsersResource.writer().write(Topics.DEVICES, deviceId, Device.newBuilder().setDeviceId(deviceId)
                .setPatientId(patient).setStatus(status).setPayloadKey(ByteBuffer.wrap(new byte[32]))
                .setEnrolledAt(Instant.now()).build());
    }
}
