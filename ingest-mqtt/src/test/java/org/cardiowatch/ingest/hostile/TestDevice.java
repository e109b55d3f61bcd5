package org.cardiowatch.ingest.hostile;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/** A device the tests enrolled: its identity, its key and its next sequence number. */
public record TestDevice(String deviceId, String patientId, byte[] key, AtomicLong sequence) {

    /** Devices start far from 1 so that an envelope from before the replay window can be forged. */
    public static final long FIRST_SEQUENCE = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    public static TestDevice create(String deviceId, String patientId) {
        byte[] key = new byte[SealedEnvelope.KEY_BYTES];
        RANDOM.nextBytes(key);
        return new TestDevice(deviceId, patientId, key, new AtomicLong(FIRST_SEQUENCE));
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
        return new HostileInput.Message(topic.mqttTopic(), seal(topic, sequence.getAndIncrement(), plaintext));
    }

    public byte[] seal(DeviceTopic topic, long sequenceNumber, byte[] plaintext) {
        return SealedEnvelope.seal(SealedEnvelope.key(key), topic, sequenceNumber, plaintext, RANDOM);
    }

    /** A plausible reading measured now. */
    public static DeviceVitals normalVitals(Instant now) {
        return DeviceVitals.newBuilder().setMeasuredAt(now).setHeartRateBpm(72f).setSpo2Percent(97f).build();
    }
}
