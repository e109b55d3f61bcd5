package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topic;
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
    void shouldLetTheIngestWriteAReading() {
        try (TopicWriter ingest = writerAs("cw-ingest")) {
            Instant now = Instant.now();
            ingest.write(Topics.VITALS, "p-1", VitalSigns.newBuilder().setPatientId("p-1").setDeviceId("d-1")
                    .setSequence(1).setMeasuredAt(now).setReceivedAt(now).setHeartRateBpm(70f).build());
        }
    }

    @Test
    void shouldRefuseTheIngestWritingAnAlert() {
        Instant now = Instant.now();
        assertThat(refusal("cw-ingest", Topics.ALERTS, "p-1", Alert.newBuilder().setAlertId("a").setPatientId("p-1")
                .setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL).setState(AlertState.OPEN)
                .setOpenedAt(now).setUpdatedAt(now).setEvidence(AlertEvidence.newBuilder().setSummary("forged").build())
                .build()), containsString("Not authorized"));
    }

    @Test
    void shouldRefuseTheProcessorEnrollingADevice() {
        assertThat(refusal("cw-processor", Topics.DEVICES, "d-9", device("d-9")), containsString("Not authorized"));
    }

    /** The ingest, the MQTT broker of its devices, admits them from its view of cw.devices. */
    @Test
    void shouldLetTheIngestFollowTheDeviceRegistry() throws InterruptedException {
        try (TopicWriter tools = writerAs(LocalBrokers.LOCAL_TOOLS)) {
            tools.write(Topics.DEVICES, "d-acl", device("d-acl"));
        }
        try (CompactedTopicView<Device> registry = new CompactedTopicView<>(Topics.DEVICES, brokers.bootstrapServers(),
                brokers.kafkaClientSettings("cw-ingest"), (deviceId, device) -> { }).start()) {
            assertTrue(registry.awaitCaughtUp(Duration.ofSeconds(30)), "cw-ingest read cw.devices to its end");
            assertThat(registry.get("d-acl").map(Device::getStatus).orElse(null), is(DeviceStatus.ACTIVE));
        }
    }

    /** An ingest taken over, the part of CardioWatch that faces the Internet, must not admit a device of its own making. */
    @Test
    void shouldRefuseTheIngestEnrollingADevice() {
        assertThat(refusal("cw-ingest", Topics.DEVICES, "d-forged", device("d-forged")), containsString("Not authorized"));
    }

    /** Nor read the alerts or the readings of others: it only writes readings. */
    @Test
    void shouldRefuseTheIngestReadingAlerts() {
        Map<String, Object> settings = new HashMap<>(brokers.kafkaClientSettings("cw-ingest"));
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            assertThrows(TopicAuthorizationException.class,
                    () -> consumer.partitionsFor(Topics.ALERTS.name(), Duration.ofSeconds(30)));
        }
    }

    private static Device device(String deviceId) {
        return Device.newBuilder().setDeviceId(deviceId).setPatientId("p-9").setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(new byte[32])).setEnrolledAt(Instant.now()).build();
    }

    /** The message of the refusal when {@code service} writes the record; fails the test when Kafka takes it. */
    private static <V> String refusal(String service, Topic<String, V> topic, String key, V value) {
        try (TopicWriter writer = writerAs(service)) {
            return assertThrows(IllegalStateException.class, () -> writer.write(topic, key, value)).getMessage();
        }
    }

    private static TopicWriter writerAs(String service) {
        return new TopicWriter(brokers.bootstrapServers(), brokers.kafkaClientSettings(service));
    }
}
