package org.cardiowatch.embedded;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBrokersIT {

    @TempDir
    static Path folder;
    static LocalBrokers brokers;

    @BeforeAll
    static void start() {
        brokers = LocalBrokers.start(folder, 0, 0, 3);
    }

    @AfterAll
    static void stop() {
        brokers.close();
    }

    @Test
    void shouldCreateEveryCardioWatchTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers()))) {
            assertThat("the local stack must create the registry's topics",
                    admin.listTopics().names().get(30, TimeUnit.SECONDS),
                    hasItems("cw.vitals", "cw.ecg", "cw.alerts", "cw.devices", "cw.ingest.rejected"));
        }
    }

    @Test
    void shouldCarryQos1MessagesOverTlsTrustingTheLocalAuthority() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        MqttAsyncClient subscriber = connect("sub", brokers.mqttServerUri(), true);
        subscriber.setCallback(new Receiver(received));
        subscriber.subscribe("cw/test", 1).waitForCompletion(10_000);
        MqttAsyncClient publisher = connect("pub", brokers.mqttServerUri(), true);
        publisher.publish("cw/test", "hello".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);

        assertThat("a message published over TLS must reach the subscriber",
                received.get(10, TimeUnit.SECONDS), equalTo("hello"));
        publisher.disconnect().waitForCompletion();
        subscriber.disconnect().waitForCompletion();
    }

    @Test
    void shouldRefusePlaintextMqttOnTheTlsPort() {
        String plaintext = "tcp://127.0.0.1:" + brokers.mqtt().port();
        assertThrows(MqttException.class, () -> connect("plain", plaintext, false),
                "the broker has no plaintext listener: a plain TCP MQTT client must not connect");
    }

    private static MqttAsyncClient connect(String id, String uri, boolean tls) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        if (tls) {
            options.setSocketFactory(brokers.clientSockets());
        }
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private record Receiver(CompletableFuture<String> received) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
