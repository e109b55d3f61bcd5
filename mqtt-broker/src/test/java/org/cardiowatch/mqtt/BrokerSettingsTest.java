package org.cardiowatch.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSettingsTest {

    @TempDir
    Path folder;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void requiredSettings() throws IOException {
        env.put("CW_MQTT_KEY_STORE", Files.write(folder.resolve("broker.p12"), new byte[] {1}).toString());
        env.put("CW_MQTT_KEY_STORE_PASSWORD", "k");
        env.put("CW_MQTT_TRUST_STORE", Files.write(folder.resolve("device-ca.p12"), new byte[] {2}).toString());
        env.put("CW_MQTT_TRUST_STORE_PASSWORD", "t");
    }

    @Test
    void shouldListenOnEveryInterfaceOnTheMqttTlsPortByDefault() {
        BrokerSettings settings = BrokerSettings.fromEnvironment(env);
        assertThat(settings.bindAddress(), equalTo("0.0.0.0"));
        assertThat(settings.port(), is(8883));
        assertThat(settings.kafkaBootstrapServers(), equalTo("127.0.0.1:9092"));
        assertThat("plaintext to Kafka without its stores", settings.kafkaTls().clientSettings(Map.of()), equalTo(Map.of()));
    }

    @Test
    void shouldNameAMissingRequiredSetting() {
        env.remove("CW_MQTT_TRUST_STORE");
        assertThat(assertThrows(IllegalArgumentException.class, () -> BrokerSettings.fromEnvironment(env)).getMessage(),
                containsString("CW_MQTT_TRUST_STORE is required"));
    }

    @Test
    void shouldNameAStoreThatIsNotAFile() {
        env.put("CW_MQTT_KEY_STORE", folder.resolve("missing.p12").toString());
        assertThat(assertThrows(IllegalArgumentException.class, () -> BrokerSettings.fromEnvironment(env)).getMessage(),
                containsString("CW_MQTT_KEY_STORE names"));
    }

    @Test
    void shouldRefuseAPortThatIsNotOne() {
        env.put("CW_MQTT_PORT", "88830");
        assertThat(assertThrows(IllegalArgumentException.class, () -> BrokerSettings.fromEnvironment(env)).getMessage(),
                containsString("CW_MQTT_PORT must be a port number from 1 to 65535, not '88830'"));
    }
}
