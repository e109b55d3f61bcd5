package org.cardiowatch.alerts.review;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.cardiowatch.alerts.history.InfluxHistoryStore.VitalsSummary;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.PatientReview;
import org.junit.jupiter.api.Test;

class DailyReviewTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final VitalsSummary FULL_DAY = new VitalsSummary(55.0, 70.0, 110.0, 0, 24);

    @Test
    void shouldCountOnlyTheAfWithinTheLastDayAndAnOpenEpisodeUntilNow() {
        ReviewRow row = summarise(List.of(
                record(AlertKind.ATRIAL_FIBRILLATION, AlertSeverity.WARNING, hoursAgo(26), hoursAgo(23), null),
                record(AlertKind.ATRIAL_FIBRILLATION, AlertSeverity.WARNING, hoursAgo(2), null, null)), FULL_DAY, null);

        assertThat("one hour of yesterday's episode and the two hours of the open one", row.afMinutes(), is(180L));
        assertThat(row.afBurdenPercent(), is(12.5));
        assertThat(row.openAlerts(), is(1));
    }

    @Test
    void shouldCountPausesAndAcknowledgementsOfTheDay() {
        ReviewRow row = summarise(List.of(
                record(AlertKind.PAUSE, AlertSeverity.CRITICAL, hoursAgo(5), hoursAgo(5), "cardio1"),
                record(AlertKind.PAUSE, AlertSeverity.CRITICAL, hoursAgo(1), null, null),
                record(AlertKind.LOW_SPO2, AlertSeverity.WARNING, hoursAgo(30), hoursAgo(29), "cardio1")), FULL_DAY, null);

        assertThat(row.pauses(), is(2));
        assertThat("the day's alerts; yesterday's is not", row.alertsRaised(), is(2));
        assertThat(row.alertsAcknowledged(), is(1));
        assertThat(row.openCritical(), is(1));
    }

    @Test
    void shouldPutUnreviewedPatientsFirstThenTheOnesNeedingMostAttention() {
        ReviewRow quiet = summarise("quiet", List.of(), FULL_DAY, null);
        ReviewRow silent = summarise("silent", List.of(), new VitalsSummary(null, null, null, 0, 4), null);
        ReviewRow critical = summarise("critical",
                List.of(record(AlertKind.PAUSE, AlertSeverity.CRITICAL, hoursAgo(1), null, null)), FULL_DAY, null);
        ReviewRow reviewedCritical = summarise("reviewed",
                List.of(record(AlertKind.PAUSE, AlertSeverity.CRITICAL, hoursAgo(1), null, null)), FULL_DAY,
                PatientReview.newBuilder().setPatientId("reviewed").setReviewedBy("cardio1").setReviewedAt(hoursAgo(1))
                        .build());

        assertThat("20 hours without data need a look", silent.attention(), greaterThan(quiet.attention()));
        assertThat(reviewedCritical.reviewedToday(), is(true));
        assertThat(Stream.of(quiet, reviewedCritical, silent, critical).sorted(DailyReview.WORKLIST)
                .map(ReviewRow::patientId).toList(), contains("critical", "silent", "quiet", "reviewed"));
    }

    @Test
    void shouldCountTheHoursWithoutDataSinceMonitoringBeganNotSinceTheDayBegan() {
        ReviewRow quiet = summarise("quiet", List.of(), FULL_DAY, null);
        ReviewRow enrolledAnHourAgo = summarise("new", List.of(),
                new VitalsSummary(60.0, 70.0, 80.0, 0, 1, 1, 0, 0, 0), null);
        ReviewRow stoppedSending = summarise("stopped", List.of(),
                new VitalsSummary(60.0, 70.0, 80.0, 0, 3, 10, 0, 0, 0), null);

        assertThat("a patient monitored for an hour is not 23 hours short", enrolledAnHourAgo.attention(),
                is(quiet.attention()));
        assertThat("7 of 10 hours without data", stoppedSending.attention() - quiet.attention(), is(7));
        assertThat(stoppedSending.hoursMonitored(), is(10));
    }

    @Test
    void shouldSummariseWithoutHistoryAndTreatAReviewOfYesterdayAsNotToday() {
        ReviewRow row = summarise("p", List.of(), null, PatientReview.newBuilder().setPatientId("p")
                .setReviewedBy("cardio1").setReviewedAt(hoursAgo(25)).build());

        assertThat(row.heartRateMean(), is((Double) null));
        assertThat(row.hoursWithData(), is((Integer) null));
        assertThat(row.reviewedToday(), is(false));
        assertThat(row.reviewedBy(), equalTo("cardio1"));
    }

    private static ReviewRow summarise(List<AlertRecord> alerts, VitalsSummary vitals, PatientReview review) {
        return summarise("p", alerts, vitals, review);
    }

    private static ReviewRow summarise(String id, List<AlertRecord> alerts, VitalsSummary vitals, PatientReview review) {
        return DailyReview.summarise(id, id, alerts, vitals, review, NOW);
    }

    private static Instant hoursAgo(int hours) {
        return NOW.minus(Duration.ofHours(hours));
    }

    @Test
    void shouldCountTheDaysVentricularTachycardiasAndTheirLongestRun() {
        ReviewRow row = summarise(List.of(
                record(AlertKind.VENTRICULAR_TACHYCARDIA, AlertSeverity.WARNING, hoursAgo(30), hoursAgo(30), "cardio1", 40.0),
                record(AlertKind.VENTRICULAR_TACHYCARDIA, AlertSeverity.WARNING, hoursAgo(6), hoursAgo(6), "cardio1", 5.0),
                record(AlertKind.VENTRICULAR_TACHYCARDIA, AlertSeverity.CRITICAL, hoursAgo(2), hoursAgo(2), "cardio1", 12.0)),
                FULL_DAY, null);
        ReviewRow none = summarise(List.of(), FULL_DAY, null);

        assertThat("the day's two episodes, not yesterday's", row.ventricularTachycardias(), is(2));
        assertThat("the longest run of the day's", row.longestVentricularRun(), is(12));
        assertThat(none.longestVentricularRun(), nullValue());
        assertThat("each episode asks for attention", row.attention() - none.attention(), is(30));
    }

    @Test
    void shouldGiveTheEctopicBurdensOfTheDaysEcgBeatsAndAskForAttentionWithThePvcBurden() {
        ReviewRow frequent = summarise(List.of(), new VitalsSummary(55.0, 70.0, 110.0, 0, 24, 24, 1000, 150, 23), null);
        ReviewRow constant = summarise(List.of(), new VitalsSummary(55.0, 70.0, 110.0, 0, 24, 24, 1000, 400, 0), null);
        ReviewRow wearableOnly = summarise(List.of(), FULL_DAY, null);

        assertThat(frequent.ventricularBurdenPercent(), is(15.0));
        assertThat(frequent.supraventricularBurdenPercent(), is(2.3));
        assertThat("no ECG, no burden (not 0 %)", wearableOnly.ventricularBurdenPercent(), nullValue());
        assertThat(wearableOnly.supraventricularBurdenPercent(), nullValue());
        assertThat("1 per percent", frequent.attention() - wearableOnly.attention(), is(15));
        assertThat("at most 20", constant.attention() - wearableOnly.attention(), is(20));
    }

    private static AlertRecord record(AlertKind kind, AlertSeverity severity, Instant onset, Instant resolved,
            String acknowledgedBy) {
        return record(kind, severity, onset, resolved, acknowledgedBy, null);
    }

    private static AlertRecord record(AlertKind kind, AlertSeverity severity, Instant onset, Instant resolved,
            String acknowledgedBy, Double worstValue) {
        Alert alert = Alert.newBuilder().setAlertId(kind + "-" + onset).setPatientId("p").setKind(kind)
                .setSeverity(severity).setState(resolved == null ? AlertState.OPEN : AlertState.RESOLVED)
                .setOpenedAt(onset).setUpdatedAt(resolved == null ? onset : resolved).setResolvedAt(resolved)
                .setEvidence(AlertEvidence.newBuilder().setSummary("test").setWorstValue(worstValue).build()).build();
        return new AlertRecord(alert, onset, acknowledgedBy, acknowledgedBy == null ? null : onset.plusSeconds(60),
                null, null);
    }
}
