package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.junit.jupiter.api.Test;

class OpenMHealthVitalsTest {

    private static final String AT = "2026-11-26T09:15:30+01:00";

    @Test
    void shouldMakeOneReadingOfTheFourSchemas() throws Exception {
        DeviceVitals reading = parse("[" + point("heart-rate", "\"heart_rate\": {\"value\": 72, \"unit\": \"beats/min\"}", AT)
                + "," + point("rr-interval", "\"rr_interval\": {\"value\": 830, \"unit\": \"ms\"}", "2026-11-26T08:15:29.2Z")
                + "," + point("rr-interval", "\"rr_interval\": {\"value\": 812.4, \"unit\": \"ms\"}", "2026-11-26T08:15:30Z")
                + "," + point("oxygen-saturation", "\"oxygen_saturation\": {\"value\": 97.5, \"unit\": \"%\"}", AT)
                + "," + point("blood-pressure", "\"systolic_blood_pressure\": {\"value\": 128, \"unit\": \"mmHg\"},"
                        + " \"diastolic_blood_pressure\": {\"value\": 82, \"unit\": \"mmHg\"}", AT) + "]");

        assertThat(reading.getHeartRateBpm(), is(72f));
        assertThat("RR intervals in the order sent, rounded to the millisecond", reading.getRrIntervalsMs(),
                contains(830, 812));
        assertThat(reading.getSpo2Percent(), is(97.5f));
        assertThat(reading.getSystolicMmHg(), is(128f));
        assertThat(reading.getDiastolicMmHg(), is(82f));
        assertThat("timed at the latest data point, offset applied", reading.getMeasuredAt(),
                equalTo(Instant.parse("2026-11-26T08:15:30Z")));
    }

    @Test
    void shouldTakeASingleDataPointWithoutAnArray() throws Exception {
        DeviceVitals reading = parse(point("heart-rate", "\"heart_rate\": {\"value\": 58, \"unit\": \"beats/min\"}", AT));

        assertThat(reading.getHeartRateBpm(), is(58f));
        assertThat(reading.getSpo2Percent(), nullValue());
    }

    @Test
    void shouldRefuseWithAReasonThatSaysWhatIsWrong() {
        assertRefused("{", "not JSON");
        assertRefused("[]", "1 to 1000");
        assertRefused("\"text\"", "1 to 1000");
        assertRefused(point("heart-rate", "\"heart_rate\": {\"value\": 1.2, \"unit\": \"Hz\"}", AT), "unit must be \"beats/min\"");
        assertRefused(point("heart-rate", "\"heart_rate\": {\"value\": \"72\", \"unit\": \"beats/min\"}", AT), "must be a number");
        assertRefused(point("heart-rate", "\"heart_rate\": {\"value\": 72, \"unit\": \"beats/min\"}", "yesterday"),
                "date_time");
        assertRefused(point("step-count", "\"step_count\": {\"value\": 100}", AT), "omh:step-count is not one");
        assertRefused("{\"header\": {\"schema_id\": {\"namespace\": \"acme\", \"name\": \"heart-rate\"}}, \"body\": {}}",
                "namespace");
    }

    private static void assertRefused(String json, String detail) {
        RejectedMessageException refused = assertThrows(RejectedMessageException.class, () -> parse(json));
        assertThat(refused.reason(), is(RejectionReason.MALFORMED_READING));
        assertThat(refused.getMessage(), containsString(detail));
    }

    private static DeviceVitals parse(String json) throws RejectedMessageException {
        return OpenMHealthVitals.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String point(String schema, String measure, String at) {
        return "{\"header\": {\"schema_id\": {\"namespace\": \"omh\", \"name\": \"" + schema + "\", \"version\": \"2.0\"}},"
                + " \"body\": {" + measure + ", \"effective_time_frame\": {\"date_time\": \"" + at + "\"}}}";
    }
}
