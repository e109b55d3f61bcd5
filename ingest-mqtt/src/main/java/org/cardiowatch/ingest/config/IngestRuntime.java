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
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.cardiowatch.embedded.DeviceAccessExtension;
import org.cardiowatch.embedded.EmbeddedMqttBroker;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.cardiowatch.ingest.broker.IngestInterceptor;
import org.cardiowatch.ingest.envelope.OpenedDeviceRegistry;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestMetrics;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.mqtt.MqttBridgeSettings;
import org.cardiowatch.ingest.mqtt.MqttIngestBridge;
import org.cardiowatch.ingest.mqtt.MqttIngestBridges;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.KafkaClientTls;
import org.cardiowatch.schemas.transport.TlsClientSockets;
import org.cardiowatch.schemas.wire.DeviceKeyVaults;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell: reads the device and consent registries, builds the checks from
 * configuration and runs them in the MQTT broker of this process (mode {@code broker}) or in the
 * bridge (mode {@code bridge}); stops them in reverse.
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
    /** Mode broker: the checks in the publish path of the broker below. */
    private IngestInterceptor ingest;
    private EnrolledDevicesBroker broker;
    /** Mode bridge. */
    private MqttIngestBridges bridges;

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
                DeviceKeyVaults.fromConfig(config.deviceKeys().masterKey(), "cardiowatch.ingest.device-keys.master-key")),
                patientId -> consents.get(patientId).map(c -> c.getStatus() == ConsentStatus.ACTIVE).orElse(false),
                new ReadingValidator(config.validation().maxClockSkew(), config.validation().maxAge()),
                new ReplayGuard(config.validation().replayWindow()),
                RateLimiter.perSecond(config.validation().maxMessagesPerSecond(), config.validation().maxBurst()),
                config.validation().maxPayloadBytes(), config.mqtt().requireCertifiedDevice(), Clock.systemUTC());
        if (config.mode() == IngestConfig.Mode.BROKER) {
            startBroker(inspector, bootstrap, client);
        } else {
            startBridge(inspector, bootstrap);
        }
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

    private static Path required(Optional<Path> file, String name, String what) {
        Path path = file.orElseThrow(() -> new IllegalStateException(
                name + " is required in broker mode: " + what + ", a PKCS12 file"));
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalStateException(name + " names " + path + ", which is not a readable file");
        }
        return path;
    }

    private void startBridge(MessageInspector inspector, String bootstrap) {
        IngestConfig.Mqtt mqtt = config.mqtt();
        bridges = MqttIngestBridges.start(mqtt.serverUri(), uri -> new MqttIngestBridge(
                new MqttBridgeSettings(uri, mqtt.clientId(), mqtt.sessionExpiry(), mqtt.receiveMaximum(),
                        socketFactory(uri, mqtt), mqtt.username().orElse(null), mqtt.password().orElse("").toCharArray()),
                inspector, producer, metrics), 30_000);
        LOG.infof("Ingest bridge started: MQTT %s as %s (%d of %d brokers connected), Kafka %s", mqtt.serverUri(),
                mqtt.clientId(), bridges.connectedCount(), bridges.size(), bootstrap);
    }

    private static SocketFactory socketFactory(String serverUri, IngestConfig.Mqtt mqtt) {
        if (!serverUri.startsWith("ssl://")) {
            return null;
        }
        if (mqtt.trustStore().isEmpty()) {
            return SSLSocketFactory.getDefault();
        }
        char[] trustPassword = mqtt.trustStorePassword().orElse("").toCharArray();
        return mqtt.keyStore()
                .<SocketFactory>map(keys -> TlsClientSockets.withClientCertificate(mqtt.trustStore().get(), trustPassword,
                        keys, mqtt.keyStorePassword().orElse("").toCharArray()))
                .orElseGet(() -> TlsClientSockets.trusting(mqtt.trustStore().get(), trustPassword));
    }

    /**
     * Reading the registries (so Kafka is reachable; a stale registry could admit a revoked device)
     * and, in broker mode, listening; in bridge mode, connected to every broker.
     */
    public boolean isReady() {
        boolean registries = devices != null && devices.isCurrent() && consents.isCurrent();
        if (broker != null) {
            return registries && broker.isRegistryCurrent();
        }
        return registries && bridges != null && bridges.isConnectedToAll();
    }

    public IngestConfig.Mode mode() {
        return config.mode();
    }

    /** Messages taken from devices and not yet answered (waiting for their checks and Kafka). */
    public int inFlight() {
        if (ingest != null) {
            return ingest.inFlight();
        }
        return bridges == null ? 0 : bridges.inFlight();
    }

    /** "2/3": the MQTT brokers the bridge is connected to, of those configured. */
    public String brokersConnected() {
        return bridges == null ? "0/" + config.mqtt().serverUri().size() : bridges.connectedCount() + "/" + bridges.size();
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
        if (bridges != null) {
            bridges.close();
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
