package org.cardiowatch.schemas.topics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SystemLimitException;
import org.apache.kafka.common.errors.SerializationException;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.junit.jupiter.api.Test;

/** Untrusted bytes cannot make the decoder reserve memory by claiming a huge length. */
class AvroDecodingLimitsTest {

    private static final byte[] CLAIM_2_POW_30 = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

    @Test
    void shouldRefuseAStringLongerThanTheLimitBeforeAllocatingIt() {
        // A record built with default values loads Avro's limits class first: the limits must hold all the same.
        DeviceVitals.newBuilder().setMeasuredAt(Instant.EPOCH).build();
        AvroSerde<DeviceEcg> serde = new AvroSerde<>(DeviceEcg.class);
        byte[] encoded = serde.encode(DeviceEcg.newBuilder().setStartedAt(Instant.EPOCH).setSampleRateHz(250)
                .setLead("ZZ").setSamplesMicroVolts(List.of(1, 2)).build());
        byte[] forged = replaceByte(encoded, indexOf(encoded, new byte[] {0x04, 'Z', 'Z'}), CLAIM_2_POW_30);

        SerializationException refused = assertThrows(SerializationException.class, () -> serde.decode(forged));

        assertThat("the length claim is refused by the limit, not by running out of memory or bytes",
                refused.getCause(), instanceOf(SystemLimitException.class));
    }

    @Test
    void shouldRefuseAnArrayWhoseItemsNeverFollow() {
        AvroSerde<DeviceVitals> serde = new AvroSerde<>(DeviceVitals.class);
        byte[] encoded = serde.encode(DeviceVitals.newBuilder().setMeasuredAt(Instant.EPOCH)
                .setRrIntervalsMs(List.of(777)).build());
        byte[] forged = replaceByte(encoded, indexOf(encoded, new byte[] {0x02, (byte) 0x92, 0x0C, 0x00}), CLAIM_2_POW_30);

        assertThrows(SerializationException.class, () -> serde.decode(forged));
    }

    private static byte[] replaceByte(byte[] bytes, int at, byte[] with) {
        byte[] out = new byte[bytes.length - 1 + with.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(bytes, at + 1, out, at + with.length, bytes.length - at - 1);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("Encoding changed: the bytes to forge are not there");
    }
}
