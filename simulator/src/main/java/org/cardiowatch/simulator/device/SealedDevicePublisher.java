package org.cardiowatch.simulator.device;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.net.SocketFactory;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * One device as a real one behaves on the wire: its own MQTT connection, its own key, sealed
 * envelopes with an increasing sequence number, QoS 1 to {@code cw/v1/{deviceId}/{stream}}. Given
 * several brokers (a broker set, as a load balancer would offer them), it connects to the first it
 * can reach, moves to another when its broker is lost, and sends again a reading its lost broker
 * did not acknowledge, as a real device keeps such readings and retries.
 */
public final class SealedDevicePublisher implements AutoCloseable {

    private static final long TIMEOUT_MS = 30_000;
    /** The MQTT 5 PUBACK reason codes from here up are failures. */
    private static final int UNSPECIFIED_ERROR = 0x80;
    /** How long to wait before sending again what the ingest could not store yet. */
    private static final long RESEND_PAUSE_MS = 500;
    /**
     * How long a reading the ingest could not store (Kafka away) is sent again before the device
     * gives up on it: a real device keeps it longer still; two minutes cover a Kafka cluster's
     * restart.
     */
    private static final long RESEND_PATIENCE_MS = 120_000;

    private final String deviceId;
    private final SecretKey key;
    private final MqttAsyncClient client;
    private final AtomicLong sequence;
    private final SecureRandom random = new SecureRandom();
    /** Whether another broker may take over: only then is a publish lost with its connection retried. */
    private final boolean failover;

    /**
     * @param firstSequence the next sequence number to use (a real device keeps it across restarts)
     * @param socketFactory TLS sockets trusting the broker, or null for a plain test broker
     */
    public SealedDevicePublisher(String serverUri, String deviceId, byte[] payloadKey, long firstSequence,
            SocketFactory socketFactory) {
        this(List.of(serverUri), deviceId, payloadKey, firstSequence, socketFactory);
    }

    /** @param serverUris the brokers of a set, tried in this order */
    public SealedDevicePublisher(List<String> serverUris, String deviceId, byte[] payloadKey, long firstSequence,
            SocketFactory socketFactory) {
        this.deviceId = deviceId;
        this.key = SealedEnvelope.key(payloadKey);
        this.sequence = new AtomicLong(firstSequence);
        this.failover = serverUris.size() > 1;
        String serverUri = serverUris.get(0);
        try {
            this.client = new MqttAsyncClient(serverUri, "device-" + deviceId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setServerURIs(serverUris.toArray(String[]::new));
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 5);
            options.setConnectionTimeout(10);
            if (socketFactory != null) {
                options.setSocketFactory(socketFactory);
            }
            client.connect(options).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new IllegalStateException("Device " + deviceId + " cannot connect to " + serverUris
                    + ": " + e.getMessage(), e);
        }
    }

    public String deviceId() {
        return deviceId;
    }

    /** The sequence number the next reading will carry. */
    public long nextSequence() {
        return sequence.get();
    }

    /** Seals and publishes a vitals reading; returns the sequence number it used. */
    public long publish(DeviceVitals vitals) {
        return publishSealed(DeviceStream.VITALS, DevicePayloads.encode(vitals));
    }

    public long publish(DeviceEcg ecg) {
        return publishSealed(DeviceStream.ECG, DevicePayloads.encode(ecg));
    }

    /** Seals and publishes Open mHealth data points (JSON) as a vitals reading; returns the sequence number. */
    public long publishOpenMHealth(byte[] json) {
        return publishSealed(DeviceStream.VITALS, SealedEnvelope.CONTENT_OPEN_MHEALTH, json);
    }

    private long publishSealed(DeviceStream stream, byte[] plaintext) {
        return publishSealed(stream, SealedEnvelope.CONTENT_AVRO, plaintext);
    }

    private long publishSealed(DeviceStream stream, byte contentType, byte[] plaintext) {
        long next = sequence.getAndIncrement();
        DeviceTopic topic = new DeviceTopic(deviceId, stream);
        publishRaw(topic.mqttTopic(), SealedEnvelope.seal(key, topic, next, contentType, plaintext, random));
        return next;
    }

    /**
     * Publishes bytes as they are, to any topic (tests feed the ingest bad input this way), and
     * waits for the PUBACK. An MQTT 5 failure PUBACK {@code 0x80} means the ingest could not store
     * it yet (Kafka away): the same bytes are sent again, as a real device should, until stored or
     * {@value #RESEND_PATIENCE_MS} ms have passed. Any other failure code is a refusal, thrown with
     * the reason the ingest gave.
     */
    public void publishRaw(String mqttTopic, byte[] payload) {
        long resendDeadline = System.currentTimeMillis() + RESEND_PATIENCE_MS;
        while (true) {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            IMqttToken token;
            try {
                token = client.publish(mqttTopic, message);
                token.waitForCompletion(TIMEOUT_MS);
            } catch (MqttException e) {
                if (!failover || !awaitReconnected(System.currentTimeMillis() + TIMEOUT_MS)) {
                    throw new IllegalStateException("Device " + deviceId + " cannot publish: " + e.getMessage(), e);
                }
                // Perhaps the lost broker took it before it went: the ingest tells a copy with the
                // same sequence number apart and writes it once.
                continue;
            }
            int code = token.getReasonCodes() == null || token.getReasonCodes().length == 0 ? 0 : token.getReasonCodes()[0];
            if (code < UNSPECIFIED_ERROR) {
                return;
            }
            String reason = token.getResponseProperties() == null ? null : token.getResponseProperties().getReasonString();
            if (code != UNSPECIFIED_ERROR || System.currentTimeMillis() >= resendDeadline) {
                throw new RefusedMessageException(code, reason);
            }
            pause(RESEND_PAUSE_MS);
        }
    }

    /** The ingest refused a message: the PUBACK's MQTT 5 reason code and CardioWatch's reason. */
    public static final class RefusedMessageException extends IllegalStateException {
        private final int reasonCode;

        RefusedMessageException(int reasonCode, String reasonString) {
            super(String.format("refused with PUBACK reason 0x%02x: %s", reasonCode, reasonString));
            this.reasonCode = reasonCode;
        }

        public int reasonCode() {
            return reasonCode;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to send again", e);
        }
    }

    private boolean awaitReconnected(long deadline) {
        try {
            while (!client.isConnected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return client.isConnected();
    }

    /** False once the broker has closed the connection (a revoked device) and no reconnect succeeded. */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Seals with this device's key and sequence but for another topic: a forged-topic test. */
    public byte[] sealFor(DeviceTopic topic, DeviceVitals vitals) {
        return SealedEnvelope.seal(key, topic, sequence.getAndIncrement(), DevicePayloads.encode(vitals), random);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
            client.close(true);
        } catch (MqttException e) {
            // Closing a simulated device: nothing to recover.
        }
    }
}
