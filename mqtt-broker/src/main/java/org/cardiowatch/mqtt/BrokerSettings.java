package org.cardiowatch.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.cardiowatch.embedded.EmbeddedMqttBroker;
import org.cardiowatch.schemas.transport.KafkaClientTls;

/**
 * The standalone broker's settings, from environment variables:
 *
 * <pre>
 * CW_MQTT_KEY_STORE, CW_MQTT_KEY_STORE_PASSWORD      the broker's server certificate (PKCS12)   required
 * CW_MQTT_TRUST_STORE, CW_MQTT_TRUST_STORE_PASSWORD  the authority of device and service
 *                                                    certificates (PKCS12)                      required
 * CW_MQTT_BIND_ADDRESS                               0.0.0.0
 * CW_MQTT_PORT                                       8883
 * CW_MQTT_DATA                                       /var/lib/cardiowatch/mqtt (sessions, queues)
 * KAFKA_BOOTSTRAP_SERVERS                            127.0.0.1:9092
 * CW_MQTT_KAFKA_TRUST_STORE, ..._KEY_STORE and their _PASSWORDs: mutual TLS to Kafka (plaintext without)
 * </pre>
 */
public record BrokerSettings(String bindAddress, int port, Path dataFolder, EmbeddedMqttBroker.Tls tls,
        String kafkaBootstrapServers, KafkaClientTls kafkaTls) {

    public static BrokerSettings fromEnvironment(Map<String, String> env) {
        Path keyStore = readableFile(env, "CW_MQTT_KEY_STORE", "the broker's server certificate");
        char[] keyStorePassword = required(env, "CW_MQTT_KEY_STORE_PASSWORD", "the password of CW_MQTT_KEY_STORE")
                .toCharArray();
        Path trustStore = readableFile(env, "CW_MQTT_TRUST_STORE", "the authority of device and service certificates");
        char[] trustStorePassword = required(env, "CW_MQTT_TRUST_STORE_PASSWORD", "the password of CW_MQTT_TRUST_STORE")
                .toCharArray();
        KafkaClientTls kafkaTls = KafkaClientTls.fromEnvironment(env, "CW_MQTT_KAFKA");
        return new BrokerSettings(optional(env, "CW_MQTT_BIND_ADDRESS").orElse("0.0.0.0"), port(env),
                Path.of(optional(env, "CW_MQTT_DATA").orElse("/var/lib/cardiowatch/mqtt")),
                new EmbeddedMqttBroker.Tls(keyStore, keyStorePassword, trustStore, trustStorePassword),
                optional(env, "KAFKA_BOOTSTRAP_SERVERS").orElse("127.0.0.1:9092"), kafkaTls);
    }

    private static int port(Map<String, String> env) {
        String given = optional(env, "CW_MQTT_PORT").orElse("8883");
        try {
            int port = Integer.parseInt(given);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("CW_MQTT_PORT must be a port number from 1 to 65535, not '" + given + "'");
    }

    private static Path readableFile(Map<String, String> env, String name, String what) {
        Path path = Path.of(required(env, name, what + ", a PKCS12 file"));
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(name + " names " + path + ", which is not a readable file");
        }
        return path;
    }

    private static String required(Map<String, String> env, String name, String what) {
        return optional(env, name).orElseThrow(() -> new IllegalArgumentException(name + " is required: " + what));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }
}
