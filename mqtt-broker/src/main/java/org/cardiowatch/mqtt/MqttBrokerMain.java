package org.cardiowatch.mqtt;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.cardiowatch.embedded.EnrolledDevicesBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar cw-mqtt.jar}: the MQTT broker devices connect to in production (the image
 * cardiowatch/cw-mqtt), configured by environment variables ({@link BrokerSettings}). Runs until
 * stopped; exit status 2 when a setting is wrong, 1 when the broker cannot start.
 */
public final class MqttBrokerMain {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerMain.class);
    /** How long to wait for cw.devices before admitting devices; they retry meanwhile. */
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(60);

    private MqttBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        BrokerSettings settings;
        try {
            settings = BrokerSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("cw-mqtt: " + e.getMessage());
            System.exit(2);
            return;
        }
        EnrolledDevicesBroker broker;
        try {
            broker = start(settings);
        } catch (RuntimeException e) {
            LOG.error("The MQTT broker could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping the MQTT broker");
            broker.close();
            stopped.countDown();
        }, "cw-mqtt-shutdown"));
        stopped.await();
    }

    /** The broker on the given settings; closing it stops the broker and its registry reader. */
    public static EnrolledDevicesBroker start(BrokerSettings settings) {
        EnrolledDevicesBroker broker = EnrolledDevicesBroker.start(settings.kafkaBootstrapServers(),
                settings.kafkaTls().clientSettings(Map.of()), REGISTRY_TIMEOUT,
                settings.dataFolder(), settings.bindAddress(), settings.port(), settings.tls());
        LOG.info("MQTT broker listening on {}:{} (mutual TLS), devices from cw.devices at {}",
                settings.bindAddress(), broker.mqtt().port(), settings.kafkaBootstrapServers());
        return broker;
    }
}
