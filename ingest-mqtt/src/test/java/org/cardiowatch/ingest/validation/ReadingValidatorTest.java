package org.cardiowatch.ingest.validation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.wire.RejectedMessageException;
import org.junit.jupiter.api.Test;

class ReadingValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final ReadingValidator validator = new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7));

    @Test
    void shouldAcceptAPlausibleReading() {
        DeviceVitals reading = vitals(NOW).setHeartRateBpm(72f).setSpo2Percent(97f).setSystolicMmHg(120f)
                .setDiastolicMmHg(80f).setRrIntervalsMs(List.of(830, 840)).build();
        assertDoesNotThrow(() -> validator.check(reading, NOW), "a plausible reading must pass every check");
    }

    @Test
    void shouldRefuseAReadingMeasuredTooFarInTheFuture() {
        assertReason(vitals(NOW.plus(Duration.ofMinutes(6))).setHeartRateBpm(72f).build(),
                RejectionReason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void shouldRefuseAReadingOlderThanTheMaximumAge() {
        assertReason(vitals(NOW.minus(Duration.ofDays(8))).setHeartRateBpm(72f).build(),
                RejectionReason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void shouldRefuseADiastolicPressureAboveTheSystolic() {
        assertReason(vitals(NOW).setSystolicMmHg(90f).setDiastolicMmHg(120f).build(), RejectionReason.OUT_OF_RANGE);
    }

    @Test
    void shouldRefuseHalfABloodPressure() {
        assertReason(vitals(NOW).setSystolicMmHg(120f).build(), RejectionReason.MALFORMED_READING);
    }

    @Test
    void shouldRefuseAReadingWithoutAnyMeasurement() {
        assertReason(vitals(NOW).build(), RejectionReason.MALFORMED_READING);
    }

    @Test
    void shouldRefuseAnImpossibleRrInterval() {
        assertReason(vitals(NOW).setRrIntervalsMs(List.of(800, 40)).build(), RejectionReason.OUT_OF_RANGE);
    }

    @Test
    void shouldRefuseAnOxygenSaturationAbove100Percent() {
        assertReason(vitals(NOW).setSpo2Percent(101f).build(), RejectionReason.OUT_OF_RANGE);
    }

    @Test
    void shouldRefuseAnEcgSegmentWithAnUnsupportedSampleRate() {
        DeviceEcg ecg = DeviceEcg.newBuilder().setStartedAt(NOW).setSampleRateHz(50).setLead("I")
                .setSamplesMicroVolts(List.of(0, 10, 20)).build();
        RejectedMessageException e = assertThrows(RejectedMessageException.class, () -> validator.check(ecg, NOW));
        assertThat("sample rates below 125 Hz cannot carry a QRS complex", e.reason(), is(RejectionReason.OUT_OF_RANGE));
    }

    private static DeviceVitals.Builder vitals(Instant measuredAt) {
        return DeviceVitals.newBuilder().setMeasuredAt(measuredAt);
    }

    private void assertReason(DeviceVitals reading, RejectionReason expected) {
        RejectedMessageException e = assertThrows(RejectedMessageException.class, () -> validator.check(reading, NOW));
        assertThat("the rejection names the failed check: " + e.getMessage(), e.reason(), is(expected));
    }
}
