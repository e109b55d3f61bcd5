package org.cardiowatch.ingest.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.ingest.kafka.IngestMetrics;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT side of the bridge, on one broker: a persistent session on the shared subscription,
 * manual acknowledgements sent only once Kafka has acknowledged the record (accepted or rejected),
 * so a crash or a Kafka outage leaves the message with the broker, which delivers it again. With a
 * set of brokers there is one of these per broker ({@link MqttIngestBridges}).
 */
public final class MqttIngestBridge implements MqttCallback, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestBridge.class);
    private static final int QOS_AT_LEAST_ONCE = 1;

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final MessageInspector inspector;
    private final IngestProducer producer;
    private final IngestMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Set while a thread (re)connects the session, so only one does. */
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean closing;

    public MqttIngestBridge(MqttBridgeSettings settings, MessageInspector inspector, IngestProducer producer,
            MeterRegistry metrics) {
        this.inspector = inspector;
        this.producer = producer;
        this.metrics = new IngestMetrics(metrics);
        this.options = settings.connectionOptions();
        Tags broker = Tags.of("broker", settings.serverUri());
        metrics.gauge("cw.ingest.in.flight", broker, inFlight);
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("Invalid MQTT settings: " + e.getMessage(), e);
        }
        metrics.gauge("cw.ingest.mqtt.connected", broker, this, bridge -> bridge.isConnected() ? 1 : 0);
        // Before connect: a resumed session delivers the moment the connection is up.
        client.setCallback(this);
        client.setManualAcks(true);
    }

    /**
     * Connects and waits until the session is up (or the timeout passes). A broker that cannot be
     * reached yet is tried again in the background until it can: one broker of a set being away must
     * not keep the bridge from draining the others.
     */
    public MqttIngestBridge start(long timeoutMillis) {
        try {
            client.connect(options).waitForCompletion(timeoutMillis);
        } catch (MqttException e) {
            LOG.warn("Cannot connect to the MQTT broker {} yet ({}); trying again in the background",
                    client.getServerURI(), e.getMessage());
            connectInBackground(false);
        }
        return this;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Messages received and not yet acknowledged (waiting for Kafka). */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        LOG.info("Connected to MQTT broker {} (reconnect: {})", serverURI, reconnect);
        try {
            // The session normally keeps the subscription; subscribing again is harmless and
            // covers a session that expired while the bridge was away.
            client.subscribe(DeviceTopic.SHARED_SUBSCRIPTION, QOS_AT_LEAST_ONCE);
        } catch (MqttException e) {
            LOG.error("Cannot subscribe to {}: {}", DeviceTopic.SHARED_SUBSCRIPTION, e.getMessage());
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        inFlight.incrementAndGet();
        IngestDecision decision = inspector.inspect(topic, message.getPayload(), certifiedIdentity(message));
        producer.send(decision).whenComplete((written, error) -> {
            inFlight.decrementAndGet();
            if (error == null) {
                inspector.written(decision);
                metrics.written(decision);
                acknowledge(message);
            } else {
                metrics.kafkaFailed();
                LOG.warn("Kafka did not take a record ({}); the MQTT message stays unacknowledged",
                        error.getClass().getSimpleName());
                // The broker redelivers unacknowledged messages only when the session resumes.
                connectInBackground(true);
            }
        });
    }

    /** The device id the broker took from the sender's certificate; null when it set none. */
    private static String certifiedIdentity(MqttMessage message) {
        if (message.getProperties() == null || message.getProperties().getUserProperties() == null) {
            return null;
        }
        String identity = null;
        for (UserProperty property : message.getProperties().getUserProperties()) {
            if (DeviceTopic.CERTIFIED_IDENTITY_PROPERTY.equals(property.getKey())) {
                if (identity != null) {
                    return "";  // Two stamps: trust neither (the broker writes exactly one).
                }
                identity = property.getValue();
            }
        }
        return identity;
    }

    private void acknowledge(MqttMessage message) {
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            // The broker will deliver it again on the next session; downstream tolerates duplicates.
            LOG.warn("Cannot acknowledge an MQTT message: {}", e.getMessage());
        }
    }

    /**
     * Connects the session from a thread of its own, trying until it is up or the bridge closes.
     *
     * @param resume disconnect first: after a Kafka failure, to have the broker redeliver
     */
    private void connectInBackground(boolean resume) {
        if (closing || !connecting.compareAndSet(false, true)) {
            return;
        }
        Thread connect = new Thread(() -> {
            try {
                if (resume && client.isConnected()) {
                    client.disconnect().waitForCompletion(10_000);
                }
                long delayMillis = 1_000;
                while (!closing && !client.isConnected()) {
                    try {
                        client.connect(options).waitForCompletion(30_000);
                    } catch (MqttException e) {
                        LOG.warn("Connecting to the MQTT broker {} failed: {}", client.getServerURI(), e.getMessage());
                        Thread.sleep(delayMillis);
                        delayMillis = Math.min(delayMillis * 2, 30_000);
                    }
                }
            } catch (MqttException e) {
                LOG.warn("Resuming the MQTT session failed: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                connecting.set(false);
            }
        }, "mqtt-connect");
        connect.setDaemon(true);
        connect.start();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (!closing) {
            LOG.warn("Disconnected from the MQTT broker: {}", response.getReasonString());
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error: {}", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // The bridge only subscribes.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication.
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("MQTT client did not close cleanly: {}", e.getMessage());
        }
    }
}
