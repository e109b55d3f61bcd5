package org.cardiowatch.ingest.mqtt;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge on a real MQTT broker (TLS) and a real Kafka broker, both in this JVM. */
class MqttIngestBridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path folder;
    static LocalBrokers brokers;
    static TopicWriter writer;
    static CompactedTopicView<Device> devices;
    static CompactedTopicView<Consent> consents;

    @BeforeAll
    static void startBrokers() throws InterruptedException {
        brokers = LocalBrokers.start(folder, 0, 0, 3);
        writer = new TopicWriter(brokers.bootstrapServers());
        devices = new CompactedTopicView<>(Topics.DEVICES, brokers.bootstrapServers()).start();
        consents = new CompactedTopicView<>(Topics.CONSENTS, brokers.bootstrapServers()).start();
        devices.awaitCaughtUp(WAIT);
        consents.awaitCaughtUp(WAIT);
    }

    @AfterAll
    static void stopBrokers() {
        devices.close();
        consents.close();
        writer.close();
        brokers.close();
    }

    @Test
    void shouldWriteAValidReadingToVitalsKeyedByPatient() {
        Enrolled device = enrol(true);
        try (Bridge bridge = startBridge("valid"); SealedDevicePublisher publisher = device.publisher();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            long sequence = publisher.publish(reading(72f, 97f));

            List<TopicReader.Entry<VitalSigns>> arrived =
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT);

            assertThat("one valid reading must reach cw.vitals", arrived, hasSize(1));
            assertThat("cw.vitals is keyed by patient id", arrived.get(0).key(), equalTo(device.patientId()));
            assertThat("the device's sequence number travels with the reading",
                    arrived.get(0).value().getSequence(), equalTo(sequence));
            assertThat("the heart rate arrives unchanged", arrived.get(0).value().getHeartRateBpm(), equalTo(72f));
        }
    }

    @Test
    void shouldTakeAReadingInOpenMHealthJson() {
        Enrolled device = enrol(true);
        String at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String json = "[{\"header\": {\"schema_id\": {\"namespace\": \"omh\", \"name\": \"heart-rate\", \"version\": \"2.0\"}},"
                + " \"body\": {\"heart_rate\": {\"value\": 68, \"unit\": \"beats/min\"},"
                + " \"effective_time_frame\": {\"date_time\": \"" + at + "\"}}},"
                + " {\"header\": {\"schema_id\": {\"namespace\": \"omh\", \"name\": \"oxygen-saturation\", \"version\": \"2.0\"}},"
                + " \"body\": {\"oxygen_saturation\": {\"value\": 96.5, \"unit\": \"%\"},"
                + " \"effective_time_frame\": {\"date_time\": \"" + at + "\"}}}]";
        try (Bridge bridge = startBridge("omh"); SealedDevicePublisher publisher = device.publisher();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            publisher.publishOpenMHealth(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));

            List<TopicReader.Entry<VitalSigns>> arrived =
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT);
            assertThat("the Open mHealth reading reaches cw.vitals like any other", arrived, hasSize(1));
            assertThat(arrived.get(0).value().getHeartRateBpm(), equalTo(68f));
            assertThat(arrived.get(0).value().getSpo2Percent(), equalTo(96.5f));
            assertThat(arrived.get(0).value().getMeasuredAt(), equalTo(Instant.parse(at)));
        }
    }

    @Test
    void shouldKeepADeviceThatIsNotEnrolledOffTheBroker() {
        Enrolled stranger = new Enrolled("unknown-" + IDS.incrementAndGet(), "nobody", newKey());
        // A certificate from the right authority is not enough: the device must be enrolled.
        assertThrows(IllegalStateException.class, stranger::publisher);
    }

    @Test
    void shouldRejectACorruptedEnvelope() {
        Enrolled device = enrol(true);
        try (Bridge bridge = startBridge("corrupt"); SealedDevicePublisher publisher = device.publisher()) {
            var topic = new org.cardiowatch.schemas.wire.DeviceTopic(device.deviceId(),
                    org.cardiowatch.schemas.wire.DeviceStream.VITALS);
            byte[] envelope = publisher.sealFor(topic, reading(72f, 97f));
            envelope[envelope.length - 20] ^= 0x01;
            publisher.publishRaw(topic.mqttTopic(), envelope);

            assertRejected(device.deviceId(), RejectionReason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void shouldRejectAnOutOfRangeReadingWithoutForwardingIt() {
        Enrolled device = enrol(true);
        try (Bridge bridge = startBridge("range"); SealedDevicePublisher publisher = device.publisher();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            publisher.publish(reading(900f, 97f));

            assertRejected(device.deviceId(), RejectionReason.OUT_OF_RANGE);
            assertThat("an impossible heart rate must not reach analysis",
                    vitals.readFor(e -> e.value().getDeviceId().equals(device.deviceId()), Duration.ofSeconds(1)),
                    empty());
        }
    }

    @Test
    void shouldRejectAReadingOfAPatientWithoutConsent() {
        Enrolled device = enrol(false);
        try (Bridge bridge = startBridge("consent"); SealedDevicePublisher publisher = device.publisher()) {
            publisher.publish(reading(72f, 97f));
            assertRejected(device.deviceId(), RejectionReason.CONSENT_MISSING);
        }
    }

    @Test
    void shouldCutADeviceOffWithinSecondsOfItsRevocation() {
        Enrolled device = enrol(true);
        try (Bridge bridge = startBridge("revoke"); SealedDevicePublisher publisher = device.publisher();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            publisher.publish(reading(72f, 97f));
            assertThat("before the revocation readings arrive",
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT), hasSize(1));

            Device enrolled = devices.get(device.deviceId()).orElseThrow();
            writer.write(Topics.DEVICES, device.deviceId(), Device.newBuilder(enrolled).setStatus(DeviceStatus.REVOKED).build());
            await("the broker disconnects the revoked device").atMost(WAIT).until(() -> !publisher.isConnected());
            assertThrows(IllegalStateException.class, () -> publisher.publish(reading(73f, 97f)));

            assertThat("after the revocation nothing more reaches analysis",
                    vitals.readFor(e -> e.value().getDeviceId().equals(device.deviceId()), Duration.ofSeconds(1)),
                    hasSize(1));
        }
    }

    @Test
    void shouldStopTakingReadingsOnceThePatientWithdrawsConsent() {
        Enrolled device = enrol(true);
        try (Bridge bridge = startBridge("withdraw"); SealedDevicePublisher publisher = device.publisher();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            publisher.publish(reading(70f, 97f));
            assertThat("before the withdrawal readings arrive",
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT), hasSize(1));

            writer.write(Topics.CONSENTS, device.patientId(), Consent.newBuilder().setPatientId(device.patientId())
                    .setStatus(ConsentStatus.WITHDRAWN).setRecordedBy("test").setRecordedAt(Instant.now()).build());
            await("the registry sees the withdrawal").atMost(WAIT).until(() -> consents.get(device.patientId())
                    .map(c -> c.getStatus() == ConsentStatus.WITHDRAWN).orElse(false));
            publisher.publish(reading(71f, 97f));

            assertRejected(device.deviceId(), RejectionReason.CONSENT_MISSING);
            assertThat("after the withdrawal nothing more reaches analysis",
                    vitals.readFor(e -> e.value().getDeviceId().equals(device.deviceId()), Duration.ofSeconds(1)),
                    hasSize(1));
        }
    }

    @Test
    void shouldKeepTheMessageUnacknowledgedWhileKafkaIsDownAndDeliverItOnceKafkaIsBack() {
        Enrolled device = enrol(true);
        Bridge first = startBridge("outage");
        try (SealedDevicePublisher publisher = device.publisher()) {
            brokers.kafka().stop();
            publisher.publish(reading(64f, 98f));
            await("the bridge received the message and holds it unacknowledged")
                    .atMost(WAIT).until(() -> first.bridge.inFlight() == 1);

            // The bridge goes away without acknowledging: only the MQTT broker still has the reading.
            first.close();
            brokers.kafka().start();

            try (Bridge second = startBridge("outage");
                    TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
                assertThat("the broker must deliver the unacknowledged reading again, and it must reach Kafka",
                        vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT), hasSize(1));
                await("the redelivered message is acknowledged once written")
                        .atMost(WAIT).until(() -> second.bridge.inFlight() == 0);
            }
        } finally {
            brokers.kafka().start();
        }
    }

    private static void assertRejected(String deviceId, RejectionReason reason) {
        try (TopicReader<IngestRejection> rejected =
                new TopicReader<>(brokers.bootstrapServers(), Topics.INGEST_REJECTED)) {
            List<TopicReader.Entry<IngestRejection>> found =
                    rejected.await(e -> deviceId.equals(e.value().getDeviceId()), 1, WAIT);
            assertThat("a refused message must land in cw.ingest.rejected", found, hasSize(1));
            assertThat("with the reason code of the check that failed",
                    found.get(0).value().getReason(), is(reason));
            assertThat("keyed by device id", found.get(0).key(), equalTo(deviceId));
        }
    }

    private static DeviceVitals reading(float heartRate, float spo2) {
        return DeviceVitals.newBuilder().setMeasuredAt(Instant.now())
                .setHeartRateBpm(heartRate).setSpo2Percent(spo2).build();
    }

    private static Enrolled enrol(boolean consent) {
        int id = IDS.incrementAndGet();
        Enrolled enrolled = new Enrolled("dev-" + id, "patient-" + id, newKey());
        writer.write(Topics.DEVICES, enrolled.deviceId(), Device.newBuilder()
                .setDeviceId(enrolled.deviceId()).setPatientId(enrolled.patientId()).setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(enrolled.key())).setEnrolledAt(Instant.now()).build());
        if (consent) {
            writer.write(Topics.CONSENTS, enrolled.patientId(), Consent.newBuilder().setPatientId(enrolled.patientId())
                    .setStatus(ConsentStatus.ACTIVE).setRecordedBy("test").setRecordedAt(Instant.EPOCH).build());
        }
        await("the registries have seen the enrolment").atMost(WAIT).until(() ->
                devices.get(enrolled.deviceId()).isPresent() && brokers.enrolledDevice(enrolled.deviceId()).isPresent()
                        && (!consent || consents.get(enrolled.patientId()).isPresent()));
        return enrolled;
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static Bridge startBridge(String name) {
        IngestProducer producer = new IngestProducer(brokers.bootstrapServers(), Map.of());
        MessageInspector inspector = new MessageInspector(devices::get,
                patient -> consents.get(patient).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7)), new ReplayGuard(256),
                RateLimiter.perSecond(50, 100), 65_536, true, Clock.systemUTC());
        MqttBridgeSettings settings = new MqttBridgeSettings(brokers.mqttServerUri(), "cw-ingest-it-" + name,
                Duration.ofHours(1), 100, brokers.serviceSockets("cw-ingest"), null, new char[0]);
        return new Bridge(new MqttIngestBridge(settings, inspector, producer, new SimpleMeterRegistry()).start(30_000),
                producer);
    }

    private record Enrolled(String deviceId, String patientId, byte[] key) {
        SealedDevicePublisher publisher() {
            return new SealedDevicePublisher(brokers.mqttServerUri(), deviceId, key, 1, brokers.deviceSockets(deviceId));
        }
    }

    private record Bridge(MqttIngestBridge bridge, IngestProducer producer) implements AutoCloseable {
        @Override
        public void close() {
            bridge.close();
            producer.close();
        }
    }
}
