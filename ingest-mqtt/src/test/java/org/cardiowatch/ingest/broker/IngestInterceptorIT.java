package org.cardiowatch.ingest.broker;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.MqttMessageSink;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestMetrics;
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
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest in the broker's publish path, on a real MQTT broker (TLS, device certificates) and a
 * real Kafka, read from the device's side: what its PUBACK says, and what Kafka holds.
 */
class IngestInterceptorIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A stored message's PUBACK: MQTT 5's success code for a publish no client subscribes to ({@link SuccessPuback}). */
    private static final int STORED = 0x10;
    /** Publishes a connection may have not answered with success (the ingest's is 1,000). */
    private static final int UNSETTLED_PER_CONNECTION = 20;
    private static final int LEAK_DEVICES = 16;
    private static final int LEAK_PUBLISHES_PER_DEVICE = 400;
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path folder;
    static LocalBrokers brokers;
    static TopicWriter writer;
    static CompactedTopicView<Device> devices;
    static CompactedTopicView<Consent> consents;
    static IngestProducer producer;
    static IngestInterceptor ingest;
    static EnrolledDevicesBroker ingestBroker;
    static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void startBrokers() throws InterruptedException {
        // Kafka alone: the only MQTT broker of this JVM is the one with the ingest in it.
        brokers = LocalBrokers.start(folder, 0, 1, 0, 0, 3, false, null);
        writer = new TopicWriter(brokers.bootstrapServers());
        devices = new CompactedTopicView<>(Topics.DEVICES, brokers.bootstrapServers()).start();
        consents = new CompactedTopicView<>(Topics.CONSENTS, brokers.bootstrapServers()).start();
        devices.awaitCaughtUp(WAIT);
        consents.awaitCaughtUp(WAIT);
        producer = new IngestProducer(brokers.bootstrapServers(), Map.of());
        MessageInspector inspector = new MessageInspector(devices::get,
                patient -> consents.get(patient).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7)), new ReplayGuard(256),
                RateLimiter.perSecond(50, 100), 65_536, true, Clock.systemUTC());
        ingest = new IngestInterceptor(inspector, producer, new IngestMetrics(metrics), Duration.ofSeconds(3), 2,
                UNSETTLED_PER_CONNECTION);
        ingestBroker = EnrolledDevicesBroker.start(brokers.bootstrapServers(), Map.of(), WAIT,
                folder.resolve("ingest-broker"), "127.0.0.1", 0, brokers.mqttTls(), ingest);
    }

    @AfterAll
    static void stopBrokers() {
        ingestBroker.close();
        ingest.close();
        producer.close();
        devices.close();
        consents.close();
        writer.close();
        brokers.close();
    }

    @Test
    void shouldAcknowledgeAValidReadingWithSuccessOnceKafkaHasIt() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            Ack ack = client.publish(device.topic(), device.seal(1, reading(72f)));

            assertThat("the device's PUBACK says stored", ack.code(), is(STORED));
            List<TopicReader.Entry<VitalSigns>> arrived =
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT);
            assertThat("and Kafka has it, keyed by patient", arrived.get(0).key(), equalTo(device.patientId()));
        }
    }

    @Test
    void shouldTellTheDeviceWhyAMalformedEnvelopeWasRefused() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect()) {
            Ack ack = client.publish(device.topic(), "not an envelope".getBytes(StandardCharsets.UTF_8));

            assertThat("0x99 Payload format invalid", ack.code(), is(0x99));
            assertThat("the reason string names CardioWatch's reason", ack.reasonString(),
                    startsWith("MALFORMED_ENVELOPE: "));
            assertRejected(device.deviceId(), RejectionReason.MALFORMED_ENVELOPE);
        }
    }

    @Test
    void shouldEndAConnectionWhoseMessagesAreRefusedOverAndOverAndLetTheDeviceBackIn() throws MqttException {
        Enrolled device = enrol();
        double endedBefore = metrics.counter("cw.ingest.connections.ended").count();
        try (DeviceClient client = device.connect()) {
            for (int i = 0; i < UNSETTLED_PER_CONNECTION; i++) {
                assertThat(client.publish(device.topic(), "not an envelope".getBytes(StandardCharsets.UTF_8)).code(),
                        is(0x99));
            }
            assertThat("refused as often as a connection may be, it stays", client.isConnected(), is(true));

            // Each refusal stays in HiveMQ's memory of the connection (SuccessPuback): one more ends it.
            client.publish(device.topic(), "not an envelope".getBytes(StandardCharsets.UTF_8));
            await("the ingest ends the connection").atMost(WAIT).until(() -> !client.isConnected());
        }
        assertThat("operators see it", metrics.counter("cw.ingest.connections.ended").count(), is(endedBefore + 1));
        try (DeviceClient again = device.connect()) {
            assertThat("reconnected, the device's next reading is stored",
                    again.publish(device.topic(), device.seal(1, reading(72f))).code(), is(STORED));
        }
    }

    @Test
    void shouldTellTheDeviceWhenItsEnvelopeIsNotAuthentic() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect()) {
            byte[] envelope = device.seal(1, reading(72f));
            envelope[envelope.length - 20] ^= 0x01;
            Ack ack = client.publish(device.topic(), envelope);

            assertThat("0x87 Not authorized", ack.code(), is(0x87));
            assertThat(ack.reasonString(), startsWith("AUTHENTICATION_FAILED: "));
        }
    }

    @Test
    void shouldRefuseTheReadingsOfAPatientWhoseConsentIsWithdrawnWithinSeconds() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect()) {
            assertThat("stored while consent is active", client.publish(device.topic(), device.seal(1, reading(72f))).code(),
                    is(STORED));
            writer.write(Topics.CONSENTS, device.patientId(), Consent.newBuilder().setPatientId(device.patientId())
                    .setStatus(ConsentStatus.WITHDRAWN).setRecordedBy("test").setRecordedAt(Instant.now()).build());
            await("the withdrawal is read").atMost(WAIT).until(() -> consents.get(device.patientId())
                    .map(c -> c.getStatus() == ConsentStatus.WITHDRAWN).orElse(false));

            Ack ack = client.publish(device.topic(), device.seal(2, reading(72f)));
            assertThat("0x87 Not authorized", ack.code(), is(0x87));
            assertThat(ack.reasonString(), startsWith("CONSENT_MISSING: "));
            assertRejected(device.deviceId(), RejectionReason.CONSENT_MISSING);
        }
    }

    @Test
    void shouldRefuseTheReadingsOfARevokedDeviceAndDisconnectIt() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect()) {
            assertThat("stored while enrolled", client.publish(device.topic(), device.seal(1, reading(72f))).code(), is(STORED));
            writer.write(Topics.DEVICES, device.deviceId(), Device.newBuilder().setDeviceId(device.deviceId())
                    .setPatientId(device.patientId()).setStatus(DeviceStatus.REVOKED)
                    .setPayloadKey(ByteBuffer.wrap(device.key())).setEnrolledAt(Instant.now()).build());

            await("the broker cuts the revoked device off within seconds").atMost(WAIT)
                    .until(() -> !client.isConnected());
        }
    }

    @Test
    void shouldRecordTheCertifiedSenderOfAMessageToAnotherDevicesTopic() throws MqttException {
        Enrolled victim = enrol();
        Enrolled sender = enrol();
        try (DeviceClient client = sender.connect()) {
            Ack ack = client.publish(victim.topic(), victim.seal(1, reading(72f)));

            assertThat("0x87 Not authorized", ack.code(), is(0x87));
            assertThat(ack.reasonString(), startsWith("DEVICE_IDENTITY_MISMATCH: "));
            IngestRejection rejection = assertRejected(victim.deviceId(), RejectionReason.DEVICE_IDENTITY_MISMATCH);
            assertThat("the operator sees who sent it", rejection.getCertifiedDeviceId(), equalTo(sender.deviceId()));
        }
    }

    @Test
    void shouldAnswerACopyOfAStoredMessageWithSuccessAndStoreItOnce() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            byte[] envelope = device.seal(1, reading(72f));
            Ack first = client.publish(device.topic(), envelope);
            Ack copy = client.publish(device.topic(), envelope);
            Ack replay = client.publish(device.topic(), device.seal(1, reading(90f)));

            assertThat("the first is stored", first.code(), is(STORED));
            assertThat("the same envelope again (a device unsure of its PUBACK) is stored already", copy.code(), is(STORED));
            assertThat("another message under a spent sequence number is a replay", replay.code(), is(0x83));
            assertThat(replay.reasonString(), startsWith("REPLAYED: "));
            client.publish(device.topic(), device.seal(2, reading(73f)));
            assertThat("the copy was not written again",
                    vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 2, WAIT).stream()
                            .map(e -> e.value().getSequence()).toList(), equalTo(List.of(1L, 2L)));
        }
    }

    @Test
    void shouldNeverDeliverADevicesMessageToASubscriber() throws Exception {
        Enrolled device = enrol();
        List<String> received = new CopyOnWriteArrayList<>();
        MqttAsyncClient subscriber = new MqttAsyncClient(ingestBroker.serverUri(), "subscriber-" + IDS.incrementAndGet(),
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(brokers.serviceSockets("cw-ingest"));
        subscriber.setCallback(new MqttMessageSink((topic, message) -> received.add(topic)));
        subscriber.connect(options).waitForCompletion(WAIT.toMillis());
        IMqttToken subscription = subscriber.subscribe(new MqttSubscription("cw/v1/#", 1));
        try {
            subscription.waitForCompletion(WAIT.toMillis());
        } catch (MqttException refused) {
            // Some MQTT libraries surface a refused subscription as an error: the reason code is what counts.
        }
        assertThat("even a service's subscription is refused on the ingest's broker: 0x87 Not authorized",
                subscription.getReasonCodes()[0], is(0x87));
        try (DeviceClient client = device.connect();
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            assertThat(client.publish(device.topic(), device.seal(1, reading(72f))).code(), is(STORED));
            vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT);
            assertThat("the reading went to Kafka and to no MQTT subscriber", received, hasSize(0));
        } finally {
            if (subscriber.isConnected()) {
                subscriber.disconnect().waitForCompletion(WAIT.toMillis());
            }
            subscriber.close();
        }
    }

    @Test
    void shouldKeepNothingOfAPublishOnceItIsAnswered() throws Exception {
        // HiveMQ CE keeps an entry per QoS 1 packet id (a HashMap node) until the PUBACK passes its publish
        // flow handler, which the PUBACK of a prevented delivery does not (SuccessPuback): with that answer
        // this grew by one node per publish answered, for as long as the device stayed connected.
        List<Enrolled> fleet = java.util.stream.IntStream.range(0, LEAK_DEVICES).mapToObj(i -> enrol()).toList();
        List<DeviceClient> clients = new java.util.ArrayList<>();
        try {
            for (Enrolled device : fleet) {
                clients.add(device.connect());
            }
            long before = liveInstances("java.util.HashMap$Node");
            List<CompletableFuture<Void>> sending = new java.util.ArrayList<>();
            for (int i = 0; i < LEAK_DEVICES; i++) {
                Enrolled device = fleet.get(i);
                DeviceClient client = clients.get(i);
                sending.add(CompletableFuture.runAsync(() -> {
                    for (int sequence = 1; sequence <= LEAK_PUBLISHES_PER_DEVICE; sequence++) {
                        try {
                            assertThat(client.publish(device.topic(), device.seal(sequence, reading(70f))).code(),
                                    is(STORED));
                            // Under the rate limit (50 a second), whose refusals take the prevented path.
                            Thread.sleep(25);
                        } catch (MqttException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

            long grown = liveInstances("java.util.HashMap$Node") - before;
            int answered = LEAK_DEVICES * LEAK_PUBLISHES_PER_DEVICE;
            assertThat("live HashMap nodes, the devices still connected, after " + answered
                    + " publishes answered as stored", grown, lessThan((long) answered / 4));
        } finally {
            clients.forEach(DeviceClient::close);
        }
    }

    @Test
    void shouldTellTheDeviceToSendAgainWhileKafkaCannotTakeItAndLoseNothing() throws MqttException {
        Enrolled device = enrol();
        try (DeviceClient client = device.connect()) {
            brokers.kafka().stop();
            byte[] envelope = device.seal(1, reading(64f));
            Ack during = client.publish(device.topic(), envelope);
            assertThat("no success PUBACK while Kafka does not have it: 0x80", during.code(), is(0x80));
            assertThat(during.reasonString(), startsWith("KAFKA_UNAVAILABLE"));
            brokers.kafka().start();

            Ack again = client.publish(device.topic(), envelope);
            assertThat("sent again once Kafka is back, it is stored", again.code(), is(STORED));
            try (TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
                assertThat("the reading is in Kafka",
                        vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT)
                                .get(0).value().getSequence(), is(1L));
            }
        } finally {
            brokers.kafka().start();
        }
    }

    @Test
    void shouldStoreWhatTheSimulatedDeviceSendsAgainOnceKafkaIsBack() throws Exception {
        Enrolled device = enrol();
        try (SealedDevicePublisher publisher = new SealedDevicePublisher(ingestBroker.serverUri(), device.deviceId(),
                device.key(), 1, brokers.deviceSockets(device.deviceId()))) {
            brokers.kafka().stop();
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> publisher.publish(reading(66f)));
            Thread.sleep(5_000);
            assertThat("no success PUBACK while Kafka is away: the device keeps sending it", sent.isDone(), is(false));
            brokers.kafka().start();

            long sequence = sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try (TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
                assertThat("once Kafka is back the reading is stored",
                        vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT)
                                .get(0).value().getSequence(), is(sequence));
            }
        } finally {
            brokers.kafka().start();
        }
    }

    @Test
    void shouldLetTheSimulatedDeviceReadWhyItWasRefused() {
        Enrolled device = enrol();
        try (SealedDevicePublisher publisher = new SealedDevicePublisher(ingestBroker.serverUri(), device.deviceId(),
                device.key(), 1, brokers.deviceSockets(device.deviceId()))) {
            SealedDevicePublisher.RefusedMessageException refused = assertThrows(
                    SealedDevicePublisher.RefusedMessageException.class,
                    () -> publisher.publishRaw(device.topic().mqttTopic(), new byte[] {1, 2, 3}));

            assertThat(refused.reasonCode(), is(0x99));
            assertThat(refused.getMessage(), org.hamcrest.Matchers.containsString("MALFORMED_ENVELOPE"));
        }
    }

    private static IngestRejection assertRejected(String deviceId, RejectionReason reason) {
        try (TopicReader<IngestRejection> rejected =
                new TopicReader<>(brokers.bootstrapServers(), Topics.INGEST_REJECTED)) {
            List<TopicReader.Entry<IngestRejection>> found =
                    rejected.await(e -> deviceId.equals(e.value().getDeviceId()), 1, WAIT);
            assertThat("a refused message lands in cw.ingest.rejected", found, hasSize(1));
            assertThat(found.get(0).value().getReason(), is(reason));
            return found.get(0).value();
        }
    }

    /** Live instances of a class in this JVM (the broker's included), after a full collection. */
    private static long liveInstances(String className) throws Exception {
        String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].equals(className)) {
                return Long.parseLong(columns[1]);
            }
        }
        throw new IllegalStateException("No " + className + " in the class histogram");
    }

    private static DeviceVitals reading(float heartRate) {
        return DeviceVitals.newBuilder().setMeasuredAt(Instant.now()).setHeartRateBpm(heartRate).setSpo2Percent(97f).build();
    }

    private static Enrolled enrol() {
        int id = IDS.incrementAndGet();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Enrolled enrolled = new Enrolled("ingest-dev-" + id, "ingest-patient-" + id, key);
        writer.write(Topics.DEVICES, enrolled.deviceId(), Device.newBuilder()
                .setDeviceId(enrolled.deviceId()).setPatientId(enrolled.patientId()).setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(key)).setEnrolledAt(Instant.now()).build());
        writer.write(Topics.CONSENTS, enrolled.patientId(), Consent.newBuilder().setPatientId(enrolled.patientId())
                .setStatus(ConsentStatus.ACTIVE).setRecordedBy("test").setRecordedAt(Instant.EPOCH).build());
        await("the registries have seen the enrolment").atMost(WAIT).until(() ->
                devices.get(enrolled.deviceId()).isPresent() && consents.get(enrolled.patientId()).isPresent()
                        && ingestBroker.enrolledDevice(enrolled.deviceId()).isPresent());
        return enrolled;
    }

    /** What the device's PUBACK said. */
    record Ack(int code, String reasonString) {
    }

    private record Enrolled(String deviceId, String patientId, byte[] key) {

        DeviceTopic topic() {
            return new DeviceTopic(deviceId, DeviceStream.VITALS);
        }

        byte[] seal(long sequence, DeviceVitals vitals) {
            return SealedEnvelope.seal(SealedEnvelope.key(key), topic(), sequence, DevicePayloads.encode(vitals),
                    new SecureRandom());
        }

        DeviceClient connect() throws MqttException {
            return new DeviceClient(deviceId);
        }
    }

    /** A device's MQTT 5 client, as plain as a device maker's: publish, and read the PUBACK. */
    private static final class DeviceClient implements AutoCloseable {
        private final MqttAsyncClient client;

        DeviceClient(String deviceId) throws MqttException {
            client = new MqttAsyncClient(ingestBroker.serverUri(), deviceId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(brokers.deviceSockets(deviceId));
            client.connect(options).waitForCompletion(WAIT.toMillis());
        }

        Ack publish(DeviceTopic topic, byte[] payload) throws MqttException {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            IMqttToken token = client.publish(topic.mqttTopic(), message);
            try {
                token.waitForCompletion(WAIT.toMillis());
            } catch (MqttException refused) {
                // Some MQTT libraries surface a failure PUBACK as an error: the reason code is what counts.
            }
            String reason = token.getResponseProperties() == null ? null : token.getResponseProperties().getReasonString();
            return new Ack(token.getReasonCodes() == null ? -1 : token.getReasonCodes()[0], reason);
        }

        boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close() {
            try {
                client.disconnect().waitForCompletion(WAIT.toMillis());
                client.close();
            } catch (MqttException e) {
                // A test device: nothing to recover.
            }
        }
    }
}
