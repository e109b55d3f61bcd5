package org.cardiowatch.alerts.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertPriority;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationRule;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.NotificationStep;

/**
 * Who is told of an alert, and when a pending notification is called off, as the patient's team's
 * policy ({@link TeamPolicy}) says. An alert of a priority the policy has a rule for goes, on every
 * channel of the rule at once, to the treating physician and the care team's nurses when it is
 * raised, to the backup physician when it is escalated, and to the clinician on call when the
 * escalation too went unanswered for the policy's delay; each again every repeat interval while
 * nobody acknowledges. The quiet hours hold a warning or technical alert until they end; never a
 * critical one. A clinician who chose their personal channels (e-mail, Web Push) is told only on
 * those. Once the alert is acknowledged or resolved, every notification of it not yet sent is
 * cancelled. Each (alert, step, recipient, channel, repeat) is one notification, planned once.
 */
public final class NotificationPlanner {

    private final Map<NotificationChannel, Predicate<String>> channels;
    private final Function<String, TeamPolicy> policyOfTeam;
    private final BiPredicate<String, NotificationChannel> accepts;
    private final ZoneId zone;

    /**
     * @param channels the channels in use, each with whether it reaches a clinician (e-mail: those with an address)
     * @param policyOfTeam the policy of a team (null: a care team without a team), the hospital's or the built-in one
     * @param accepts whether a clinician accepts a channel (their choice of personal channels)
     * @param zone the hospital's time zone, in which the quiet hours are
     */
    public NotificationPlanner(Map<NotificationChannel, Predicate<String>> channels, Function<String, TeamPolicy> policyOfTeam,
            BiPredicate<String, NotificationChannel> accepts, ZoneId zone) {
        this.channels = new EnumMap<>(channels);
        this.policyOfTeam = policyOfTeam;
        this.accepts = accepts;
        this.zone = zone;
    }

    /** The id of one step's notification to one recipient through one channel: the same step, the same id. */
    public static String notificationId(String alertId, NotificationStep step, String recipient, NotificationChannel channel) {
        return notificationId(alertId, step, recipient, channel, 0);
    }

    /** The id of a repeat (0: the step's first notification, whose id has no repeat in it). */
    public static String notificationId(String alertId, NotificationStep step, String recipient, NotificationChannel channel,
            int repeat) {
        String name = String.join("|", "notification", alertId, step.name(), recipient, channel.name())
                + (repeat == 0 ? "" : "|repeat|" + repeat);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * @param team the patient's care team, or null
     * @param known the notifications of this alert already planned (any state)
     * @return the notifications to write: new ones planned, pending ones cancelled
     */
    public List<Notification> plan(AlertRecord alert, CareTeam team, List<Notification> known, Instant now) {
        List<Notification> changes = new ArrayList<>();
        if (!alert.isOpen() || alert.isAcknowledged()) {
            String reason = alert.isAcknowledged() ? "acknowledged by " + alert.acknowledgedBy() : "resolved";
            for (Notification pending : known) {
                if (pending.getState() == NotificationState.PLANNED) {
                    changes.add(changed(pending, NotificationState.CANCELLED, now, pending.getAttempts(), reason));
                }
            }
            return changes;
        }
        Optional<AlertPriority> priority = TeamPolicy.priorityOf(alert);
        TeamPolicy policy = policyOfTeam.apply(team == null ? null : team.getTeam());
        Optional<NotificationRule> rule = priority.flatMap(policy::ruleFor);
        if (rule.isEmpty() || policy.holds(priority.get(), now, zone)) {
            return changes;
        }
        Set<NotificationChannel> ruleChannels = TeamPolicy.channelsOf(rule.get());
        recipients(alert, team, policy, now).forEach((recipient, step) ->
                channels.forEach((channel, reaches) -> {
                    if (ruleChannels.contains(channel) && reaches.test(recipient) && accepts.test(recipient, channel)) {
                        planOnce(alert, step, recipient, channel, 0, known, now, changes);
                    }
                }));
        TeamPolicy.repeatOf(rule.get()).ifPresent(every -> planRepeats(alert, every, known, now, changes));
        return changes;
    }

    /** Each recipient due now, with the first step that names them. */
    private static Map<String, NotificationStep> recipients(AlertRecord alert, CareTeam team, TeamPolicy policy, Instant now) {
        Map<String, NotificationStep> recipients = new LinkedHashMap<>();
        if (team != null && team.getTreatingPhysician() != null) {
            recipients.putIfAbsent(team.getTreatingPhysician(), NotificationStep.TREATING);
            team.getNurses().forEach(nurse -> recipients.putIfAbsent(nurse, NotificationStep.TREATING));
        }
        if (alert.isEscalated()) {
            recipients.putIfAbsent(alert.escalatedTo(), NotificationStep.BACKUP);
            Optional<Duration> onCallAfter = policy.onCallAfter();
            if (onCallAfter.isPresent() && !now.isBefore(alert.escalatedAt().plus(onCallAfter.get()))) {
                policy.onCallAt(now).forEach(clinician -> recipients.putIfAbsent(clinician, NotificationStep.ON_CALL));
            }
        }
        return recipients;
    }

    /** The next repeat of each notification sent, once its interval has passed since it was sent. */
    private static void planRepeats(AlertRecord alert, Duration every, List<Notification> known, Instant now,
            List<Notification> changes) {
        for (Notification sent : known) {
            if (sent.getState() == NotificationState.SENT && !now.isBefore(sent.getUpdatedAt().plus(every))) {
                planOnce(alert, sent.getStep(), sent.getRecipient(), sent.getChannel(), sent.getRepeat() + 1, known, now,
                        changes);
            }
        }
    }

    /**
     * The notification with a new state. (Field by field: Avro's copying builder resolves enums
     * through a class loader of its own, which a Quarkus test's class loaders do not share.)
     */
    public static Notification changed(Notification n, NotificationState state, Instant at, int attempts, String reason) {
        return new Notification(n.getNotificationId(), n.getAlertId(), n.getPatientId(), n.getRecipient(), n.getStep(),
                n.getChannel(), state, n.getPlannedAt(), at, attempts, reason, n.getRepeat());
    }

    private static void planOnce(AlertRecord alert, NotificationStep step, String recipient, NotificationChannel channel,
            int repeat, List<Notification> known, Instant now, List<Notification> changes) {
        String id = notificationId(alert.id(), step, recipient, channel, repeat);
        if (known.stream().anyMatch(n -> n.getNotificationId().equals(id))
                || changes.stream().anyMatch(n -> n.getNotificationId().equals(id))) {
            return;
        }
        changes.add(Notification.newBuilder().setNotificationId(id).setAlertId(alert.id())
                .setPatientId(alert.patientId()).setRecipient(recipient).setStep(step).setChannel(channel)
                .setState(NotificationState.PLANNED).setPlannedAt(now).setUpdatedAt(now).setAttempts(0).setRepeat(repeat)
                .build());
    }
}
