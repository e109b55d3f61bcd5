package org.cardiowatch.alerts.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Notification;

/**
 * The notifications of one patient's alerts to one recipient through one channel, sent as one
 * message (alarm fatigue: three alerts of one patient in a minute are one message, not three),
 * the most severe first. A group of one is the notification alone.
 *
 * @param notifications in the order of {@code alerts}: the same index, the same alert
 */
public record NotificationGroup(List<Notification> notifications, List<AlertRecord> alerts) {

    public NotificationGroup {
        if (notifications.isEmpty() || notifications.size() != alerts.size()) {
            throw new IllegalArgumentException("a group is one notification or more, each with its alert");
        }
        notifications = List.copyOf(notifications);
        alerts = List.copyOf(alerts);
    }

    /** The group of the given notifications and alerts, most severe first, then the earliest raised. */
    public static NotificationGroup of(List<Notification> notifications, List<AlertRecord> alerts) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < notifications.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> alerts.get(i).alert().getSeverity().ordinal()).reversed()
                .thenComparing(i -> alerts.get(i).raisedAt()));
        return new NotificationGroup(order.stream().map(notifications::get).toList(), order.stream().map(alerts::get).toList());
    }

    public static NotificationGroup single(Notification notification, AlertRecord alert) {
        return new NotificationGroup(List.of(notification), List.of(alert));
    }

    /** The notification the message leads with: the most severe. */
    public Notification lead() {
        return notifications.get(0);
    }

    public AlertRecord leadAlert() {
        return alerts.get(0);
    }

    public int size() {
        return notifications.size();
    }

    /**
     * The message's id at the receiver (idempotency key, Message-ID): the notification's own for one,
     * one derived from all of them for a group, so the same group sent again is the same message.
     */
    public String messageId() {
        if (size() == 1) {
            return lead().getNotificationId();
        }
        String ids = String.join("|", notifications.stream().map(Notification::getNotificationId).sorted().toList());
        return UUID.nameUUIDFromBytes(("group|" + ids).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** "critical tachycardia, warning low spo2": what a group's message lists, nothing of the patient. */
    public String kinds() {
        return String.join(", ", alerts.stream().map(alert -> alert.alert().getSeverity().name().toLowerCase(Locale.ROOT)
                + " " + kindOf(alert)).toList());
    }

    /** An alert's kind as a message says it: "ventricular tachycardia". */
    public static String kindOf(AlertRecord alert) {
        return alert.alert().getKind().name().replace('_', ' ').toLowerCase(Locale.ROOT);
    }
}
