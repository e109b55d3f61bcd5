package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cardiowatch.schemas.avro.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTopicTest {

    @Test
    void shouldParseDeviceIdAndStream() throws Exception {
        DeviceTopic topic = DeviceTopic.parse("cw/v1/watch-007/ecg");

        assertThat(topic.deviceId(), equalTo("watch-007"));
        assertThat(topic.stream(), equalTo(DeviceStream.ECG));
        assertThat("formats back to the same topic", topic.mqttTopic(), equalTo("cw/v1/watch-007/ecg"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cw/v2/dev/vitals", "cw/v1/dev", "cw/v1/dev/vitals/extra", "cw/v1//vitals",
        "cw/v1/dév/vitals", "cw/v1/-dev/vitals", "cw/v1/dev+/vitals", "cw/v1/dev#/vitals"})
    void shouldRefuseMalformedTopics(String mqttTopic) {
        RejectedMessageException e = assertThrows(RejectedMessageException.class, () -> DeviceTopic.parse(mqttTopic));

        assertThat(e.reason(), equalTo(RejectionReason.MALFORMED_TOPIC));
    }

    @Test
    void shouldRefuseDeviceIdsLongerThan64Characters() {
        String id = "d".repeat(65);

        assertThat(assertThrows(RejectedMessageException.class, () -> DeviceTopic.parse("cw/v1/" + id + "/vitals"))
                .reason(), equalTo(RejectionReason.MALFORMED_TOPIC));
    }

    @Test
    void shouldRefuseAnUnknownStreamWithItsOwnReason() {
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> DeviceTopic.parse("cw/v1/dev-1/firmware"));

        assertThat(e.reason(), equalTo(RejectionReason.UNKNOWN_STREAM));
    }
}
