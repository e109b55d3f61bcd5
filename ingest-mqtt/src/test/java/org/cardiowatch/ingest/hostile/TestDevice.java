package org.cardiowatch.ingest.hostile;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/**
 * A device the tests enrolled (or not): its identity, its key, its next sequence number, and
 * whether the MQTT broker admits its certificate (enrolled and active).
 */
public record TestDevice(String deviceId, String patientId, byte[] key, AtomicLong sequence, boolean admitted) {

    /** Devices start far from 1 so that an envelope from before the replay window can be forged. */
    public static final long FIRST_SEQUENCE = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final AtomicInteger IDS = new AtomicInteger();

    /** A new device and patient, {@code prefix-N} and {@code patient-of-prefix-N}. */
    public static TestDevice next(String prefix, boolean admitted) {
        String deviceId = prefix + "-" + IDS.incrementAndGet();
        return create(deviceId, "patient-of-" + deviceId, admitted);
    }

    /** Its record in the device registry, as the admin API writes it. */
    public Device registryRecord(DeviceStatus status, Instant enrolledAt) {
        return Device.newBuilder().setDeviceId(deviceId).setPatientId(patientId).setStatus(status)
                .setPayloadKey(ByteBuffer.wrap(key)).setEnrolledAt(enrolledAt).build();
    }

    public static TestDevice create(String deviceId, String patientId, boolean admitted) {
        byte[] key = new byte[SealedEnvelope.KEY_BYTES];
        RANDOM.nextBytes(key);
        return new TestDevice(deviceId, patientId, key, new AtomicLong(FIRST_SEQUENCE), admitted);
    }

    public DeviceTopic vitalsTopic() {
        return new DeviceTopic(deviceId, DeviceStream.VITALS);
    }

    public DeviceTopic ecgTopic() {
        return new DeviceTopic(deviceId, DeviceStream.ECG);
    }

    public HostileInput.Message vitals(DeviceVitals vitals) {
        return sealed(vitalsTopic(), DevicePayloads.encode(vitals));
    }

    public HostileInput.Message ecg(DeviceEcg ecg) {
        return sealed(ecgTopic(), DevicePayloads.encode(ecg));
    }

    /** Seals any plaintext with this device's key and next sequence number. */
    public HostileInput.Message sealed(DeviceTopic topic, byte[] plaintext) {
        return message(topic.mqttTopic(), seal(topic, sequence.getAndIncrement(), plaintext));
    }

    /** Seals any plaintext as the given content type. */
    public HostileInput.Message sealed(DeviceTopic topic, byte contentType, byte[] plaintext) {
        return message(topic.mqttTopic(), SealedEnvelope.seal(SealedEnvelope.key(key), topic,
                sequence.getAndIncrement(), contentType, plaintext, RANDOM));
    }

    /** Any bytes on any topic, sent from this device's connection (with its certificate). */
    public HostileInput.Message message(String mqttTopic, byte[] payload) {
        return new HostileInput.Message(mqttTopic, payload, this);
    }

    /** Any bytes on this device's vitals topic. */
    public HostileInput.Message message(byte[] payload) {
        return message(vitalsTopic().mqttTopic(), payload);
    }

    public byte[] seal(DeviceTopic topic, long sequenceNumber, byte[] plaintext) {
        return SealedEnvelope.seal(SealedEnvelope.key(key), topic, sequenceNumber, plaintext, RANDOM);
    }

    /** A plausible reading measured now. */
    public static DeviceVitals normalVitals(Instant now) {
        return DeviceVitals.newBuilder().setMeasuredAt(now).setHeartRateBpm(72f).setSpo2Percent(97f).build();
    }
}
