package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka enforcing the KafkaUsers' ACLs of the manifests, as the local stack runs it: least privilege per service. */
class KafkaAclsIT {

    @TempDir
    static Path folder;
    static LocalBrokers brokers;

    @BeforeAll
    static void start() throws Exception {
        brokers = LocalBrokers.start(folder, 0, 1, 0, 1, true, KafkaUserAcls.read(
                LocalStackMain.repository().resolve(LocalStack.KAFKA_MANIFEST)));
    }

    @AfterAll
    static void stop() {
        brokers.close();
    }

    @Test
    void shouldLetTheBridgeWriteAReading() {
        try (TopicWriter bridge = writerAs("cw-ingest")) {
            Instant now = Instant.now();
            bridge.write(Topics.VITALS, "p-1", VitalSigns.newBuilder().setPatientId("p-1").setDeviceId("d-1")
                    .setSequence(1).setMeasuredAt(now).setReceivedAt(now).setHeartRateBpm(70f).build());
        }
    }

    @Test
    void shouldRefuseTheBridgeWritingAnAlert() {
        try (TopicWriter bridge = writerAs("cw-ingest")) {
            Instant now = Instant.now();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> bridge.write(Topics.ALERTS, "p-1",
                    Alert.newBuilder().setAlertId("a").setPatientId("p-1").setKind(AlertKind.TACHYCARDIA)
                            .setSeverity(AlertSeverity.CRITICAL).setState(AlertState.OPEN).setOpenedAt(now)
                            .setUpdatedAt(now).setEvidence(AlertEvidence.newBuilder().setSummary("forged").build())
                            .build()));
            assertThat(refused.getMessage(), containsString("Not authorized"));
        }
    }

    @Test
    void shouldRefuseTheProcessorEnrollingADevice() {
        try (TopicWriter processor = writerAs("cw-processor")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> processor.write(Topics.DEVICES,
                    "d-9", Device.newBuilder().setDeviceId("d-9").setPatientId("p-9").setStatus(DeviceStatus.ACTIVE)
                            .setPayloadKey(ByteBuffer.wrap(new byte[32])).setEnrolledAt(Instant.now()).build()));
            assertThat(refused.getMessage(), containsString("Not authorized"));
        }
    }

    private static TopicWriter writerAs(String service) {
        return new TopicWriter(brokers.bootstrapServers(), brokers.kafkaClientSettings(service));
    }
}
