package org.cardiowatch.embedded;

import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A test subscriber's Paho callback: each message arriving goes to {@code onMessage}; nothing else
 * matters unless a subclass says so (a test watching for its disconnection).
 */
public class MqttMessageSink implements MqttCallback {

    private final BiConsumer<String, MqttMessage> onMessage;

    public MqttMessageSink(BiConsumer<String, MqttMessage> onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        onMessage.accept(topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // A test subscriber has nothing to recover.
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // Seen by the test as a message that does not arrive.
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // Subscribers only.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // The test connects and waits itself.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication.
    }
}
