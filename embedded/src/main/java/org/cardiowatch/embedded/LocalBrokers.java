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
    /** The client certificate of topic creation and, when Kafka enforces no ACLs, of the MQTT brokers' reader of cw.devices. */
    private static final String OWN_CLIENT = "cw-local-brokers";
    /**
     * The MQTT brokers' Kafka principal when Kafka enforces ACLs: in production the MQTT broker is
     * the ingest (KafkaUser cw-ingest), so the broker here reads cw.devices as it.
     */
    private static final String MQTT_BROKER_CLIENT = "cw-ingest";
    /** The client certificate of the local stack's own tools (enrolment, tests, the benchmark, verify-audit), exempt from ACLs. */
    public static final String LOCAL_TOOLS = "cw-local-stack";

    private final EmbeddedKafka kafka;
    /** The first MQTT broker of the set, in this JVM. */
    private final EnrolledDevicesBroker mqtt;
    private final LocalCertificateAuthority ca;
    private final EmbeddedKafka.Tls kafkaTls;

    private LocalBrokers(EmbeddedKafka kafka, EnrolledDevicesBroker mqtt,
            LocalCertificateAuthority ca, EmbeddedKafka.Tls kafkaTls) {
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
        return start(folder, kafkaPort, kafkaNodes, mqttPort, 1, partitions, kafkaTls, kafkaAcls);
    }

    /**
     * @param mqttNodes 1: an MQTT broker in this JVM, with the device-access rules and no ingest
     *        (tests of those rules); 0: Kafka alone, for a test or a stack that runs its own brokers
     *        (the ingest is the broker). Two HiveMQ CE instances in one JVM are not isolated, so
     *        never more than one here.
     */
    /**
     * The certificate authority of the brokers kept under {@code folder}, made there when missing:
     * for a server started beside them before them that must be trusted like them.
     */
    public static LocalCertificateAuthority certificateAuthority(Path folder) {
        return LocalCertificateAuthority.openOrCreate(folder.resolve("ca"), LOCAL_STORE_PASSWORD);
    }

    public static LocalBrokers start(Path folder, int kafkaPort, int kafkaNodes, int mqttPort, int mqttNodes,
            int partitions, boolean kafkaTls, List<AclBinding> kafkaAcls) {
        if (mqttNodes < 0 || mqttNodes > 1) {
            throw new IllegalArgumentException("LocalBrokers runs 0 or 1 MQTT broker, not " + mqttNodes);
        }
        LocalCertificateAuthority ca = certificateAuthority(folder);
        // For devices and tools that trust a PEM file rather than a PKCS12 store.
        ca.certificatePem();
        EmbeddedKafka.Tls tls = kafkaTls ? new EmbeddedKafka.Tls(ca.serverKeyStore("kafka"), ca.trustStore(),
                ca.clientKeyStore(OWN_CLIENT, LocalCertificateAuthority.ClientKind.SERVICE), ca.password(),
                kafkaAcls == null ? null : Set.of(OWN_CLIENT, LOCAL_TOOLS)) : null;
        EmbeddedKafka kafka = EmbeddedKafka.start(folder.resolve("kafka"), kafkaPort, kafkaNodes, tls)
                .createTopics(partitions);
        if (kafkaTls && kafkaAcls != null) {
            kafka.createAcls(kafkaAcls);
        }
        // Under ACLs the brokers read cw.devices as in production, so a missing grant shows here first.
        Map<String, Object> mqttKafkaSettings = tls != null && kafkaAcls != null
                ? tls.clientSettings(ca.clientKeyStore(MQTT_BROKER_CLIENT, LocalCertificateAuthority.ClientKind.SERVICE))
                : kafka.clientSettings();
        EmbeddedMqttBroker.Tls mqttTls = new EmbeddedMqttBroker.Tls(ca.serverKeyStore("mqtt"), ca.password(),
                ca.trustStore(), ca.password());
        EnrolledDevicesBroker mqtt = null;
        try {
            if (mqttNodes > 0) {
                mqtt = EnrolledDevicesBroker.start(kafka.bootstrapServers(), mqttKafkaSettings, REGISTRY_TIMEOUT,
                        folder.resolve("mqtt"), "127.0.0.1", mqttPort, mqttTls);
            }
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return new LocalBrokers(kafka, mqtt, ca, tls);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The first MQTT broker of the set, the one in this JVM. */
    public EmbeddedMqttBroker mqtt() {
        return firstMqtt().mqtt();
    }

    private EnrolledDevicesBroker firstMqtt() {
        if (mqtt == null) {
            throw new IllegalStateException("These brokers were started without MQTT (0 MQTT nodes)");
        }
        return mqtt;
    }

    /** The MQTT broker's listener certificates, for a broker a test starts itself. */
    public EmbeddedMqttBroker.Tls mqttTls() {
        return new EmbeddedMqttBroker.Tls(ca.serverKeyStore("mqtt"), ca.password(), ca.trustStore(), ca.password());
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

    /** The URI of the MQTT broker. */
    public String mqttServerUri() {
        return firstMqtt().serverUri();
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
        return firstMqtt().enrolledDevice(deviceId);
    }

    /** The local certificate authority, which issues device and service certificates. */
    public LocalCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** TLS client sockets that present the certificate of {@code deviceId} and trust the local broker. */
    public TlsClientSockets deviceSockets(String deviceId) {
        return sockets(deviceId, LocalCertificateAuthority.ClientKind.DEVICE);
    }

    /** TLS client sockets for a CardioWatch service, which the broker lets subscribe. */
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
            if (mqtt != null) {
                mqtt.close();
            }
        } finally {
            kafka.close();
        }
    }
}
