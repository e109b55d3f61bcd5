package org.cardiowatch.ingest.hostile;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.broker.IngestInterceptor;
import org.cardiowatch.ingest.kafka.IngestMetrics;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input catalogue over real brokers: each attack goes through TLS MQTT to the ingest in
 * the broker's publish path, between two valid readings of a bystander device. The attack must
 * land in cw.ingest.rejected with its reason, be counted in the metric, and its sender must read
 * that reason in the PUBACK of its last message; both valid readings must reach cw.vitals.
 */
class HostileInputIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MESSAGES = "cw.ingest.messages";

    @TempDir
    static Path folder;
    static LocalBrokers brokers;
    static TopicWriter writer;
    static CompactedTopicView<Device> registry;
    static CompactedTopicView<Consent> consents;
    static KafkaEnrolledDevices devices;
    static SimpleMeterRegistry metrics;
    static IngestProducer producer;
    static IngestInterceptor ingest;
    static EnrolledDevicesBroker broker;
    /** One MQTT connection per sending device, each with that device's certificate. */
    static final Map<String, SealedDevicePublisher> connections = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        // Kafka alone: the only MQTT broker of this JVM is the one with the ingest in it.
        brokers = LocalBrokers.start(folder, 0, 1, 0, 0, 3, false, null);
        writer = new TopicWriter(brokers.bootstrapServers());
        registry = new CompactedTopicView<>(Topics.DEVICES, brokers.bootstrapServers()).start();
        consents = new CompactedTopicView<>(Topics.CONSENTS, brokers.bootstrapServers()).start();
        devices = new KafkaEnrolledDevices(writer, registry, consents,
                deviceId -> broker.enrolledDevice(deviceId).isPresent());
        metrics = new SimpleMeterRegistry();
        producer = new IngestProducer(brokers.bootstrapServers(), Map.of());
        MessageInspector inspector = new MessageInspector(registry::get,
                patient -> consents.get(patient).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(HostileInputs.MAX_CLOCK_SKEW, HostileInputs.MAX_AGE),
                new ReplayGuard(HostileInputs.REPLAY_WINDOW),
                RateLimiter.perSecond(HostileInputs.PER_SECOND, HostileInputs.BURST),
                HostileInputs.MAX_PAYLOAD_BYTES, true, Clock.systemUTC());
        ingest = new IngestInterceptor(inspector, producer, new IngestMetrics(metrics), Duration.ofSeconds(10), 2);
        broker = EnrolledDevicesBroker.start(brokers.bootstrapServers(), Map.of(), WAIT, folder.resolve("ingest-broker"),
                "127.0.0.1", 0, brokers.mqttTls(), ingest);
    }

    @AfterAll
    static void stop() {
        connections.values().forEach(SealedDevicePublisher::close);
        broker.close();
        ingest.close();
        producer.close();
        registry.close();
        consents.close();
        writer.close();
        brokers.close();
    }

    static List<HostileInput> routable() {
        return HostileInputs.all().stream().filter(HostileInput::routable).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routable")
    void shouldRefuseTheAttackAndLoseNoValidReadingAroundIt(HostileInput input) throws Exception {
        TestDevice bystander = devices.active();
        double refusedBefore = refused(input);

        send(bystander.vitals(TestDevice.normalVitals(devices.now())));
        List<HostileInput.Message> attack = input.attack().messages(devices);
        Optional<SealedDevicePublisher.RefusedMessageException> lastRefusal = Optional.empty();
        for (HostileInput.Message message : attack) {
            lastRefusal = send(message);
        }
        assertThat("the bystander's reading around the attack is stored",
                send(bystander.vitals(TestDevice.normalVitals(devices.now()))), is(Optional.empty()));

        HostileInput.Message last = attack.get(attack.size() - 1);
        if (last.sender().admitted()) {
            assertThat("the sender reads the refusal in its PUBACK", lastRefusal.isPresent(), is(true));
            assertThat("with CardioWatch's reason", lastRefusal.get().getMessage(),
                    containsString(": " + input.reason().name() + ":"));
        }
        try (TopicReader<IngestRejection> rejected = new TopicReader<>(brokers.bootstrapServers(), Topics.INGEST_REJECTED);
                TopicReader<VitalSigns> vitals = new TopicReader<>(brokers.bootstrapServers(), Topics.VITALS)) {
            // A sender the broker does not admit was refused at the door (send() checked); the rest reach the ingest.
            if (last.sender().admitted()) {
                byte[] lastHash = MessageDigest.getInstance("SHA-256").digest(last.payload());
                List<TopicReader.Entry<IngestRejection>> found = rejected.await(e ->
                        ByteBuffer.wrap(lastHash).equals(e.value().getPayloadSha256()), 1, WAIT);
                assertThat("the attack's last message must be in cw.ingest.rejected", found, hasSize(1));
                assertThat("with its reason code", found.get(0).value().getReason(), is(input.reason()));
                assertThat("the rejection is counted in the metric", refused(input), greaterThan(refusedBefore));
            }
            assertThat("both valid readings sent around the attack reach cw.vitals",
                    vitals.await(e -> e.value().getDeviceId().equals(bystander.deviceId()), 2, WAIT), hasSize(2));
        }
    }

    /**
     * Publishes from the sender's own connection; the PUBACK comes once Kafka has the message or its
     * refusal. A sender the broker does not admit must be refused at the door.
     *
     * @return the refusal the PUBACK carried, or empty when the message was stored
     */
    private static Optional<SealedDevicePublisher.RefusedMessageException> send(HostileInput.Message message) {
        if (!message.sender().admitted()) {
            assertThrows(IllegalStateException.class, () -> connectionOf(message.sender()),
                    "the broker must refuse the certificate of a device that is not enrolled and active");
            return Optional.empty();
        }
        try {
            connectionOf(message.sender()).publishRaw(message.mqttTopic(), message.payload());
            return Optional.empty();
        } catch (SealedDevicePublisher.RefusedMessageException refused) {
            return Optional.of(refused);
        }
    }

    private static SealedDevicePublisher connectionOf(TestDevice device) {
        SealedDevicePublisher connection = connections.get(device.deviceId());
        if (connection == null) {
            connection = new SealedDevicePublisher(broker.serverUri(), device.deviceId(), device.key(), 1,
                    brokers.deviceSockets(device.deviceId()));
            connections.put(device.deviceId(), connection);
        }
        return connection;
    }

    private static double refused(HostileInput input) {
        return metrics.find(MESSAGES).tag("outcome", "rejected").tag("reason", input.reason().name())
                .counters().stream().mapToDouble(Counter::count).sum();
    }
}
