package org.cardiowatch.ingest.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.cardiowatch.ingest.envelope.OpenedDeviceRegistry;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
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

/** The Quarkus shell: builds the bridge from configuration, starts it, stops it. */
@Startup
@ApplicationScoped
public class IngestRuntime {

    private static final Logger LOG = Logger.getLogger(IngestRuntime.class);

    private final IngestConfig config;
    private final MeterRegistry metrics;
    private CompactedTopicView<Device> devices;
    private CompactedTopicView<Consent> consents;
    private IngestProducer producer;
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

    /** Connected to every broker and reading the registries: a stale one could admit a revoked device. */
    public boolean isReady() {
        return bridges != null && bridges.isConnectedToAll() && devices.isCurrent() && consents.isCurrent();
    }

    public int inFlight() {
        return bridges == null ? 0 : bridges.inFlight();
    }

    /** "2/3": the MQTT brokers the bridge is connected to, of those configured. */
    public String brokersConnected() {
        return bridges == null ? "0/" + config.mqtt().serverUri().size() : bridges.connectedCount() + "/" + bridges.size();
    }

    @PreDestroy
    void stop() {
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
