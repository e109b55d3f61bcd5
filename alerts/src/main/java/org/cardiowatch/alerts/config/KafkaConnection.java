package org.cardiowatch.alerts.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.cardiowatch.schemas.transport.KafkaClientTls;

/**
 * How every part of the alerts service reaches Kafka: the bootstrap servers and one set of client
 * settings (the extra ones and mutual TLS), read from configuration once.
 */
@ApplicationScoped
public class KafkaConnection {

    private final String bootstrapServers;
    private final Map<String, Object> clientSettings;

    KafkaConnection(AlertsConfig config) {
        AlertsConfig.Kafka kafka = config.kafka();
        this.bootstrapServers = kafka.bootstrapServers();
        this.clientSettings = Map.copyOf(new KafkaClientTls(kafka.trustStore(), kafka.trustStorePassword(),
                kafka.keyStore(), kafka.keyStorePassword(), "cardiowatch.alerts.kafka").clientSettings(kafka.client()));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> clientSettings() {
        return clientSettings;
    }
}
