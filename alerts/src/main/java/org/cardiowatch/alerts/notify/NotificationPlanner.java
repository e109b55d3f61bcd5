package org.cardiowatch.alerts.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.NotificationStep;

/**
 * Who is told of an alert, and when a pending notification is called off. A clinical alert that is
 * critical or a warning (in the spirit of IEC 60601-1-8's high and medium priorities) goes to the
 * treating physician when it is raised, and to the backup physician when it is escalated; an
 * informational or technical alert stays on the dashboard. Once the alert is acknowledged or
 * resolved, every notification of it not yet sent is cancelled. Each (alert, step, recipient,
 * channel) is one notification, planned once, on every channel that reaches the recipient.
 */
public final class NotificationPlanner {

    /** The channels in use, each with whether it reaches a clinician (e-mail: those with an address). */
    private final Map<NotificationChannel, Predicate<String>> channels;

    public NotificationPlanner(Map<NotificationChannel, Predicate<String>> channels) {
        this.channels = new EnumMap<>(channels);
    }

    /** The id of one step's notification to one recipient through one channel: the same step, the same id. */
    public static String notificationId(String alertId, NotificationStep step, String recipient, NotificationChannel channel) {
        String name = String.join("|", "notification", alertId, step.name(), recipient, channel.name());
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
        if (alert.isTechnical() || alert.alert().getSeverity() == AlertSeverity.INFO) {
            return changes;
        }
        if (team != null && team.getTreatingPhysician() != null) {
            planEveryChannel(alert, NotificationStep.TREATING, team.getTreatingPhysician(), known, now, changes);
        }
        if (alert.isEscalated()) {
            planEveryChannel(alert, NotificationStep.BACKUP, alert.escalatedTo(), known, now, changes);
        }
        return changes;
    }

    /**
     * The notification with a new state. (Field by field: Avro's copying builder resolves enums
     * through a class loader of its own, which a Quarkus test's class loaders do not share.)
     */
    public static Notification changed(Notification n, NotificationState state, Instant at, int attempts, String reason) {
        return new Notification(n.getNotificationId(), n.getAlertId(), n.getPatientId(), n.getRecipient(), n.getStep(),
                n.getChannel(), state, n.getPlannedAt(), at, attempts, reason);
    }

    private void planEveryChannel(AlertRecord alert, NotificationStep step, String recipient, List<Notification> known,
            Instant now, List<Notification> changes) {
        channels.forEach((channel, reaches) -> {
            if (reaches.test(recipient)) {
                planOnce(alert, step, recipient, channel, known, now, changes);
            }
        });
    }

    private static void planOnce(AlertRecord alert, NotificationStep step, String recipient, NotificationChannel channel,
            List<Notification> known, Instant now, List<Notification> changes) {
        String id = notificationId(alert.id(), step, recipient, channel);
        if (known.stream().anyMatch(n -> n.getNotificationId().equals(id))) {
            return;
        }
        changes.add(Notification.newBuilder().setNotificationId(id).setAlertId(alert.id())
                .setPatientId(alert.patientId()).setRecipient(recipient).setStep(step).setChannel(channel)
                .setState(NotificationState.PLANNED).setPlannedAt(now).setUpdatedAt(now).setAttempts(0).build());
    }
}
