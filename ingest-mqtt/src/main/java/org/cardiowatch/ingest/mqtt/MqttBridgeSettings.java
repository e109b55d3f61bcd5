package org.cardiowatch.ingest.mqtt;

import java.time.Duration;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/**
 * How the bridge connects to the MQTT broker.
 *
 * @param clientId stable per bridge instance: the broker keeps that instance's session under it
 * @param receiveMaximum how many unacknowledged messages the broker may send before waiting,
 *     which bounds the bridge's memory while Kafka is slow or away
 * @param socketFactory TLS sockets; null only for plain {@code tcp://} test brokers
 */
public record MqttBridgeSettings(String serverUri, String clientId, Duration sessionExpiry, int receiveMaximum,
        SocketFactory socketFactory, String username, char[] password) {

    MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(sessionExpiry.toSeconds());
        options.setReceiveMaximum(receiveMaximum);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        if (username != null && !username.isBlank()) {
            options.setUserName(username);
            options.setPassword(new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return options;
    }
}
