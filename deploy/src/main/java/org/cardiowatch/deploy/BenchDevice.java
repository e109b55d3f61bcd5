package org.cardiowatch.deploy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.net.SocketFactory;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * One device of the load benchmark: its own TLS connection and certificate, sealed readings or ECG segments at QoS 1,
 * without waiting for each acknowledgement (up to the broker's receive maximum in flight), so one
 * JVM can play many devices at thousands of messages per second. A reading counts as sent when the
 * broker acknowledged it.
 */
final class BenchDevice implements AutoCloseable {

    /** Connections opened at once: TLS handshakes are what a thousand devices cost at the start. */
    private static final int CONNECTING_AT_ONCE = 8;
    /** HiveMQ's default receive maximum: more in flight and the client refuses to publish. */
    private static final int IN_FLIGHT = 10;

    private final String deviceId;
    private final SecretKey key;
    private final MqttAsyncClient client;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong failed = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    BenchDevice(String serverUri, String deviceId, byte[] payloadKey, SocketFactory sockets) throws MqttException {
        this.deviceId = deviceId;
        this.key = SealedEnvelope.key(payloadKey);
        this.client = new MqttAsyncClient(serverUri, "bench-" + deviceId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(30);
        options.setSocketFactory(sockets);
        client.connect(options).waitForCompletion(60_000);
    }

    String deviceId() {
        return deviceId;
    }

    /** A reading the broker acknowledged as stored. */
    interface Acknowledged {
        /** @param nanos from the publish to its PUBACK */
        void accept(long sequence, long nanos);
    }

    /**
     * Seals and publishes a reading unless the device already has its maximum in flight.
     *
     * @param onAcknowledged called with the sequence number once the broker acknowledged it
     * @return false when the reading was not sent (the offered load is above what this device carries)
     */
    boolean offer(DeviceVitals reading, Acknowledged onAcknowledged) {
        return offer(DeviceStream.VITALS, DevicePayloads.encode(reading), onAcknowledged);
    }

    /** Seals and publishes an ECG segment, as {@link #offer(DeviceVitals, Acknowledged)} a reading. */
    boolean offer(DeviceEcg segment, Acknowledged onAcknowledged) {
        return offer(DeviceStream.ECG, DevicePayloads.encode(segment), onAcknowledged);
    }

    private boolean offer(DeviceStream stream, byte[] plaintext, Acknowledged onAcknowledged) {
        if (!inFlight.tryAcquire()) {
            return false;
        }
        long next = sequence.getAndIncrement();
        DeviceTopic topic = new DeviceTopic(deviceId, stream);
        byte[] envelope = SealedEnvelope.seal(key, topic, next, plaintext, random);
        MqttMessage message = new MqttMessage(envelope);
        message.setQos(1);
        long publishedAt = System.nanoTime();
        try {
            client.publish(topic.mqttTopic(), message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inFlight.release();
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        // A failure PUBACK (MQTT 5): refused or not stored, so not sent.
                        failed.incrementAndGet();
                    } else {
                        onAcknowledged.accept(next, System.nanoTime() - publishedAt);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    inFlight.release();
                    failed.incrementAndGet();
                }
            });
            return true;
        } catch (MqttException e) {
            inFlight.release();
            failed.incrementAndGet();
            return false;
        }
    }

    /** Publishes that failed (refused by the client or the broker): never sent. */
    long failed() {
        return failed.get();
    }

    /**
     * Connects the patients' devices, a few TLS handshakes at a time, spread over the broker set as
     * the devices' load balancer would; in the patients' order.
     */
    static List<BenchDevice> connectAll(List<String> uris, LocalBrokers brokers, List<DemoCohort.DemoPatient> patients)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTING_AT_ONCE);
        try {
            List<Future<BenchDevice>> connecting = new ArrayList<>();
            for (int i = 0; i < patients.size(); i++) {
                DemoCohort.DemoPatient p = patients.get(i);
                String uri = uris.get(i % uris.size());
                connecting.add(pool.submit(() -> new BenchDevice(uri, p.deviceId(), p.key(),
                        brokers.deviceSockets(p.deviceId()))));
            }
            List<BenchDevice> devices = new ArrayList<>();
            for (Future<BenchDevice> device : connecting) {
                devices.add(device.get());
            }
            return devices;
        } catch (ExecutionException e) {
            throw new IllegalStateException("A benchmark device could not connect", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Closes many devices at once: Paho's disconnect pauses 100 ms and then waits for the broker's
     * answer, which for a thousand devices one after another is minutes.
     */
    static void closeAll(java.util.Collection<BenchDevice> devices) {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        devices.forEach(device -> pool.execute(device::close));
        pool.shutdown();
        try {
            pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (MqttException e) {
            // Closing at the end of a run: nothing left to save.
        }
    }
}
