package org.cardiowatch.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.cardiowatch.schemas.transport.TlsClientSockets;

/**
 * The real brokers CardioWatch needs, in this JVM: Kafka (KRaft) with every topic created, and
 * the MQTT broker behind mutual TLS with the local certificate authority, admitting the devices
 * that cw.devices lists as active. The local stack and the integration tests of every module
 * start them the same way.
 */
public final class LocalBrokers implements AutoCloseable {

    /** The local stack's keystores are protected by this password; they hold no production secret. */
    private static final char[] LOCAL_STORE_PASSWORD = "cardiowatch-local".toCharArray();
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);
    /** The client certificate of the brokers' own reader of cw.devices and of topic creation. */
    private static final String OWN_CLIENT = "cw-local-brokers";
    /** The client certificate of the local stack's own tools (enrolment, tests, the benchmark, verify-audit), exempt from ACLs. */
    public static final String LOCAL_TOOLS = "cw-local-stack";

    private final EmbeddedKafka kafka;
    private final EnrolledDevicesBroker mqtt;
    private final LocalCertificateAuthority ca;
    private final EmbeddedKafka.Tls kafkaTls;

    private LocalBrokers(EmbeddedKafka kafka, EnrolledDevicesBroker mqtt, LocalCertificateAuthority ca,
            EmbeddedKafka.Tls kafkaTls) {
        this.kafka = kafka;
        this.mqtt = mqtt;
        this.ca = ca;
        this.kafkaTls = kafkaTls;
    }

    /**
     * @param folder where the brokers and the certificate authority keep their data
     * @param kafkaPort 0 for any free port
     * @param mqttPort 0 for any free port
     * @param partitions partitions of every topic keyed by patient
     */
    public static LocalBrokers start(Path folder, int kafkaPort, int mqttPort, int partitions) {
        return start(folder, kafkaPort, 1, mqttPort, partitions);
    }

    /** @param kafkaNodes 1, or 3 for a replicated Kafka cluster as in production */
    public static LocalBrokers start(Path folder, int kafkaPort, int kafkaNodes, int mqttPort, int partitions) {
        return start(folder, kafkaPort, kafkaNodes, mqttPort, partitions, false);
    }

    /**
     * @param kafkaTls whether Kafka's clients must speak mutual TLS with a certificate of the local
     *        authority, as the services do in production ({@link #kafkaClientSettings(String)})
     */
    public static LocalBrokers start(Path folder, int kafkaPort, int kafkaNodes, int mqttPort, int partitions,
            boolean kafkaTls) {
        return start(folder, kafkaPort, kafkaNodes, mqttPort, partitions, kafkaTls, null);
    }

    /**
     * @param kafkaAcls with mutual TLS: null for none, else Kafka enforces these (principals
     *        {@code User:CN=<service>}); the brokers' own client and {@link #LOCAL_TOOLS} are exempt
     */
    public static LocalBrokers start(Path folder, int kafkaPort, int kafkaNodes, int mqttPort, int partitions,
            boolean kafkaTls, List<AclBinding> kafkaAcls) {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"), LOCAL_STORE_PASSWORD);
        EmbeddedKafka.Tls tls = kafkaTls ? new EmbeddedKafka.Tls(ca.serverKeyStore("kafka"), ca.trustStore(),
                ca.clientKeyStore(OWN_CLIENT, LocalCertificateAuthority.ClientKind.SERVICE), ca.password(),
                kafkaAcls == null ? null : Set.of(OWN_CLIENT, LOCAL_TOOLS)) : null;
        EmbeddedKafka kafka = EmbeddedKafka.start(folder.resolve("kafka"), kafkaPort, kafkaNodes, tls)
                .createTopics(partitions);
        if (kafkaTls && kafkaAcls != null) {
            kafka.createAcls(kafkaAcls);
        }
        EnrolledDevicesBroker mqtt = EnrolledDevicesBroker.start(kafka.bootstrapServers(), kafka.clientSettings(),
                REGISTRY_TIMEOUT, folder.resolve("mqtt"), "127.0.0.1", mqttPort,
                new EmbeddedMqttBroker.Tls(ca.serverKeyStore("mqtt"), ca.password(), ca.trustStore(), ca.password()));
        return new LocalBrokers(kafka, mqtt, ca, tls);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedMqttBroker mqtt() {
        return mqtt.mqtt();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * The Kafka client settings of {@code serviceName} besides the bootstrap servers: none for a
     * plaintext Kafka, else mutual TLS with the service's certificate from the local authority.
     */
    public Map<String, Object> kafkaClientSettings(String serviceName) {
        return kafkaTls == null ? Map.of()
                : kafkaTls.clientSettings(ca.clientKeyStore(serviceName, LocalCertificateAuthority.ClientKind.SERVICE));
    }

    public String mqttServerUri() {
        return mqtt.mqtt().serverUri();
    }

    /** The PKCS12 truststore with the local certificate authority. */
    public Path trustStore() {
        return ca.trustStore();
    }

    public char[] trustStorePassword() {
        return ca.password();
    }

    /** The device as the MQTT broker last read it from cw.devices. */
    public java.util.Optional<Device> enrolledDevice(String deviceId) {
        return mqtt.enrolledDevice(deviceId);
    }

    /** The local certificate authority, which issues device and service certificates. */
    public LocalCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** TLS client sockets that present the certificate of {@code deviceId} and trust the local broker. */
    public TlsClientSockets deviceSockets(String deviceId) {
        return sockets(deviceId, LocalCertificateAuthority.ClientKind.DEVICE);
    }

    /** TLS client sockets for a CardioWatch service (the ingest bridge), which may subscribe. */
    public TlsClientSockets serviceSockets(String serviceName) {
        return sockets(serviceName, LocalCertificateAuthority.ClientKind.SERVICE);
    }

    private TlsClientSockets sockets(String name, LocalCertificateAuthority.ClientKind kind) {
        return TlsClientSockets.withClientCertificate(trustStore(), trustStorePassword(),
                ca.clientKeyStore(name, kind), ca.password());
    }

    @Override
    public void close() {
        try {
            mqtt.close();
        } finally {
            kafka.close();
        }
    }
}
