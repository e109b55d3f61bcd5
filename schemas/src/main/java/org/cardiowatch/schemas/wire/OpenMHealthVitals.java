package org.cardiowatch.schemas.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;

/**
 * Vitals sent as Open mHealth data points (content type 0x02): a JSON array of data points, or
 * one, each {@code {"header": {"schema_id": {"namespace": "omh", "name": …}}, "body": …}} with the
 * body of omh:heart-rate, omh:rr-interval, omh:oxygen-saturation or omh:blood-pressure. They
 * become one reading, timed at the latest {@code effective_time_frame.date_time}; RR intervals
 * keep their order. Units must be the schemas' own (beats/min, ms, %, mmHg): a device that sends
 * another unit is refused rather than converted by a guess.
 */
public final class OpenMHealthVitals {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DATA_POINTS = 1_000;

    private OpenMHealthVitals() {
    }

    public static DeviceVitals parse(byte[] json) throws RejectedMessageException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw malformed("not JSON: " + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getClass().getSimpleName()));
        }
        List<JsonNode> points = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(points::add);
        } else if (root != null && root.isObject()) {
            points.add(root);
        }
        if (points.isEmpty() || points.size() > MAX_DATA_POINTS) {
            throw malformed("expected 1 to " + MAX_DATA_POINTS + " Open mHealth data points");
        }
        DeviceVitals.Builder reading = DeviceVitals.newBuilder();
        List<Integer> rr = new ArrayList<>();
        Instant latest = null;
        for (JsonNode point : points) {
            JsonNode schema = point.path("header").path("schema_id");
            JsonNode body = point.path("body");
            if (!"omh".equals(schema.path("namespace").asText()) || !body.isObject()) {
                throw malformed("a data point needs header.schema_id.namespace \"omh\" and a body");
            }
            String name = schema.path("name").asText();
            switch (name) {
                case "heart-rate" -> reading.setHeartRateBpm(value(body, "heart_rate", "beats/min"));
                case "rr-interval" -> rr.add(Math.round(value(body, "rr_interval", "ms")));
                case "oxygen-saturation" -> reading.setSpo2Percent(value(body, "oxygen_saturation", "%"));
                case "blood-pressure" -> {
                    reading.setSystolicMmHg(value(body, "systolic_blood_pressure", "mmHg"));
                    reading.setDiastolicMmHg(value(body, "diastolic_blood_pressure", "mmHg"));
                }
                default -> throw malformed("schema omh:" + name + " is not one CardioWatch reads"
                        + " (heart-rate, rr-interval, oxygen-saturation, blood-pressure)");
            }
            Instant at = time(body);
            latest = latest == null || at.isAfter(latest) ? at : latest;
        }
        return reading.setMeasuredAt(latest).setRrIntervalsMs(rr).build();
    }

    private static float value(JsonNode body, String field, String unit) throws RejectedMessageException {
        JsonNode measure = body.path(field);
        if (!measure.path("value").isNumber()) {
            throw malformed(field + ".value must be a number");
        }
        if (!unit.equals(measure.path("unit").asText())) {
            throw malformed(field + ".unit must be \"" + unit + "\"");
        }
        return measure.path("value").floatValue();
    }

    private static Instant time(JsonNode body) throws RejectedMessageException {
        String text = body.path("effective_time_frame").path("date_time").asText("");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed("effective_time_frame.date_time must be an RFC 3339 date-time with offset");
        }
    }

    private static RejectedMessageException malformed(String detail) {
        return new RejectedMessageException(RejectionReason.MALFORMED_READING, "Open mHealth: " + detail);
    }
}
