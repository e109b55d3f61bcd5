package org.cardiowatch.ingest.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MqttIngestBridgesTest {

    @Test
    void shouldTakeOneBrokerOrSeveral() {
        assertDoesNotThrow(() -> MqttIngestBridges.checkServerUris(List.of("ssl://cw-mqtt:8883")));
        assertDoesNotThrow(() -> MqttIngestBridges.checkServerUris(
                List.of("ssl://cw-mqtt-0.cw-mqtt-nodes:8883", "ssl://cw-mqtt-1.cw-mqtt-nodes:8883")));
    }

    @Test
    void shouldRefuseABrokerNamedTwiceWhichWouldOpenTwoSessionsUnderOneClientId() {
        var error = assertThrows(IllegalArgumentException.class, () -> MqttIngestBridges.checkServerUris(
                List.of("ssl://cw-mqtt-0:8883", " ssl://cw-mqtt-0:8883")));
        assertThat(error.getMessage(), containsString("names ssl://cw-mqtt-0:8883 twice"));
    }

    @Test
    void shouldRefuseAnEmptyListOrEntry() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> MqttIngestBridges.checkServerUris(List.of()))
                .getMessage(), containsString("names no MQTT broker"));
        assertThat(assertThrows(IllegalArgumentException.class, () -> MqttIngestBridges.checkServerUris(
                List.of("ssl://a:8883", " "))).getMessage(), containsString("empty entry"));
    }
}
