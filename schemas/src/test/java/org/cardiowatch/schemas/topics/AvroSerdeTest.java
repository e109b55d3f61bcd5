package org.cardiowatch.schemas.topics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<VitalSigns> serde = new AvroSerde<>(VitalSigns.class);

    @Test
    void shouldRoundTripAReadingWithItsTimestampsAndOptionalFields() {
        VitalSigns reading = VitalSigns.newBuilder()
                .setPatientId("p-1").setDeviceId("d-1").setSequence(3)
                .setMeasuredAt(Instant.parse("2026-11-23T08:00:00Z"))
                .setReceivedAt(Instant.parse("2026-11-23T08:00:01Z"))
                .setHeartRateBpm(72f).setRrIntervalsMs(List.of(830, 845)).setSpo2Percent(null)
                .build();

        VitalSigns decoded = serde.decode(serde.encode(reading));

        assertThat(decoded, equalTo(reading));
    }

    @Test
    void shouldRefuseBytesThatAreNotARecordWithoutQuotingThem() {
        byte[] garbage = "patient-secret-bytes".getBytes();

        SerializationException e = assertThrows(SerializationException.class, () -> serde.decode(garbage));

        assertThat(e.getMessage(), containsString("VitalSigns"));
        assertThat("no payload in the message", e.getMessage(), not(containsString("secret")));
    }

    @Test
    void shouldRefuseARecordOfAnUnknownSchemaVersionOrCutShortSayingWhich() {
        byte[] encoded = serde.encode(VitalSigns.newBuilder().setPatientId("p-1").setDeviceId("d-1").setSequence(3)
                .setMeasuredAt(Instant.EPOCH).setReceivedAt(Instant.EPOCH).setHeartRateBpm(72f).build());
        byte[] unknownVersion = encoded.clone();
        unknownVersion[5] ^= 0x55;
        byte[] cutShort = java.util.Arrays.copyOf(encoded, encoded.length - 3);

        assertThat(assertThrows(SerializationException.class, () -> serde.decode(unknownVersion)).getMessage(),
                containsString("schema version this release does not know"));
        assertThat(assertThrows(SerializationException.class, () -> serde.decode(cutShort)).getMessage(),
                containsString("Not a valid VitalSigns record"));
        assertThat(assertThrows(SerializationException.class, () -> serde.decode(new byte[] {(byte) 0xC3, 1, 0}))
                .getMessage(), containsString("no single-object header"));
    }
}
