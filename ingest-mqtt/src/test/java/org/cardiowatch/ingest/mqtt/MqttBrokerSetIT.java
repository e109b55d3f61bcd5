package org.cardiowatch.ingest.mqtt;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge on a set of two real MQTT brokers (TLS, each with its own data) and a real Kafka
 * broker: it drains every broker, a device moves to the other broker when its own is lost, and
 * what a lost broker acknowledged reaches Kafka once that broker is back.
 */
class MqttBrokerSetIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path folder;
    static LocalBrokers brokers;
    static TopicWriter writer;
    static CompactedTopicView<Device> devices;
    static CompactedTopicView<Consent> consents;
    static int deviceCount;

    @BeforeAll
    static void startBrokers() throws InterruptedException {
        brokers = LocalBrokers.start(folder, 0, 1, 0, 2, 3, false, null);
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
    void shouldTakeReadingsFromEveryBrokerOfTheSet() {
        List<String> uris = brokers.mqttServerUris();
        Enrolled first = enrol();
        Enrolled second = enrol();
        try (Bridges bridges = startBridges("every");
                SealedDevicePublisher onFirst = first.publisher(List.of(uris.get(0)));
                SealedDevicePublisher onSecond = second.publisher(List.of(uris.get(1)));
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            assertThat("connected to both brokers", bridges.bridges().isConnectedToAll(), is(true));
            onFirst.publish(reading(71f));
            onSecond.publish(reading(72f));

            List<String> arrived = vitals.await(e -> e.value().getDeviceId().equals(first.deviceId())
                    || e.value().getDeviceId().equals(second.deviceId()), 2, WAIT).stream()
                    .map(e -> e.value().getDeviceId()).toList();
            assertThat("a reading from each broker", arrived, containsInAnyOrder(first.deviceId(), second.deviceId()));
        }
    }

    @Test
    void shouldDeliverWhatALostBrokerHeldOnceItIsBackAndLetItsDevicesMoveMeanwhile() throws InterruptedException {
        List<String> uris = brokers.mqttServerUris();
        Enrolled device = enrol();
        try (SealedDevicePublisher publisher = device.publisher(List.of(uris.get(1), uris.get(0)));
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            // The bridge's session exists on both brokers; while the bridge is away, broker 1 keeps
            // what the device sends for it.
            startBridges("held").close();
            long held = publisher.publish(reading(64f));
            brokers.stopMqttNode(1);
            try (Bridges bridges = startBridges("held")) {
                assertThat("with a broker lost the bridge is not ready", bridges.bridges().isConnectedToAll(), is(false));
                assertThat(bridges.bridges().connectedCount(), is(1L));

                long moved = publisher.publish(reading(65f));
                assertThat("the device moved to the other broker: its reading arrives while broker 1 is away",
                        sequences(vitals.await(e -> e.value().getDeviceId().equals(device.deviceId()), 1, WAIT)),
                        contains(moved));

                brokers.startMqttNode(1);
                long whileBack = publisher.publish(reading(66f));
                assertThat("the other broker delivers while the bridge reconnects to the one that is back",
                        sequences(vitals.await(e -> e.value().getDeviceId().equals(device.deviceId())
                                && e.value().getSequence() == whileBack, 1, WAIT)), contains(whileBack));
                await("the bridge reconnects to the broker that is back").atMost(WAIT)
                        .until(() -> bridges.bridges().isConnectedToAll());
                assertThat("what broker 1 acknowledged before it was lost reaches Kafka once it is back",
                        sequences(vitals.await(e -> e.value().getDeviceId().equals(device.deviceId())
                                && e.value().getSequence() == held, 1, WAIT)), contains(held));
                long after = publisher.publish(reading(67f));
                assertThat("the other broker still delivers after the lost one is back",
                        sequences(vitals.await(e -> e.value().getDeviceId().equals(device.deviceId())
                                && e.value().getSequence() == after, 1, WAIT)), contains(after));
            }
        } finally {
            brokers.startMqttNode(1);
        }
    }

    @Test
    void shouldLoseNothingOfAStreamWhileOneBrokerIsLostAndBack() throws InterruptedException {
        List<String> uris = brokers.mqttServerUris();
        List<Enrolled> cohort = List.of(enrol(), enrol(), enrol(), enrol());
        java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Bridges bridges = startBridges("stream")) {
            List<SealedDevicePublisher> publishers = new java.util.ArrayList<>();
            for (int i = 0; i < cohort.size(); i++) {
                List<String> order = new java.util.ArrayList<>(uris);
                java.util.Collections.rotate(order, -i);
                publishers.add(cohort.get(i).publisher(order));
            }
            for (int second = 0; second < 20; second++) {
                if (second == 4) {
                    brokers.stopMqttNode(1);
                }
                if (second == 10) {
                    brokers.startMqttNode(1);
                }
                for (int i = 0; i < cohort.size(); i++) {
                    sent.add(cohort.get(i).deviceId() + "/" + publishers.get(i).publish(reading(70f)));
                }
                Thread.sleep(1000);
            }
            publishers.forEach(SealedDevicePublisher::close);
            try (TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
                java.util.Set<String> devices = java.util.Set.copyOf(cohort.stream().map(Enrolled::deviceId).toList());
                List<String> arrived = vitals.await(e -> devices.contains(e.value().getDeviceId()), sent.size(), WAIT)
                        .stream().map(e -> e.value().getDeviceId() + "/" + e.value().getSequence()).toList();
                java.util.Set<String> missing = new java.util.TreeSet<>(sent);
                missing.removeAll(arrived);
                assertThat("missing: " + missing, missing.isEmpty(), is(true));
            }
        } finally {
            brokers.startMqttNode(1);
        }
    }

    private static List<Long> sequences(List<TopicReader.Entry<VitalSigns>> entries) {
        return entries.stream().map(e -> e.value().getSequence()).toList();
    }

    private static DeviceVitals reading(float heartRate) {
        return DeviceVitals.newBuilder().setMeasuredAt(Instant.now()).setHeartRateBpm(heartRate).setSpo2Percent(97f).build();
    }

    private static Enrolled enrol() {
        int id = ++deviceCount;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Enrolled enrolled = new Enrolled("dev-set-" + id, "patient-set-" + id, key);
        writer.write(Topics.DEVICES, enrolled.deviceId(), Device.newBuilder().setDeviceId(enrolled.deviceId())
                .setPatientId(enrolled.patientId()).setStatus(DeviceStatus.ACTIVE).setPayloadKey(ByteBuffer.wrap(key))
                .setEnrolledAt(Instant.now()).build());
        writer.write(Topics.CONSENTS, enrolled.patientId(), Consent.newBuilder().setPatientId(enrolled.patientId())
                .setStatus(ConsentStatus.ACTIVE).setRecordedBy("test").setRecordedAt(Instant.EPOCH).build());
        await("the registries and the first broker have seen the enrolment").atMost(WAIT).until(() ->
                devices.get(enrolled.deviceId()).isPresent() && consents.get(enrolled.patientId()).isPresent()
                        && brokers.enrolledDevice(enrolled.deviceId()).isPresent());
        enrolled.publisherOnceAdmitted(brokers.mqttServerUris().get(1)).close();
        return enrolled;
    }

    private static Bridges startBridges(String name) {
        IngestProducer producer = new IngestProducer(brokers.bootstrapServers(), Map.of());
        MessageInspector inspector = new MessageInspector(devices::get,
                patient -> consents.get(patient).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7)), new ReplayGuard(256),
                RateLimiter.perSecond(50, 100), 65_536, true, Clock.systemUTC());
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        MqttIngestBridges bridges = MqttIngestBridges.start(brokers.mqttServerUris(), uri -> new MqttIngestBridge(
                new MqttBridgeSettings(uri, "cw-ingest-set-" + name, Duration.ofHours(1), 100,
                        brokers.serviceSockets("cw-ingest"), null, new char[0]), inspector, producer, metrics), 10_000);
        return new Bridges(bridges, producer);
    }

    private record Enrolled(String deviceId, String patientId, byte[] key) {
        SealedDevicePublisher publisher(List<String> uris) {
            return new SealedDevicePublisher(uris, deviceId, key, 1, brokers.deviceSockets(deviceId));
        }

        /** The set's other brokers read cw.devices in their own processes: connects once this one has. */
        SealedDevicePublisher publisherOnceAdmitted(String uri) {
            return await("broker " + uri + " admits " + deviceId).atMost(WAIT).ignoreExceptions()
                    .until(() -> publisher(List.of(uri)), java.util.Objects::nonNull);
        }
    }

    private record Bridges(MqttIngestBridges bridges, IngestProducer producer) implements AutoCloseable {
        @Override
        public void close() {
            bridges.close();
            producer.close();
        }
    }
}
