package org.cardiowatch.ingest.broker;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import org.cardiowatch.schemas.avro.RejectionReason;

/**
 * What a device reads in its PUBACK when CardioWatch refuses a message: an MQTT 5 failure reason
 * code that any MQTT library shows, and a reason string that starts with CardioWatch's own
 * reason code (the one in cw.ingest.rejected), so a device maker can tell the checks apart.
 *
 * @param code the MQTT 5 PUBACK reason code
 * @param reasonString {@code REASON: detail}, without patient data
 */
public record PubackReason(AckReasonCode code, String reasonString) {

    /** MQTT 5 caps nothing here, but a device's log line should stay a line. */
    private static final int MAX_REASON_CHARS = 200;

    /** The reason string a device reads while Kafka cannot take its message: it should send it again. */
    public static final String KAFKA_UNAVAILABLE = "KAFKA_UNAVAILABLE: not stored, send again later";

    /** The PUBACK of a refusal. */
    public static PubackReason of(RejectionReason reason, String detail) {
        String text = reason.name() + ": " + detail;
        return new PubackReason(codeOf(reason), text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) : text);
    }

    /** The MQTT 5 reason code closest to each CardioWatch refusal. */
    static AckReasonCode codeOf(RejectionReason reason) {
        return switch (reason) {
            case MALFORMED_TOPIC, UNKNOWN_STREAM -> AckReasonCode.TOPIC_NAME_INVALID;
            case UNKNOWN_DEVICE, DEVICE_REVOKED, DEVICE_IDENTITY_MISMATCH, AUTHENTICATION_FAILED, CONSENT_MISSING ->
                    AckReasonCode.NOT_AUTHORIZED;
            case PAYLOAD_TOO_LARGE, MALFORMED_ENVELOPE, UNSUPPORTED_ENVELOPE_VERSION, UNSUPPORTED_CONTENT_TYPE,
                    MALFORMED_READING, OUT_OF_RANGE, TIMESTAMP_IN_FUTURE, TIMESTAMP_TOO_OLD ->
                    AckReasonCode.PAYLOAD_FORMAT_INVALID;
            case RATE_LIMITED -> AckReasonCode.QUOTA_EXCEEDED;
            case REPLAYED -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case UNSPECIFIED -> AckReasonCode.UNSPECIFIED_ERROR;
        };
    }
}
