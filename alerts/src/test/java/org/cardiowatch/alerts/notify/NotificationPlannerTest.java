package org.cardiowatch.alerts.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.junit.jupiter.api.Test;

class NotificationPlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final CareTeam TEAM = CareTeam.newBuilder().setPatientId("p").setTreatingPhysician("cardio1")
            .setBackupPhysician("cardio3").build();
    private final NotificationPlanner planner = new NotificationPlanner(
            java.util.Map.of(NotificationChannel.WEBHOOK, recipient -> true));

    @Test
    void shouldPlanTheTreatingPhysicianOnceForACriticalAlert() {
        AlertRecord alert = record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.OPEN, null, null);

        List<Notification> first = planner.plan(alert, TEAM, List.of(), NOW);
        List<Notification> again = planner.plan(alert, TEAM, first, NOW.plusSeconds(1));

        assertThat(describe(first), contains("TREATING cardio1 PLANNED"));
        assertThat("planned once", again, empty());
    }

    @Test
    void shouldPlanEveryChannelThatReachesTheRecipientAndNoOther() {
        NotificationPlanner twoChannels = new NotificationPlanner(java.util.Map.of(NotificationChannel.WEBHOOK,
                recipient -> true, NotificationChannel.EMAIL, "cardio1"::equals));
        AlertRecord raised = record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.OPEN, null, null);
        List<Notification> known = new ArrayList<>(twoChannels.plan(raised, TEAM, List.of(), NOW));
        AlertRecord escalated = record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.OPEN, null, "cardio3");

        assertThat("cardio1 has an address", known.stream().map(n -> n.getChannel().name()).sorted().toList(),
                contains("EMAIL", "WEBHOOK"));
        assertThat("cardio3 has none: paged only", twoChannels.plan(escalated, TEAM, known, NOW.plusSeconds(300)).stream()
                .map(n -> n.getRecipient() + " " + n.getChannel()).toList(), contains("cardio3 WEBHOOK"));
        assertThat("one notification id per channel", known.stream().map(Notification::getNotificationId).distinct()
                .count(), equalTo(2L));
    }

    @Test
    void shouldPlanTheBackupOnceEscalated() {
        AlertRecord raised = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, null);
        List<Notification> known = new ArrayList<>(planner.plan(raised, TEAM, List.of(), NOW));
        AlertRecord escalated = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, "cardio3");

        assertThat(describe(planner.plan(escalated, TEAM, known, NOW.plusSeconds(300))), contains("BACKUP cardio3 PLANNED"));
    }

    @Test
    void shouldLeaveInformationalAndTechnicalAlertsAndTeamlessPatientsAlone() {
        assertThat(planner.plan(record(AlertKind.BIGEMINY, AlertSeverity.INFO, AlertState.OPEN, null, null), TEAM,
                List.of(), NOW), empty());
        assertThat(planner.plan(record(AlertKind.SIGNAL_LOSS, AlertSeverity.WARNING, AlertState.OPEN, null, null), TEAM,
                List.of(), NOW), empty());
        assertThat(planner.plan(record(AlertKind.LOW_SPO2, AlertSeverity.WARNING, AlertState.OPEN, null, null), null,
                List.of(), NOW), empty());
    }

    @Test
    void shouldCancelWhatIsStillPendingOnceAcknowledgedOrResolvedAndLeaveWhatWasSent() {
        AlertRecord raised = record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.OPEN, null, "cardio3");
        List<Notification> planned = planner.plan(raised, TEAM, List.of(), NOW);
        Notification sent = NotificationPlanner.changed(planned.get(0), NotificationState.SENT, NOW, 1, "HTTP 204");
        List<Notification> known = List.of(sent, planned.get(1));

        List<Notification> acknowledged = planner.plan(
                record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.OPEN, "cardio1", "cardio3"), TEAM, known, NOW);
        List<Notification> resolved = planner.plan(
                record(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, AlertState.RESOLVED, null, "cardio3"), TEAM, known, NOW);

        assertThat(describe(acknowledged), contains("BACKUP cardio3 CANCELLED"));
        assertThat(acknowledged.get(0).getReason(), equalTo("acknowledged by cardio1"));
        assertThat(resolved.get(0).getReason(), equalTo("resolved"));
    }

    @Test
    void shouldGiveEachStepRecipientAndChannelItsOwnStableId() {
        String id = NotificationPlanner.notificationId("a-1", org.cardiowatch.schemas.avro.NotificationStep.TREATING,
                "cardio1", NotificationChannel.WEBHOOK);

        assertThat(id, equalTo(NotificationPlanner.notificationId("a-1",
                org.cardiowatch.schemas.avro.NotificationStep.TREATING, "cardio1", NotificationChannel.WEBHOOK)));
        assertThat(id, not(equalTo(NotificationPlanner.notificationId("a-1",
                org.cardiowatch.schemas.avro.NotificationStep.BACKUP, "cardio1", NotificationChannel.WEBHOOK))));
        assertThat(id, not(equalTo(NotificationPlanner.notificationId("a-1",
                org.cardiowatch.schemas.avro.NotificationStep.TREATING, "cardio1", NotificationChannel.EMAIL))));
    }

    private static List<String> describe(List<Notification> notifications) {
        return notifications.stream().map(n -> n.getStep() + " " + n.getRecipient() + " " + n.getState()).toList();
    }

    private static AlertRecord record(AlertKind kind, AlertSeverity severity, AlertState state, String acknowledgedBy,
            String escalatedTo) {
        Alert alert = Alert.newBuilder().setAlertId("a-1").setPatientId("p").setKind(kind).setSeverity(severity)
                .setState(state).setOpenedAt(NOW).setUpdatedAt(NOW)
                .setResolvedAt(state == AlertState.RESOLVED ? NOW : null)
                .setEvidence(AlertEvidence.newBuilder().setSummary("test").build()).build();
        return new AlertRecord(alert, NOW, acknowledgedBy, acknowledgedBy == null ? null : NOW, escalatedTo,
                escalatedTo == null ? null : NOW);
    }
}
