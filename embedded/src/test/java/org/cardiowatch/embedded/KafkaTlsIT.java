package org.cardiowatch.embedded;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.cardiowatch.schemas.transport.KafkaClientTls;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka as the local stack runs it: clients must present a certificate of the local authority. */
class KafkaTlsIT {

    @TempDir
    static Path folder;
    static LocalBrokers brokers;

    @BeforeAll
    static void start() {
        brokers = LocalBrokers.start(folder, 0, 1, 0, 1, true);
    }

    @AfterAll
    static void stop() {
        brokers.close();
    }

    @Test
    void shouldServeAClientWithACertificateOfTheLocalAuthority() throws Exception {
        assertThat(topics(brokers.kafkaClientSettings("cw-test")), hasItems("cw.vitals", "cw.alerts"));
    }

    @Test
    void shouldRefuseAPlaintextClient() {
        assertThrows(Exception.class, () -> topics(Map.of()));
    }

    @Test
    void shouldRefuseATlsClientWithoutACertificate() {
        Map<String, Object> serverAuthOnly = new HashMap<>(brokers.kafkaClientSettings("cw-test"));
        serverAuthOnly.keySet().removeIf(key -> key.startsWith("ssl.keystore"));
        assertRefusedByTheHandshake(() -> topics(serverAuthOnly));
    }

    @Test
    void shouldRefuseACertificateOfAnotherAuthority() {
        char[] password = "elsewhere".toCharArray();
        LocalCertificateAuthority other = LocalCertificateAuthority.openOrCreate(folder.resolve("other-ca"), password);
        Path foreignCertificate = other.clientKeyStore("cw-test", LocalCertificateAuthority.ClientKind.SERVICE);
        Map<String, Object> settings = new HashMap<>(brokers.kafkaClientSettings("cw-test"));
        settings.putAll(new KafkaClientTls(Optional.empty(), Optional.empty(), Optional.of(foreignCertificate),
                Optional.of(new String(password)), "test").clientSettings(Map.of()));
        assertRefusedByTheHandshake(() -> topics(settings));
    }

    private static void assertRefusedByTheHandshake(org.junit.jupiter.api.function.Executable call) {
        Throwable error = assertThrows(java.util.concurrent.ExecutionException.class, call).getCause();
        assertThat(error, org.hamcrest.Matchers.instanceOf(SslAuthenticationException.class));
    }

    private static Set<String> topics(Map<String, Object> clientSettings) throws Exception {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(settings)) {
            return admin.listTopics().names().get(15, TimeUnit.SECONDS);
        }
    }
}
