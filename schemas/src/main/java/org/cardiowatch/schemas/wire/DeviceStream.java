package org.cardiowatch.schemas.wire;

import java.util.Optional;

/** The streams a device publishes on, the last level of its MQTT topic. */
public enum DeviceStream {
    VITALS("vitals"),
    ECG("ecg");

    private final String topicLevel;

    DeviceStream(String topicLevel) {
        this.topicLevel = topicLevel;
    }

    public String topicLevel() {
        return topicLevel;
    }

    public static Optional<DeviceStream> fromTopicLevel(String level) {
        for (DeviceStream stream : values()) {
            if (stream.topicLevel.equals(level)) {
                return Optional.of(stream);
            }
        }
        return Optional.empty();
    }
}
