package org.cardiowatch.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the ingest; see application.properties for the environment variables. */
@ConfigMapping(prefix = "cardiowatch.ingest")
public interface IngestConfig {

    /**
     * {@code broker}: devices connect to this process, an MQTT broker with the ingest in its
     * publish path (the default). {@code bridge}: the older shape, a subscriber draining MQTT
     * brokers that run elsewhere; kept while the load benchmark compares the two.
     */
    @WithDefault("broker")
    Mode mode();

    enum Mode { BROKER, BRIDGE }

    Broker broker();

    /** The bridge's MQTT connections (mode {@code bridge} only). */
    Mqtt mqtt();

    Kafka kafka();

    Validation validation();

    DeviceKeys deviceKeys();

    interface DeviceKeys {
        /** Base64 of the 32-byte key that encrypts payload keys in cw.devices (same as the alerts service's). */
        Optional<String> masterKey();
    }

    /** The MQTT broker of mode {@code broker}: the listener devices connect to, mutual TLS only. */
    interface Broker {
        @WithDefault("0.0.0.0")
        String bindAddress();

        @WithDefault("8883")
        int port();

        /** HiveMQ's own state (client sessions); nothing of a reading is kept here. */
        @WithDefault("/var/lib/cardiowatch/mqtt")
        Path dataFolder();

        /** PKCS12 with the listener's server certificate and key (the key under the store's password). Required. */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();

        /** PKCS12 with the authority of device and service certificates; every client presents one. Required. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** How long a publish waits for Kafka before the device is told to send it again (PUBACK 0x80). */
        @WithDefault("PT10S")
        Duration kafkaTimeout();

        /** Threads that check and write messages, each device always on the same one; 0: one per core. */
        @WithDefault("0")
        int lanes();
    }

    interface Mqtt {
        /**
         * {@code ssl://host:8883}; TLS is the only transport devices and bridge use. With a set of
         * brokers, every one of them, comma-separated: the bridge subscribes on each.
         */
        @WithDefault("ssl://127.0.0.1:8883")
        List<String> serverUri();

        /** Must be stable and distinct per instance: the broker keeps the session under it. */
        @WithDefault("cw-ingest-1")
        String clientId();

        @WithDefault("P1D")
        Duration sessionExpiry();

        /** Unacknowledged messages the broker may have outstanding with this instance. */
        @WithDefault("1000")
        int receiveMaximum();

        /** PKCS12 truststore with the broker's certificate authority; the JVM's default when absent. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** PKCS12 keystore with the bridge's client certificate (OU=service), for mutual TLS. */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();

        /**
         * Refuse messages the broker did not stamp with the sender's certified device id. Turn
         * off only for a broker without the CardioWatch device access extension, and know that
         * devices are then told apart by their payload keys alone.
         */
        @WithDefault("true")
        boolean requireCertifiedDevice();

        Optional<String> username();

        Optional<String> password();
    }

    interface Kafka {
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Extra Kafka client settings (security.protocol, sasl.*, ssl.*) passed as they are. */
        Map<String, String> client();

        /** PKCS12 truststore with the Kafka cluster's certificate authority; with it the bridge speaks TLS to Kafka. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** PKCS12 keystore with the bridge's Kafka client certificate (Strimzi: the KafkaUser's user.p12). */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();
    }

    interface Validation {
        @WithDefault("262144")
        int maxPayloadBytes();

        @WithDefault("PT5M")
        Duration maxClockSkew();

        @WithDefault("P7D")
        Duration maxAge();

        /** Sequence numbers per device remembered to refuse replays (about 16 bytes each). */
        @WithDefault("256")
        int replayWindow();

        /** Average messages per second one device may send; more are refused as RATE_LIMITED. */
        @WithDefault("20")
        double maxMessagesPerSecond();

        /** Messages one device may send at once, such as a buffer sent after being offline. */
        @WithDefault("200")
        int maxBurst();

        /** How long to wait at start for the device and consent registries to be read. */
        @WithDefault("PT60S")
        Duration registryStartupTimeout();
    }
}
