package org.cardiowatch.processor.detection;

import java.time.Duration;
import java.util.List;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.PatientThresholds;

/**
 * The limits that apply when the physician set none, and how a patient's own limits
 * (cw.thresholds) replace them field by field.
 */
public record ThresholdDefaults(double heartRateLowBpm, double heartRateHighBpm, double spo2LowPercent,
        double systolicHighMmHg, double systolicLowMmHg, Duration sustain) {

    static final double HEART_RATE_HYSTERESIS_BPM = 5;
    static final double SPO2_HYSTERESIS_PERCENT = 2;
    static final double SYSTOLIC_HYSTERESIS_MMHG = 10;

    /** Common adult limits for remote cardiac monitoring; every one is configurable. */
    public static final ThresholdDefaults CLINICAL = new ThresholdDefaults(40, 130, 90, 180, 85, Duration.ofSeconds(60));

    /** The rules for one patient; {@code own} may be null (no limits set for the patient). */
    public List<ThresholdRule> rulesFor(PatientThresholds own) {
        return List.of(
                new ThresholdRule(AlertKind.BRADYCARDIA, Measure.HEART_RATE, ThresholdRule.Direction.BELOW,
                        pick(own == null ? null : own.getHeartRateLowBpm(), heartRateLowBpm),
                        HEART_RATE_HYSTERESIS_BPM, AlertSeverity.CRITICAL),
                new ThresholdRule(AlertKind.TACHYCARDIA, Measure.HEART_RATE, ThresholdRule.Direction.ABOVE,
                        pick(own == null ? null : own.getHeartRateHighBpm(), heartRateHighBpm),
                        HEART_RATE_HYSTERESIS_BPM, AlertSeverity.CRITICAL),
                new ThresholdRule(AlertKind.LOW_SPO2, Measure.SPO2, ThresholdRule.Direction.BELOW,
                        pick(own == null ? null : own.getSpo2LowPercent(), spo2LowPercent),
                        SPO2_HYSTERESIS_PERCENT, AlertSeverity.CRITICAL),
                new ThresholdRule(AlertKind.HIGH_SYSTOLIC, Measure.SYSTOLIC, ThresholdRule.Direction.ABOVE,
                        pick(own == null ? null : own.getSystolicHighMmHg(), systolicHighMmHg),
                        SYSTOLIC_HYSTERESIS_MMHG, AlertSeverity.WARNING),
                new ThresholdRule(AlertKind.LOW_SYSTOLIC, Measure.SYSTOLIC, ThresholdRule.Direction.BELOW,
                        pick(own == null ? null : own.getSystolicLowMmHg(), systolicLowMmHg),
                        SYSTOLIC_HYSTERESIS_MMHG, AlertSeverity.WARNING));
    }

    public Duration sustainFor(PatientThresholds own) {
        return own == null || own.getSustainSeconds() == null ? sustain : Duration.ofSeconds(own.getSustainSeconds());
    }

    private static double pick(Double own, double fallback) {
        return own == null ? fallback : own;
    }
}
