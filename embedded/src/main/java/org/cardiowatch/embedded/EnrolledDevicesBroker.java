package org.cardiowatch.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker admitting the devices that cw.devices lists as active, and following that list:
 * a device revoked there is disconnected within a second. The local stack and the standalone
 * production broker both run it.
 */
public final class EnrolledDevicesBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnrolledDevicesBroker.class);

    private final CompactedTopicView<Device> devices;
    private final EmbeddedMqttBroker mqtt;

    private EnrolledDevicesBroker(CompactedTopicView<Device> devices, EmbeddedMqttBroker mqtt) {
        this.devices = devices;
        this.mqtt = mqtt;
    }

    /**
     * Reads cw.devices (waiting up to {@code registryTimeout} for what it holds, so enrolled devices
     * are not refused at start), then starts the broker.
     *
     * @param kafkaSettings Kafka client settings besides the bootstrap servers (mutual TLS)
     */
    public static EnrolledDevicesBroker start(String bootstrapServers, Map<String, Object> kafkaSettings,
            Duration registryTimeout, Path folder, String bindAddress, int port, EmbeddedMqttBroker.Tls tls) {
        return start(bootstrapServers, kafkaSettings, registryTimeout, folder, bindAddress, port, tls, null);
    }

    /** As above, with the ingest in the publish path ({@link EmbeddedMqttBroker#start(Path, String, int,
     * EmbeddedMqttBroker.Tls, Predicate, PublishPath)}). */
    public static EnrolledDevicesBroker start(String bootstrapServers, Map<String, Object> kafkaSettings,
            Duration registryTimeout, Path folder, String bindAddress, int port, EmbeddedMqttBroker.Tls tls,
            PublishPath ingest) {
        AtomicReference<EmbeddedMqttBroker> broker = new AtomicReference<>();
        CompactedTopicView<Device> devices = new CompactedTopicView<>(Topics.DEVICES, bootstrapServers, kafkaSettings,
                (deviceId, device) -> {
                    if (broker.get() != null) {
                        broker.get().deviceChanged(deviceId);
                    }
                }).start();
        try {
            if (!devices.awaitCaughtUp(registryTimeout)) {
                LOG.warn("cw.devices not read within {}: enrolled devices are refused until it is", registryTimeout);
            }
            Predicate<String> active = deviceId -> devices.get(deviceId)
                    .map(device -> device.getStatus() == DeviceStatus.ACTIVE).orElse(false);
            broker.set(EmbeddedMqttBroker.start(folder, bindAddress, port, tls, active, ingest));
            return new EnrolledDevicesBroker(devices, broker.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            devices.close();
            throw new IllegalStateException("Interrupted while reading cw.devices", e);
        } catch (RuntimeException e) {
            devices.close();
            throw e;
        }
    }

    public EmbeddedMqttBroker mqtt() {
        return mqtt;
    }

    /** The URI clients connect to, {@code ssl://127.0.0.1:PORT}. */
    public String serverUri() {
        return mqtt.serverUri();
    }

    /** Whether the broker's copy of cw.devices is current: a stale one could admit a revoked device. */
    public boolean isRegistryCurrent() {
        return devices.isCurrent();
    }

    /** The device as the broker last read it from cw.devices. */
    public Optional<Device> enrolledDevice(String deviceId) {
        return devices.get(deviceId);
    }

    @Override
    public void close() {
        try {
            mqtt.close();
        } finally {
            devices.close();
        }
    }
}
