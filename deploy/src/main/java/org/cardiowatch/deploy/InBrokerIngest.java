package org.cardiowatch.deploy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.PublishPath;
import org.cardiowatch.ingest.broker.IngestInterceptor;
import org.cardiowatch.ingest.envelope.OpenedDeviceRegistry;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestMetrics;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.wire.DeviceKeyVault;

/**
 * An MQTT broker with the ingest in its publish path, in this JVM, on the local brokers' Kafka, as
 * {@code cw-ingest}: what the ingest benchmark measures, with its phases around the checks (the
 * ingest service runs the same classes in its own process). Its limits come from the ingest's
 * settings (environment-variable names and defaults of {@code ingest-mqtt}).
 */
final class InBrokerIngest implements AutoCloseable {

    /** How long a publish waits for Kafka before the device is told to send it again (0x80). */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    private final CompactedTopicView<Device> devices;
    private final CompactedTopicView<Consent> consents;
    private final IngestProducer producer;
    private final IngestInterceptor ingest;
    private final EnrolledDevicesBroker broker;

    private InBrokerIngest(CompactedTopicView<Device> devices, CompactedTopicView<Consent> consents,
            IngestProducer producer, IngestInterceptor ingest, EnrolledDevicesBroker broker) {
        this.devices = devices;
        this.consents = consents;
        this.producer = producer;
        this.ingest = ingest;
        this.broker = broker;
    }

    /**
     * @param settings the ingest's settings as environment variables (only the validation limits
     *     are read here); absent ones take the ingest's defaults
     * @param around what the broker runs around the ingest (the benchmark's phases), or the identity
     */
    static InBrokerIngest start(LocalBrokers brokers, DeviceKeyVault vault, Map<String, String> settings,
            Path folder, int port, Function<IngestInterceptor, PublishPath> around)
            throws InterruptedException {
        Map<String, Object> kafka = brokers.kafkaClientSettings("cw-ingest");
        CompactedTopicView<Device> devices = new CompactedTopicView<>(Topics.DEVICES, brokers.bootstrapServers(), kafka,
                (k, v) -> { }).start();
        CompactedTopicView<Consent> consents = new CompactedTopicView<>(Topics.CONSENTS, brokers.bootstrapServers(),
                kafka, (k, v) -> { }).start();
        devices.awaitCaughtUp(REGISTRY_TIMEOUT);
        consents.awaitCaughtUp(REGISTRY_TIMEOUT);
        IngestProducer producer = new IngestProducer(brokers.bootstrapServers(), kafka);
        MessageInspector inspector = new MessageInspector(new OpenedDeviceRegistry(devices::get, vault),
                patient -> consents.get(patient).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7)),
                new ReplayGuard(number(settings, "CARDIOWATCH_INGEST_VALIDATION_REPLAY_WINDOW", 256)),
                RateLimiter.perSecond(number(settings, "CARDIOWATCH_INGEST_VALIDATION_MAX_MESSAGES_PER_SECOND", 20),
                        number(settings, "CARDIOWATCH_INGEST_VALIDATION_MAX_BURST", 200)),
                262_144, true, Clock.systemUTC());
        IngestInterceptor ingest = new IngestInterceptor(inspector, producer, new IngestMetrics(new SimpleMeterRegistry()),
                KAFKA_TIMEOUT, Runtime.getRuntime().availableProcessors());
        EnrolledDevicesBroker broker = EnrolledDevicesBroker.start(brokers.bootstrapServers(),
                kafka, REGISTRY_TIMEOUT, folder, "127.0.0.1", port, brokers.mqttTls(),
                around.apply(ingest));
        return new InBrokerIngest(devices, consents, producer, ingest, broker);
    }

    private static int number(Map<String, String> settings, String name, int fallback) {
        String value = settings.get(name);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    String serverUri() {
        return broker.serverUri();
    }

    /** The device as the broker last read it from cw.devices. */
    Optional<Device> enrolledDevice(String deviceId) {
        return broker.enrolledDevice(deviceId);
    }

    @Override
    public void close() {
        broker.close();
        ingest.close();
        producer.close();
        devices.close();
        consents.close();
    }
}
