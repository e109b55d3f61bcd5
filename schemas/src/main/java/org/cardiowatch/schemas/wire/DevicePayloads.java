package org.cardiowatch.schemas.wire;

import org.apache.kafka.common.errors.SerializationException;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.topics.AvroSerde;

/**
 * Encodes and decodes what a device seals into the envelope: Avro single-object encoding, or for
 * vitals Open mHealth JSON.
 */
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

    /** Vitals in the envelope's content type. */
    public static DeviceVitals decodeVitals(byte contentType, byte[] plaintext) throws RejectedMessageException {
        return contentType == SealedEnvelope.CONTENT_OPEN_MHEALTH ? OpenMHealthVitals.parse(plaintext)
                : decodeVitals(plaintext);
    }

    /** ECG in the envelope's content type: Avro only (Open mHealth has no ECG waveform schema). */
    public static DeviceEcg decodeEcg(byte contentType, byte[] plaintext) throws RejectedMessageException {
        if (contentType != SealedEnvelope.CONTENT_AVRO) {
            throw new RejectedMessageException(RejectionReason.UNSUPPORTED_CONTENT_TYPE,
                    "ECG segments are Avro only; content type " + (contentType & 0xff) + " is for vitals");
        }
        return decodeEcg(plaintext);
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
