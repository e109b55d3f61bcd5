package org.cardiowatch.ingest.broker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PubackReasonTest {

    @ParameterizedTest
    @EnumSource(RejectionReason.class)
    void shouldAnswerEveryRefusalWithAFailureCodeAndItsCardioWatchReason(RejectionReason reason) {
        PubackReason puback = PubackReason.of(reason, "a detail");

        assertThat("a refusal is never a success PUBACK", puback.code(),
                not(oneOf(AckReasonCode.SUCCESS, AckReasonCode.NO_MATCHING_SUBSCRIBERS)));
        assertThat("the device reads CardioWatch's reason first", puback.reasonString(),
                equalTo(reason.name() + ": a detail"));
    }

    @Test
    void shouldMapTheRefusalsADeviceMakerMeetsFirst() {
        assertThat(PubackReason.of(RejectionReason.DEVICE_REVOKED, "x").code(), is(AckReasonCode.NOT_AUTHORIZED));
        assertThat(PubackReason.of(RejectionReason.MALFORMED_READING, "x").code(),
                is(AckReasonCode.PAYLOAD_FORMAT_INVALID));
        assertThat(PubackReason.of(RejectionReason.RATE_LIMITED, "x").code(), is(AckReasonCode.QUOTA_EXCEEDED));
        assertThat(PubackReason.of(RejectionReason.MALFORMED_TOPIC, "x").code(), is(AckReasonCode.TOPIC_NAME_INVALID));
    }

    @Test
    void shouldKeepALongDetailToOneLogLine() {
        PubackReason puback = PubackReason.of(RejectionReason.OUT_OF_RANGE, "y".repeat(1000));

        assertThat(puback.reasonString().length(), lessThanOrEqualTo(200));
        assertThat(puback.reasonString(), startsWith("OUT_OF_RANGE: yyy"));
    }
}
