package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.junit.jupiter.api.Test;

class SealedEnvelopeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DeviceTopic TOPIC = new DeviceTopic("dev-1", DeviceStream.VITALS);
    private final SecretKey key = SealedEnvelope.key(randomBytes(32));
    private final byte[] reading = "a reading".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldOpenWhatWasSealedWithTheSameKeyAndTopic() throws Exception {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 42, reading, RANDOM);

        SealedEnvelope.Opened opened = SealedEnvelope.open(key, TOPIC, envelope);

        assertThat("sequence comes from the header", opened.sequence(), equalTo(42L));
        assertArrayEquals(reading, opened.plaintext(), "plaintext round-trips");
        assertThat("overhead is header, nonce and tag", envelope.length,
                equalTo(reading.length + SealedEnvelope.OVERHEAD_BYTES));
    }

    @Test
    void shouldRefuseEveryEnvelopeWithAnyOneByteChanged() throws Exception {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 7, reading, RANDOM);
        for (int i = 0; i < envelope.length; i++) {
            byte[] tampered = envelope.clone();
            tampered[i] ^= 0x01;
            assertThrows(RejectedMessageException.class, () -> SealedEnvelope.open(key, TOPIC, tampered),
                    "a change at byte " + i + " must be refused");
        }
    }

    @Test
    void shouldRefuseAnEnvelopeReplayedOnAnotherDevicesTopic() {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 1, reading, RANDOM);
        DeviceTopic other = new DeviceTopic("dev-2", DeviceStream.VITALS);

        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> SealedEnvelope.open(key, other, envelope));

        assertThat("the topic is associated data", e.reason(), equalTo(RejectionReason.AUTHENTICATION_FAILED));
    }

    @Test
    void shouldRefuseAnEnvelopeMovedToAnotherStream() {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 1, reading, RANDOM);

        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> SealedEnvelope.open(key, new DeviceTopic("dev-1", DeviceStream.ECG), envelope));

        assertThat(e.reason(), equalTo(RejectionReason.AUTHENTICATION_FAILED));
    }

    @Test
    void shouldRefuseAnEnvelopeSealedWithAnotherKey() {
        byte[] envelope = SealedEnvelope.seal(SealedEnvelope.key(randomBytes(32)), TOPIC, 1, reading, RANDOM);

        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> SealedEnvelope.open(key, TOPIC, envelope));

        assertThat(e.reason(), equalTo(RejectionReason.AUTHENTICATION_FAILED));
    }

    @Test
    void shouldRefuseTruncatedAndEmptyEnvelopesAsMalformed() {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 1, reading, RANDOM);
        for (int length : new int[] {0, 1, 11, SealedEnvelope.OVERHEAD_BYTES - 1}) {
            byte[] truncated = Arrays.copyOf(envelope, length);
            RejectedMessageException e = assertThrows(RejectedMessageException.class,
                    () -> SealedEnvelope.open(key, TOPIC, truncated));
            assertThat("length " + length, e.reason(), equalTo(RejectionReason.MALFORMED_ENVELOPE));
        }
    }

    @Test
    void shouldNameTheUnsupportedVersionAndContentType() {
        byte[] envelope = SealedEnvelope.seal(key, TOPIC, 1, reading, RANDOM);
        byte[] version2 = envelope.clone();
        version2[2] = 2;
        byte[] unknownType = envelope.clone();
        unknownType[3] = 3;
        byte[] relabelled = envelope.clone();
        relabelled[3] = SealedEnvelope.CONTENT_OPEN_MHEALTH;

        assertThat(assertThrows(RejectedMessageException.class, () -> SealedEnvelope.open(key, TOPIC, version2))
                .reason(), equalTo(RejectionReason.UNSUPPORTED_ENVELOPE_VERSION));
        assertThat(assertThrows(RejectedMessageException.class, () -> SealedEnvelope.open(key, TOPIC, unknownType))
                .reason(), equalTo(RejectionReason.UNSUPPORTED_CONTENT_TYPE));
        assertThat("the content type is authenticated: relabelling Avro as JSON breaks the tag",
                assertThrows(RejectedMessageException.class, () -> SealedEnvelope.open(key, TOPIC, relabelled)).reason(),
                equalTo(RejectionReason.AUTHENTICATION_FAILED));
    }

    @Test
    void shouldRejectKeysThatAreNot256Bits() {
        assertThrows(IllegalArgumentException.class, () -> SealedEnvelope.key(new byte[16]));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
