package org.cardiowatch.schemas.wire;

import org.apache.kafka.common.errors.SerializationException;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.topics.AvroSerde;

/** Encodes and decodes what a device seals into the envelope (content type Avro single-object). */
public final class DevicePayloads {

    private static final AvroSerde<DeviceVitals> VITALS = new AvroSerde<>(DeviceVitals.class);
    private static final AvroSerde<DeviceEcg> ECG = new AvroSerde<>(DeviceEcg.class);

    private DevicePayloads() {
    }

    public static byte[] encode(DeviceVitals vitals) {
        return VITALS.encode(vitals);
    }

    public static byte[] encode(DeviceEcg ecg) {
        return ECG.encode(ecg);
    }

    public static DeviceVitals decodeVitals(byte[] plaintext) throws RejectedMessageException {
        try {
            return VITALS.decode(plaintext);
        } catch (SerializationException e) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING, e.getMessage());
        }
    }

    public static DeviceEcg decodeEcg(byte[] plaintext) throws RejectedMessageException {
        try {
            return ECG.decode(plaintext);
        } catch (SerializationException e) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING, e.getMessage());
        }
    }
}
