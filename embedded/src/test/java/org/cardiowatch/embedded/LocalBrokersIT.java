package org.cardiowatch.embedded;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.cardiowatch.embedded.DeviceAccessExtension.ConnectionRefusal;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.TlsClientSockets;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local brokers: every topic created, and the MQTT broker's mutual TLS and device access rules. */
class LocalBrokersIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path folder;
    static LocalBrokers brokers;
    static TopicWriter writer;

    @BeforeAll
    static void start() {
        brokers = LocalBrokers.start(folder, 0, 0, 3);
        writer = new TopicWriter(brokers.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        writer.close();
        brokers.close();
    }

    @Test
    void shouldCreateEveryCardioWatchTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers()))) {
            assertThat("the local stack must create the registry's topics",
                    admin.listTopics().names().get(30, TimeUnit.SECONDS),
                    hasItems("cw.vitals", "cw.ecg", "cw.alerts", "cw.devices", "cw.ingest.rejected", "cw.audit"));
        }
    }

    @Test
    void shouldStampEachDeviceMessageWithTheDeviceOfItsCertificate() throws Exception {
        String deviceId = enrol(DeviceStatus.ACTIVE);
        CompletableFuture<MqttMessage> received = new CompletableFuture<>();
        MqttAsyncClient bridge = connect("bridge-" + deviceId, brokers.serviceSockets("cw-ingest"));
        bridge.setCallback(new MqttMessageSink((topic, message) -> received.complete(message)));
        bridge.subscribe(DeviceTopic.PREFIX + deviceId + "/vitals", 1).waitForCompletion(10_000);
        MqttAsyncClient device = connect("device-" + deviceId, brokers.deviceSockets(deviceId));

        MqttMessage message = new MqttMessage("reading".getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties());
        // The device tries to claim another identity: the broker must replace it.
        message.getProperties().setUserProperties(List.of(new UserProperty(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY, "someone-else")));
        device.publish(DeviceTopic.PREFIX + deviceId + "/vitals", message).waitForCompletion(10_000);

        List<UserProperty> stamped = received.get(10, TimeUnit.SECONDS).getProperties().getUserProperties();
        assertThat("exactly one identity property reaches the subscriber", stamped.stream()
                .filter(p -> p.getKey().equals(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY)).count(), is(1L));
        assertThat("and it is the device id from the certificate", stamped.stream()
                .filter(p -> p.getKey().equals(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY)).findFirst().orElseThrow()
                .getValue(), equalTo(deviceId));
        device.disconnect().waitForCompletion();
        bridge.disconnect().waitForCompletion();
    }

    @Test
    void shouldRefuseAClientWithoutACertificate() {
        TlsClientSockets anonymous = TlsClientSockets.trusting(brokers.trustStore(), brokers.trustStorePassword());
        assertThrows(MqttException.class, () -> connect("anonymous", anonymous));
    }

    @Test
    void shouldRefuseTheCertificateOfADeviceThatIsNotEnrolledAndCountIt() {
        long before = brokers.mqtt().connectionRefusals().get(ConnectionRefusal.DEVICE_NOT_ENROLLED_OR_REVOKED);

        assertThrows(MqttException.class, () -> connect("stranger", brokers.deviceSockets("never-enrolled")));

        assertThat("operators see the refusal counted (and logged)",
                brokers.mqtt().connectionRefusals().get(ConnectionRefusal.DEVICE_NOT_ENROLLED_OR_REVOKED), is(before + 1));
    }

    @Test
    void shouldRefuseARevokedDeviceAndDisconnectItWhenRevoked() throws Exception {
        assertThrows(MqttException.class, () ->
                connect("revoked", brokers.deviceSockets(enrol(DeviceStatus.REVOKED))));

        String deviceId = enrol(DeviceStatus.ACTIVE);
        AtomicBoolean disconnected = new AtomicBoolean();
        MqttAsyncClient device = connect("device-" + deviceId, brokers.deviceSockets(deviceId));
        device.setCallback(new MqttMessageSink((topic, message) -> { }) {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.set(true);
            }
        });
        writer.write(Topics.DEVICES, deviceId, device(deviceId, DeviceStatus.REVOKED));

        await("the broker disconnects a device once it is revoked").atMost(WAIT).untilTrue(disconnected);
    }

    @Test
    void shouldNotLetADeviceSubscribe() throws Exception {
        String deviceId = enrol(DeviceStatus.ACTIVE);
        MqttAsyncClient device = connect("device-" + deviceId, brokers.deviceSockets(deviceId));
        IMqttToken subscription = device.subscribe(DeviceTopic.PREFIX + "+/+", 1);
        subscription.waitForCompletion(10_000);

        assertThat("a device may not read other devices' messages (SUBACK reason 0x87 not authorised or worse)",
                subscription.getReasonCodes()[0], greaterThanOrEqualTo(0x80));
        device.disconnect().waitForCompletion();
    }

    @Test
    void shouldRefusePlaintextMqttOnTheTlsPort() {
        String plaintext = "tcp://127.0.0.1:" + brokers.mqtt().port();
        assertThrows(MqttException.class, () -> connect("plain", plaintext, null),
                "the broker has no plaintext listener: a plain TCP MQTT client must not connect");
    }

    private static String enrol(DeviceStatus status) {
        String deviceId = "it-dev-" + IDS.incrementAndGet();
        writer.write(Topics.DEVICES, deviceId, device(deviceId, status));
        await("the broker has read the enrolment").atMost(WAIT).until(() ->
                brokers.enrolledDevice(deviceId).map(d -> d.getStatus() == status).orElse(false));
        return deviceId;
    }

    private static Device device(String deviceId, DeviceStatus status) {
        return Device.newBuilder().setDeviceId(deviceId).setPatientId("p-" + deviceId).setStatus(status)
                .setPayloadKey(ByteBuffer.wrap(new byte[32])).setEnrolledAt(Instant.now()).build();
    }

    private static MqttAsyncClient connect(String id, SocketFactory sockets) throws MqttException {
        return connect(id, brokers.mqttServerUri(), sockets);
    }

    private static MqttAsyncClient connect(String id, String uri, SocketFactory sockets) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        if (sockets != null) {
            options.setSocketFactory(sockets);
        }
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
