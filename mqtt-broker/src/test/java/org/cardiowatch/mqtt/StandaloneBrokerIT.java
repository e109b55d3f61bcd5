package org.cardiowatch.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority.ClientKind;
import org.cardiowatch.schemas.transport.TlsClientSockets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production broker as its image runs it: settings from the environment, certificates from
 * files, enrolled devices from cw.devices read over mutual TLS from Kafka.
 */
class StandaloneBrokerIT {

    private static final char[] PASSWORD = "hospital-secret".toCharArray();

    @TempDir
    static Path folder;
    static LocalCertificateAuthority ca;
    static EmbeddedKafka kafka;
    static EnrolledDevicesBroker broker;

    @BeforeAll
    static void start() {
        ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"), PASSWORD);
        kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0, 1, new EmbeddedKafka.Tls(ca.serverKeyStore("kafka"),
                ca.trustStore(), ca.clientKeyStore("cw-test", ClientKind.SERVICE), PASSWORD, null)).createTopics(1);
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers(), kafka.clientSettings())) {
            writer.write(Topics.DEVICES, "dev-enrolled", Device.newBuilder().setDeviceId("dev-enrolled")
                    .setPatientId("p-1").setStatus(DeviceStatus.ACTIVE).setPayloadKey(ByteBuffer.wrap(new byte[32]))
                    .setEnrolledAt(Instant.now()).build());
        }
        Map<String, String> env = new HashMap<>();
        String password = new String(PASSWORD);
        env.put("CW_MQTT_KEY_STORE", ca.serverKeyStore("mqtt").toString());
        env.put("CW_MQTT_KEY_STORE_PASSWORD", password);
        env.put("CW_MQTT_TRUST_STORE", ca.trustStore().toString());
        env.put("CW_MQTT_TRUST_STORE_PASSWORD", password);
        env.put("CW_MQTT_BIND_ADDRESS", "127.0.0.1");
        env.put("CW_MQTT_PORT", String.valueOf(FreePorts.next()));
        env.put("CW_MQTT_DATA", folder.resolve("mqtt").toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("CW_MQTT_KAFKA_TRUST_STORE", ca.trustStore().toString());
        env.put("CW_MQTT_KAFKA_TRUST_STORE_PASSWORD", password);
        env.put("CW_MQTT_KAFKA_KEY_STORE", ca.clientKeyStore("cw-mqtt", ClientKind.SERVICE).toString());
        env.put("CW_MQTT_KAFKA_KEY_STORE_PASSWORD", password);
        broker = MqttBrokerMain.start(BrokerSettings.fromEnvironment(env));
    }

    @AfterAll
    static void stop() {
        broker.close();
        kafka.close();
    }

    @Test
    void shouldAdmitADeviceEnrolledInKafkaAndTakeItsReadings() throws MqttException {
        assertThat("the broker read the enrolment over mutual TLS",
                broker.enrolledDevice("dev-enrolled").map(Device::getStatus).orElse(null), is(DeviceStatus.ACTIVE));
        MqttAsyncClient device = connect("dev-enrolled");
        device.publish("cw/v1/dev-enrolled/vitals", new MqttMessage("sealed".getBytes(StandardCharsets.UTF_8), 1, false,
                null)).waitForCompletion(10_000);
        assertThat(device.isConnected(), is(true));
        device.disconnect().waitForCompletion(5_000);
    }

    @Test
    void shouldRefuseADeviceThatIsNotEnrolled() {
        assertThrows(MqttException.class, () -> connect("dev-unknown"));
    }

    private static MqttAsyncClient connect(String deviceId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + broker.mqtt().port(), deviceId,
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        options.setSocketFactory(TlsClientSockets.withClientCertificate(ca.trustStore(), PASSWORD,
                ca.clientKeyStore(deviceId, ClientKind.DEVICE), PASSWORD));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
