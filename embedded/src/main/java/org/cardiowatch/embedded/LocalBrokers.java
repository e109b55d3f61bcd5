package org.cardiowatch.embedded;

import java.nio.file.Path;
import org.cardiowatch.schemas.transport.TlsClientSockets;

/**
 * The real brokers CardioWatch needs, in this JVM: Kafka (KRaft) with every topic created, and
 * the MQTT broker behind TLS with the local certificate authority. The local stack and the
 * integration tests of every module start them the same way.
 */
public final class LocalBrokers implements AutoCloseable {

    /** The local stack's keystores are protected by this password; they hold no production secret. */
    private static final char[] LOCAL_STORE_PASSWORD = "cardiowatch-local".toCharArray();

    private final EmbeddedKafka kafka;
    private final EmbeddedMqttBroker mqtt;
    private final LocalCertificateAuthority ca;

    private LocalBrokers(EmbeddedKafka kafka, EmbeddedMqttBroker mqtt, LocalCertificateAuthority ca) {
        this.kafka = kafka;
        this.mqtt = mqtt;
        this.ca = ca;
    }

    /**
     * @param folder where the brokers and the certificate authority keep their data
     * @param kafkaPort 0 for any free port
     * @param mqttPort 0 for any free port
     * @param partitions partitions of every topic keyed by patient
     */
    public static LocalBrokers start(Path folder, int kafkaPort, int mqttPort, int partitions) {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"), LOCAL_STORE_PASSWORD);
        EmbeddedKafka kafka = EmbeddedKafka.start(folder.resolve("kafka"), kafkaPort).createTopics(partitions);
        EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.start(folder.resolve("mqtt"), mqttPort, ca);
        return new LocalBrokers(kafka, mqtt, ca);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedMqttBroker mqtt() {
        return mqtt;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String mqttServerUri() {
        return mqtt.serverUri();
    }

    /** The PKCS12 truststore with the local certificate authority. */
    public Path trustStore() {
        return ca.trustStore();
    }

    public char[] trustStorePassword() {
        return ca.password();
    }

    /** TLS client sockets that trust the local broker. */
    public TlsClientSockets clientSockets() {
        return TlsClientSockets.trusting(trustStore(), trustStorePassword());
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
