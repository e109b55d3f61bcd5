package org.cardiowatch.schemas.wire;

import java.util.regex.Pattern;
import org.cardiowatch.schemas.avro.RejectionReason;

/** A device's MQTT topic, {@code cw/v1/{deviceId}/{stream}}. */
public record DeviceTopic(String deviceId, DeviceStream stream) {

    public static final String PREFIX = "cw/v1/";
    /**
     * The MQTT user property in which the broker passes on the device id from the publishing
     * client's certificate; clients cannot set it (the broker replaces it).
     */
    public static final String CERTIFIED_IDENTITY_PROPERTY = "cw-certified-device";

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public DeviceTopic {
        if (!isValidDeviceId(deviceId)) {
            throw new IllegalArgumentException("Device ids are 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    public static boolean isValidDeviceId(String deviceId) {
        return deviceId != null && DEVICE_ID.matcher(deviceId).matches();
    }

    public String mqttTopic() {
        return PREFIX + deviceId + "/" + stream.topicLevel();
    }

    public static DeviceTopic parse(String mqttTopic) throws RejectedMessageException {
        if (mqttTopic == null || !mqttTopic.startsWith(PREFIX)) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_TOPIC, "topic does not start with " + PREFIX);
        }
        String[] levels = mqttTopic.substring(PREFIX.length()).split("/", -1);
        if (levels.length != 2) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_TOPIC, "topic must have exactly 4 levels");
        }
        if (!isValidDeviceId(levels[0])) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_TOPIC, "malformed device id in topic");
        }
        DeviceStream stream = DeviceStream.fromTopicLevel(levels[1]).orElseThrow(() ->
                new RejectedMessageException(RejectionReason.UNKNOWN_STREAM, "unknown stream in topic"));
        return new DeviceTopic(levels[0], stream);
    }
}
