package org.cardiowatch.schemas.transport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientTlsTest {

    @TempDir
    Path folder;

    @Test
    void shouldLeaveTheClientPlaintextWithoutStores() {
        KafkaClientTls none = new KafkaClientTls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "cardiowatch.ingest.kafka");
        assertThat(none.clientSettings(Map.of("client.rack", "a")), equalTo(Map.<String, Object>of("client.rack", "a")));
    }

    @Test
    void shouldSpeakMutualTlsWithBothStores() throws IOException {
        Path trust = Files.write(folder.resolve("ca.p12"), new byte[] {1});
        Path key = Files.write(folder.resolve("user.p12"), new byte[] {2});
        Map<String, Object> settings = new KafkaClientTls(Optional.of(trust), Optional.of("t"), Optional.of(key),
                Optional.of("k"), "cardiowatch.alerts.kafka").clientSettings(Map.of());

        assertThat(settings, hasEntry("security.protocol", "SSL"));
        assertThat(settings, hasEntry("ssl.truststore.location", trust.toAbsolutePath().toString()));
        assertThat(settings, hasEntry("ssl.truststore.type", "PKCS12"));
        assertThat(settings, hasEntry("ssl.truststore.password", "t"));
        assertThat(settings, hasEntry("ssl.keystore.location", key.toAbsolutePath().toString()));
        assertThat(settings, hasEntry("ssl.keystore.type", "PKCS12"));
        assertThat(settings, hasEntry("ssl.keystore.password", "k"));
    }

    @Test
    void shouldKeepASaslOverTlsProtocolGivenWithTheExtraSettings() throws IOException {
        Path trust = Files.write(folder.resolve("ca.p12"), new byte[] {1});
        Map<String, Object> settings = new KafkaClientTls(Optional.of(trust), Optional.empty(), Optional.empty(),
                Optional.empty(), "p").clientSettings(Map.of("security.protocol", "SASL_SSL"));
        assertThat(settings, hasEntry("security.protocol", "SASL_SSL"));
    }

    @Test
    void shouldReadTheFourSettingsFromEnvironmentVariablesAndNameTheVariableWhoseStoreIsMissing() throws IOException {
        Path trust = Files.write(folder.resolve("ca.p12"), new byte[] {1});
        KafkaClientTls fromEnvironment = KafkaClientTls.fromEnvironment(Map.of("CW_MQTT_KAFKA_TRUST_STORE", trust.toString(),
                "CW_MQTT_KAFKA_TRUST_STORE_PASSWORD", "t", "CW_MQTT_KAFKA_KEY_STORE", "  "), "CW_MQTT_KAFKA");
        assertThat(fromEnvironment.clientSettings(Map.of()), hasEntry("ssl.truststore.password", "t"));
        assertThat("a blank variable is unset", fromEnvironment.keyStore(), equalTo(Optional.empty()));

        KafkaClientTls wrong = KafkaClientTls.fromEnvironment(Map.of("CW_MQTT_KAFKA_KEY_STORE",
                folder.resolve("absent.p12").toString()), "CW_MQTT_KAFKA");
        assertThat(assertThrows(IllegalArgumentException.class, () -> wrong.clientSettings(Map.of())).getMessage(),
                containsString("CW_MQTT_KAFKA_KEY_STORE names"));
    }

    @Test
    void shouldNameTheSettingWhoseStoreIsMissing() {
        KafkaClientTls wrong = new KafkaClientTls(Optional.empty(), Optional.empty(),
                Optional.of(folder.resolve("absent.p12")), Optional.empty(), "cardiowatch.ingest.kafka");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> wrong.clientSettings(Map.of()));
        assertThat(error.getMessage(), containsString("cardiowatch.ingest.kafka.key-store"));
        assertThat(error.getMessage(), containsString("absent.p12"));
    }
}
