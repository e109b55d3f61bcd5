package org.cardiowatch.alerts.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertPriority;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.cardiowatch.schemas.avro.NotificationRule;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.OnCallShift;
import org.cardiowatch.schemas.avro.QuietHours;
import org.junit.jupiter.api.Test;

class NotificationPlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final CareTeam TEAM = CareTeam.newBuilder().setPatientId("p").setTreatingPhysician("cardio1")
            .setBackupPhysician("cardio3").build();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final NotificationPlanner planner = builtIn(Map.of(NotificationChannel.WEBHOOK, recipient -> true));

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
        NotificationPlanner twoChannels = builtIn(Map.of(NotificationChannel.WEBHOOK,
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

    @Test
    void shouldTellTheCareTeamsNursesWithTheTreatingPhysician() {
        CareTeam withNurses = CareTeam.newBuilder(TEAM).setNurses(List.of("nurse1", "nurse2")).build();
        List<Notification> planned = planner.plan(record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, null),
                withNurses, List.of(), NOW);
        assertThat(describe(planned), contains("TREATING cardio1 PLANNED", "TREATING nurse1 PLANNED", "TREATING nurse2 PLANNED"));
    }

    @Test
    void shouldRepeatWhatWasSentEveryIntervalUntilSomeoneAcknowledges() {
        NotificationPlanner repeating = withPolicy(policy(List.of(rule(AlertPriority.CRITICAL, 5)), null, null, List.of()));
        AlertRecord raised = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, null);
        Notification first = repeating.plan(raised, TEAM, List.of(), NOW).get(0);
        Notification sent = NotificationPlanner.changed(first, NotificationState.SENT, NOW, 1, "HTTP 204");

        assertThat("not before the interval", repeating.plan(raised, TEAM, List.of(sent), NOW.plusSeconds(299)), empty());
        List<Notification> repeat = repeating.plan(raised, TEAM, List.of(sent), NOW.plusSeconds(300));
        assertThat(repeat.stream().map(n -> n.getRecipient() + " repeat " + n.getRepeat()).toList(),
                contains("cardio1 repeat 1"));
        assertThat("its own id", repeat.get(0).getNotificationId(), not(equalTo(first.getNotificationId())));
        assertThat("planned once", repeating.plan(raised, TEAM, List.of(sent, repeat.get(0)), NOW.plusSeconds(301)), empty());
        AlertRecord acknowledged = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, "cardio1", null);
        assertThat("no repeat once acknowledged", repeating.plan(acknowledged, TEAM, List.of(sent), NOW.plusSeconds(600)),
                empty());
    }

    @Test
    void shouldHoldAWarningDuringTheQuietHoursButNeverACriticalAlert() {
        NotificationPlanner quiet = withPolicy(policy(List.of(rule(AlertPriority.CRITICAL, null), rule(AlertPriority.WARNING, null)),
                "22:00", "07:00", List.of()));
        Instant lateEvening = Instant.parse("2026-12-05T22:30:00Z"); // 23:30 in Paris
        Instant morning = Instant.parse("2026-12-06T06:05:00Z"); // 07:05 in Paris
        AlertRecord warning = record(AlertKind.LOW_SPO2, AlertSeverity.WARNING, AlertState.OPEN, null, null);
        AlertRecord critical = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, null);

        assertThat("held at night", quiet.plan(warning, TEAM, List.of(), lateEvening), empty());
        assertThat("sent when the quiet hours end", describe(quiet.plan(warning, TEAM, List.of(), morning)),
                contains("TREATING cardio1 PLANNED"));
        assertThat("a critical alert never waits", describe(quiet.plan(critical, TEAM, List.of(), lateEvening)),
                contains("TREATING cardio1 PLANNED"));
    }

    @Test
    void shouldTellTheClinicianOnCallWhenTheEscalationGoesUnansweredForThePolicysDelay() {
        OnCallShift night = OnCallShift.newBuilder().setClinician("cardio2").setFrom(NOW.minusSeconds(3600))
                .setTo(NOW.plusSeconds(3600)).build();
        OnCallShift tomorrow = OnCallShift.newBuilder().setClinician("cardio4").setFrom(NOW.plusSeconds(86_400))
                .setTo(NOW.plusSeconds(90_000)).build();
        NotificationPolicy withRoster = policy(List.of(rule(AlertPriority.CRITICAL, null)), null, null, List.of(night, tomorrow));
        withRoster.setOnCallAfterMinutes(10);
        NotificationPlanner onCall = withPolicy(withRoster);
        AlertRecord escalated = record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, "cardio3");
        List<Notification> known = onCall.plan(escalated, TEAM, List.of(), NOW);

        assertThat(describe(known), contains("TREATING cardio1 PLANNED", "BACKUP cardio3 PLANNED"));
        assertThat("not before the delay", onCall.plan(escalated, TEAM, known, NOW.plusSeconds(599)), empty());
        assertThat("the one on call now", describe(onCall.plan(escalated, TEAM, known, NOW.plusSeconds(600))),
                contains("ON_CALL cardio2 PLANNED"));
    }

    @Test
    void shouldUseOnlyThePersonalChannelsAClinicianChoseAndAlwaysThePagingSystem() {
        NotificationPlanner choosing = new NotificationPlanner(Map.of(NotificationChannel.WEBHOOK, r -> true,
                NotificationChannel.EMAIL, r -> true, NotificationChannel.WEB_PUSH, r -> true), team -> TeamPolicy.BUILT_IN,
                (clinician, channel) -> channel != NotificationChannel.EMAIL, PARIS);
        List<Notification> planned = choosing.plan(record(AlertKind.PAUSE, AlertSeverity.CRITICAL, AlertState.OPEN, null, null),
                TEAM, List.of(), NOW);
        assertThat(planned.stream().map(n -> n.getChannel().name()).sorted().toList(), contains("WEBHOOK", "WEB_PUSH"));
    }

    @Test
    void shouldFollowTheTeamsOwnPolicyOverTheHospitals() {
        NotificationPolicy icu = policy(List.of(rule(AlertPriority.CRITICAL, null), rule(AlertPriority.TECHNICAL, null)),
                null, null, List.of());
        NotificationPolicy hospital = policy(List.of(rule(AlertPriority.CRITICAL, null)), null, null, List.of());
        NotificationPlanner teams = new NotificationPlanner(Map.of(NotificationChannel.WEBHOOK, r -> true),
                team -> new TeamPolicy("icu".equals(team) ? icu : hospital), (c, ch) -> true, PARIS);
        AlertRecord signalLost = record(AlertKind.SIGNAL_LOSS, AlertSeverity.WARNING, AlertState.OPEN, null, null);
        AlertRecord lowSpo2 = record(AlertKind.LOW_SPO2, AlertSeverity.WARNING, AlertState.OPEN, null, null);

        assertThat("the ICU is told of a lost signal", teams.plan(signalLost,
                CareTeam.newBuilder(TEAM).setTeam("icu").build(), List.of(), NOW), not(empty()));
        assertThat("other teams are not", teams.plan(signalLost, TEAM, List.of(), NOW), empty());
        assertThat("the hospital's policy has no warning rule: the dashboard only", teams.plan(lowSpo2, TEAM, List.of(), NOW),
                empty());
    }

    private static NotificationPlanner builtIn(Map<NotificationChannel, java.util.function.Predicate<String>> channels) {
        return new NotificationPlanner(channels, team -> TeamPolicy.BUILT_IN, (clinician, channel) -> true, PARIS);
    }

    private static NotificationPlanner withPolicy(NotificationPolicy policy) {
        return new NotificationPlanner(Map.of(NotificationChannel.WEBHOOK, recipient -> true), team -> new TeamPolicy(policy),
                (clinician, channel) -> true, PARIS);
    }

    private static NotificationRule rule(AlertPriority priority, Integer repeatEveryMinutes) {
        return NotificationRule.newBuilder().setPriority(priority).setChannels(List.of("WEBHOOK"))
                .setRepeatEveryMinutes(repeatEveryMinutes).build();
    }

    private static NotificationPolicy policy(List<NotificationRule> rules, String quietFrom, String quietTo,
            List<OnCallShift> onCall) {
        return NotificationPolicy.newBuilder().setTeam("t").setRules(rules)
                .setQuietHours(quietFrom == null ? null : QuietHours.newBuilder().setFrom(quietFrom).setTo(quietTo).build())
                .setOnCall(onCall).setSetBy("admin").setSetAt(NOW).build();
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
