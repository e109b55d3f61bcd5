package org.cardiowatch.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the ingest; see application.properties for the environment variables. */
@ConfigMapping(prefix = "cardiowatch.ingest")
public interface IngestConfig {

    Broker broker();

    Kafka kafka();

    Validation validation();

    DeviceKeys deviceKeys();

    interface DeviceKeys {
        /** Base64 of the 32-byte key that encrypts payload keys in cw.devices (same as the alerts service's). */
        Optional<String> masterKey();

        /**
         * Whether the service may start without a master key, keeping payload keys in cw.devices in
         * the clear: for tests only (the local stack sets a key). Without it the service refuses to start.
         */
        @WithDefault("false")
        boolean allowClear();
    }

    /** The MQTT broker devices connect to, in this process: its listener, mutual TLS only. */
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

    interface Kafka {
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Extra Kafka client settings (security.protocol, sasl.*, ssl.*) passed as they are. */
        Map<String, String> client();

        /** PKCS12 truststore with the Kafka cluster's certificate authority; with it the ingest speaks TLS to Kafka. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** PKCS12 keystore with the ingest's Kafka client certificate (Strimzi: the KafkaUser's user.p12). */
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
