package org.cardiowatch.schemas.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mutual TLS from a CardioWatch service to Kafka, from four settings every service names the same
 * way: the truststore with the Kafka cluster's certificate authority (with Strimzi, {@code ca.p12}
 * of the secret {@code <cluster>-cluster-ca-cert}) and the keystore with the service's own client
 * certificate (with Strimzi, {@code user.p12} of the KafkaUser's secret), both PKCS12. Without
 * either store the client speaks plaintext, as to the local stack's Kafka.
 *
 * @param trustStoreSetting the name the trust store is configured under, for error messages
 * @param keyStoreSetting likewise for the key store
 */
public record KafkaClientTls(Optional<Path> trustStore, Optional<String> trustStorePassword, Optional<Path> keyStore,
        Optional<String> keyStorePassword, String trustStoreSetting, String keyStoreSetting) {

    /** The four settings of a service's configuration under {@code configPrefix} ({@code <prefix>.trust-store}, ...). */
    public KafkaClientTls(Optional<Path> trustStore, Optional<String> trustStorePassword, Optional<Path> keyStore,
            Optional<String> keyStorePassword, String configPrefix) {
        this(trustStore, trustStorePassword, keyStore, keyStorePassword, configPrefix + ".trust-store",
                configPrefix + ".key-store");
    }

    /**
     * The four settings from environment variables, for commands without a configuration file:
     * {@code <prefix>_TRUST_STORE}, {@code <prefix>_TRUST_STORE_PASSWORD}, {@code <prefix>_KEY_STORE},
     * {@code <prefix>_KEY_STORE_PASSWORD}; a blank one counts as unset.
     */
    public static KafkaClientTls fromEnvironment(Map<String, String> env, String prefix) {
        return new KafkaClientTls(variable(env, prefix + "_TRUST_STORE").map(Path::of),
                variable(env, prefix + "_TRUST_STORE_PASSWORD"), variable(env, prefix + "_KEY_STORE").map(Path::of),
                variable(env, prefix + "_KEY_STORE_PASSWORD"), prefix + "_TRUST_STORE", prefix + "_KEY_STORE");
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * The Kafka client settings: {@code extra} (passed as they are; a {@code security.protocol} of
     * SASL_SSL there is kept) with the TLS settings added when a store is configured.
     *
     * @throws IllegalArgumentException naming the setting, when a configured store is not a readable file
     */
    public Map<String, Object> clientSettings(Map<String, String> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        if (trustStore.isEmpty() && keyStore.isEmpty()) {
            return settings;
        }
        settings.putIfAbsent("security.protocol", "SSL");
        trustStore.ifPresent(path -> {
            settings.put("ssl.truststore.location", readable(path, trustStoreSetting).toString());
            settings.put("ssl.truststore.type", "PKCS12");
            trustStorePassword.ifPresent(password -> settings.put("ssl.truststore.password", password));
        });
        keyStore.ifPresent(path -> {
            settings.put("ssl.keystore.location", readable(path, keyStoreSetting).toString());
            settings.put("ssl.keystore.type", "PKCS12");
            keyStorePassword.ifPresent(password -> settings.put("ssl.keystore.password", password));
        });
        return settings;
    }

    private Path readable(Path path, String setting) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(setting + " names " + path
                    + ", which is not a readable file (a PKCS12 store is expected there)");
        }
        return path.toAbsolutePath();
    }
}
