package org.cardiowatch.alerts.history;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.influxdb.dto.Point;

/**
 * How readings become InfluxDB points. A point is identified by its measurement, its tags and its
 * time, so writing the same reading twice (a redelivery after an outage) overwrites it: the
 * history never holds a reading twice.
 */
public final class HistoryPoints {

    public static final String VITALS = "vitals";
    public static final String VITALS_1M = "vitals_1m";
    public static final String ALERTS = "alerts";

    private HistoryPoints() {
    }

    /** A reading with no measurement in it gives no point. */
    public static Optional<Point> of(VitalSigns reading) {
        Point.Builder point = Point.measurement(VITALS).time(reading.getMeasuredAt().toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("patient", reading.getPatientId()).tag("device", reading.getDeviceId());
        boolean any = false;
        if (reading.getHeartRateBpm() != null) {
            point.addField("heart_rate", reading.getHeartRateBpm().doubleValue());
            any = true;
        }
        if (reading.getSpo2Percent() != null) {
            point.addField("spo2", reading.getSpo2Percent().doubleValue());
            any = true;
        }
        if (reading.getSystolicMmHg() != null && reading.getDiastolicMmHg() != null) {
            point.addField("systolic", reading.getSystolicMmHg().doubleValue());
            point.addField("diastolic", reading.getDiastolicMmHg().doubleValue());
            any = true;
        }
        return any ? Optional.of(point.build()) : Optional.empty();
    }

    public static Point of(VitalsMinute minute) {
        Point.Builder point = Point.measurement(VITALS_1M).time(minute.getMinuteStart().toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("patient", minute.getPatientId()).addField("readings", minute.getReadings());
        field(point, "heart_rate_min", minute.getHeartRateMin());
        field(point, "heart_rate_mean", minute.getHeartRateMean());
        field(point, "heart_rate_max", minute.getHeartRateMax());
        field(point, "spo2_min", minute.getSpo2Min());
        field(point, "spo2_mean", minute.getSpo2Mean());
        field(point, "systolic_max", minute.getSystolicMax());
        field(point, "systolic_mean", minute.getSystolicMean());
        field(point, "diastolic_mean", minute.getDiastolicMean());
        if (minute.getClassifiedBeats() != null) {
            point.addField("classified_beats", minute.getClassifiedBeats())
                    .addField("ventricular_beats", minute.getVentricularBeats())
                    .addField("supraventricular_beats", minute.getSupraventricularBeats());
        }
        return point.build();
    }

    /**
     * An alert episode, timed at its onset. Every lifecycle event of the alert writes the same point
     * (same patient, kind and onset), so the last one read (resolved, when it ended) is what stays.
     */
    public static Point of(Alert alert) {
        Point.Builder point = Point.measurement(ALERTS).time(alert.getOpenedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("patient", alert.getPatientId()).tag("kind", alert.getKind().name())
                .addField("alert_id", alert.getAlertId()).addField("severity", alert.getSeverity().name())
                .addField("state", alert.getState().name()).addField("summary", alert.getEvidence().getSummary())
                .addField("updated_at", alert.getUpdatedAt().toEpochMilli());
        if (alert.getResolvedAt() != null) {
            point.addField("resolved_at", alert.getResolvedAt().toEpochMilli());
        }
        AlertEvidence evidence = alert.getEvidence();
        field(point, "worst_value", evidence.getWorstValue());
        if (evidence.getWorstAt() != null) {
            point.addField("worst_at", evidence.getWorstAt().toEpochMilli());
        }
        text(point, "measure", evidence.getMeasure());
        text(point, "resolution", evidence.getResolution());
        if (!evidence.getSources().isEmpty()) {
            point.addField("sources", String.join(",", evidence.getSources()));
        }
        return point.build();
    }

    private static void text(Point.Builder point, String name, String value) {
        if (value != null) {
            point.addField(name, value);
        }
    }

    private static void field(Point.Builder point, String name, Double value) {
        if (value != null) {
            point.addField(name, value);
        }
    }
}
