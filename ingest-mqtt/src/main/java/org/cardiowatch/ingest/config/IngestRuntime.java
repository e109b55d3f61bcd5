package org.cardiowatch.ingest.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.cardiowatch.embedded.DeviceAccessExtension;
import org.cardiowatch.embedded.EmbeddedMqttBroker;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
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
import org.cardiowatch.schemas.transport.KafkaClientTls;
import org.cardiowatch.schemas.wire.DeviceKeyVaults;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell: reads the device and consent registries, builds the checks from
 * configuration and runs them in the publish path of the MQTT broker of this process, the broker
 * devices connect to; stops them in reverse.
 */
@Startup
@ApplicationScoped
public class IngestRuntime {

    private static final Logger LOG = Logger.getLogger(IngestRuntime.class);

    private final IngestConfig config;
    private final MeterRegistry metrics;
    private CompactedTopicView<Device> devices;
    private CompactedTopicView<Consent> consents;
    private IngestProducer producer;
    /** The checks in the publish path of the broker below. */
    private IngestInterceptor ingest;
    private EnrolledDevicesBroker broker;

    IngestRuntime(IngestConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() throws InterruptedException {
        String bootstrap = config.kafka().bootstrapServers();
        IngestConfig.Kafka kafka = config.kafka();
        Map<String, Object> client = new KafkaClientTls(kafka.trustStore(), kafka.trustStorePassword(), kafka.keyStore(),
                kafka.keyStorePassword(), "cardiowatch.ingest.kafka").clientSettings(kafka.client());
        devices = new CompactedTopicView<>(Topics.DEVICES, bootstrap, client, (k, v) -> { }).start();
        consents = new CompactedTopicView<>(Topics.CONSENTS, bootstrap, client, (k, v) -> { }).start();
        if (!devices.awaitCaughtUp(config.validation().registryStartupTimeout())
                || !consents.awaitCaughtUp(config.validation().registryStartupTimeout())) {
            LOG.warn("Device or consent registry not fully read yet; messages of unknown devices are rejected meanwhile");
        }
        producer = new IngestProducer(bootstrap, client);
        MessageInspector inspector = new MessageInspector(new OpenedDeviceRegistry(devices::get,
                DeviceKeyVaults.fromConfig(config.deviceKeys().masterKey(), "cardiowatch.ingest.device-keys.master-key",
                        config.deviceKeys().allowClear())),
                patientId -> consents.get(patientId).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(config.validation().maxClockSkew(), config.validation().maxAge()),
                new ReplayGuard(config.validation().replayWindow()),
                RateLimiter.perSecond(config.validation().maxMessagesPerSecond(), config.validation().maxBurst()),
                // Every message carries the certified id: the broker in this process stamps it.
                config.validation().maxPayloadBytes(), true, Clock.systemUTC());
        startBroker(inspector, bootstrap, client);
    }

    private void startBroker(MessageInspector inspector, String bootstrap, Map<String, Object> client) {
        IngestConfig.Broker settings = config.broker();
        EmbeddedMqttBroker.Tls tls = new EmbeddedMqttBroker.Tls(
                required(settings.keyStore(), "CARDIOWATCH_INGEST_BROKER_KEY_STORE", "the listener's server certificate"),
                settings.keyStorePassword().orElse("").toCharArray(),
                required(settings.trustStore(), "CARDIOWATCH_INGEST_BROKER_TRUST_STORE",
                        "the authority of device and service certificates"),
                settings.trustStorePassword().orElse("").toCharArray());
        int lanes = settings.lanes() > 0 ? settings.lanes() : Runtime.getRuntime().availableProcessors();
        ingest = new IngestInterceptor(inspector, producer, new IngestMetrics(metrics), settings.kafkaTimeout(), lanes);
        broker = EnrolledDevicesBroker.start(bootstrap, client, config.validation().registryStartupTimeout(),
                settings.dataFolder(), settings.bindAddress(), settings.port(), tls, ingest);
        for (DeviceAccessExtension.ConnectionRefusal reason : DeviceAccessExtension.ConnectionRefusal.values()) {
            FunctionCounter.builder("cw.ingest.connections.refused", broker,
                    b -> b.mqtt().connectionRefusals().get(reason))
                    .description("MQTT connections refused, by reason").tag("reason", reason.name()).register(metrics);
        }
        LOG.infof("Ingest in the MQTT broker: listening on %s:%d (mutual TLS), %d lanes, Kafka %s",
                settings.bindAddress(), settings.port(), lanes, bootstrap);
    }

    /** A PKCS12 file the broker cannot start without: absent or unreadable, the error names the variable. */
    static Path required(Optional<Path> file, String name, String what) {
        Path path = file.orElseThrow(() -> new IllegalStateException(
                name + " is required: " + what + ", a PKCS12 file"));
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalStateException(name + " names " + path + ", which is not a readable file");
        }
        return path;
    }

    /**
     * Listening, and reading the registries, the checks' and the broker's (so Kafka is reachable;
     * a stale registry could admit a revoked device).
     */
    public boolean isReady() {
        return broker != null && devices.isCurrent() && consents.isCurrent() && broker.isRegistryCurrent();
    }

    /** Messages taken from devices and not yet answered (waiting for their checks and Kafka). */
    public int inFlight() {
        return ingest == null ? 0 : ingest.inFlight();
    }

    @PreDestroy
    void stop() {
        // The listener first: no device is taken in that could not be answered.
        if (broker != null) {
            broker.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (devices != null) {
            devices.close();
        }
        if (consents != null) {
            consents.close();
        }
    }
}
