package org.cardiowatch.alerts.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.cardiowatch.alerts.history.InfluxHistoryStore.AlertEpisode;
import org.cardiowatch.alerts.history.InfluxHistoryStore.VitalsSummary;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.PatientReview;

/**
 * Summarises a patient's last 24 hours for the daily review, and orders the worklist: patients
 * not yet reviewed today first, then by attention, the highest first.
 *
 * <p>The attention score adds up what a cardiologist would look at first; its weights are a
 * starting point to be set with the clinical team, not a validated risk score: an open critical
 * alert 50, another open clinical alert 20, an alert raised today and not acknowledged 10, a
 * pause 15, a ventricular tachycardia episode 15, AF 1 per 10 minutes (at most 30), PVC burden 1 per
 * percent (at most 20), desaturation 1 per 5 minutes (at most 20), and, when history is on, 1 per
 * hour without data since the patient's monitoring began in the 24 hours (a patient enrolled an
 * hour ago is not 23 hours short; one who sent nothing all day is 24). The review page lists them.
 */
public final class DailyReview {

    public static final Duration DAY = Duration.ofHours(24);

    /** Not reviewed today first, then the most attention first, then by name. */
    public static final Comparator<ReviewRow> WORKLIST = Comparator.comparing(ReviewRow::reviewedToday)
            .thenComparing(Comparator.comparingInt(ReviewRow::attention).reversed())
            .thenComparing(ReviewRow::name);

    private DailyReview() {
    }

    /**
     * @param alerts the patient's alerts on the board (open, and resolved within a day)
     * @param vitals the history's summary of the day, or null when history is off
     * @param lastReview the patient's latest review, or null
     */
    public static ReviewRow summarise(String patientId, String name, List<AlertRecord> alerts, VitalsSummary vitals,
            PatientReview lastReview, Instant now) {
        Instant from = now.minus(DAY);
        long afMinutes = alerts.stream().filter(r -> r.alert().getKind() == AlertKind.ATRIAL_FIBRILLATION)
                .mapToLong(r -> AlertEpisode.overlap(r.alert().getOpenedAt(), r.alert().getResolvedAt(), from, now)
                        .toMinutes())
                .sum();
        List<AlertRecord> raisedToday = alerts.stream().filter(r -> !r.raisedAt().isBefore(from)).toList();
        int pauses = (int) raisedToday.stream().filter(r -> r.alert().getKind() == AlertKind.PAUSE).count();
        List<AlertRecord> ventricular = raisedToday.stream()
                .filter(r -> r.alert().getKind() == AlertKind.VENTRICULAR_TACHYCARDIA).toList();
        // Each episode's worst value is its longest run of ventricular beats.
        Integer longestRun = ventricular.stream().map(r -> r.alert().getEvidence().getWorstValue())
                .filter(java.util.Objects::nonNull).map(Double::intValue).max(Integer::compare).orElse(null);
        int acknowledged = (int) raisedToday.stream().filter(AlertRecord::isAcknowledged).count();
        List<AlertRecord> open = alerts.stream().filter(AlertRecord::isOpen).toList();
        int openCritical = (int) open.stream().filter(r -> r.alert().getSeverity() == AlertSeverity.CRITICAL).count();
        int openOtherClinical = (int) open.stream().filter(r -> !r.isTechnical()
                && r.alert().getSeverity() != AlertSeverity.CRITICAL).count();
        boolean reviewedToday = lastReview != null && !lastReview.getReviewedAt().isBefore(from);

        int attention = 50 * openCritical + 20 * openOtherClinical
                + 10 * (raisedToday.size() - acknowledged) + 15 * pauses + 15 * ventricular.size()
                + (int) Math.min(30, afMinutes / 10);
        Double ventricularBurden = vitals == null ? null : vitals.ventricularBurdenPercent();
        if (vitals != null) {
            attention += (int) Math.min(20, vitals.desaturationMinutes() / 5) + vitals.hoursWithoutData();
        }
        if (ventricularBurden != null) {
            attention += (int) Math.min(20, ventricularBurden);
        }
        double afBurdenPercent = Math.round(afMinutes * 1000.0 / DAY.toMinutes()) / 10.0;
        return new ReviewRow(patientId, name, vitals == null ? null : vitals.heartRateMin(),
                vitals == null ? null : vitals.heartRateMean(), vitals == null ? null : vitals.heartRateMax(),
                afMinutes, afBurdenPercent, pauses, ventricular.size(), longestRun, ventricularBurden,
                vitals == null ? null : vitals.supraventricularBurdenPercent(),
                vitals == null ? null : vitals.desaturationMinutes(),
                vitals == null ? null : vitals.hoursWithData(), vitals == null ? null : vitals.hoursMonitored(),
                raisedToday.size(), acknowledged, open.size(),
                openCritical, lastReview == null ? null : lastReview.getReviewedBy(),
                lastReview == null ? null : lastReview.getReviewedAt(), reviewedToday, attention);
    }
}
