package org.cardiowatch.alerts.review;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationState;

/**
 * How many notifications one clinician received about the team's patients in the last 24 hours
 * (sent), and how many were cancelled by an acknowledgement or failed: so a team sees who is
 * over-notified (alarm fatigue) and whose channel fails.
 */
public record NotificationLoad(String clinician, int sent, int cancelled, int failed) {

    /** Most notified first. */
    static final Comparator<NotificationLoad> MOST_NOTIFIED = Comparator.comparingInt(NotificationLoad::sent).reversed()
            .thenComparing(NotificationLoad::clinician);

    /**
     * @param visiblePatient whether a patient is one of the asking clinician's
     * @param from the window's start: a notification counts when it was last changed (sent, cancelled, failed) since
     */
    static List<NotificationLoad> of(Collection<Notification> notifications, Predicate<String> visiblePatient,
            Instant from) {
        Map<String, int[]> counts = new TreeMap<>();
        for (Notification n : notifications) {
            if (!visiblePatient.test(n.getPatientId()) || n.getUpdatedAt().isBefore(from)
                    || n.getState() == NotificationState.PLANNED) {
                continue;
            }
            int[] c = counts.computeIfAbsent(n.getRecipient(), r -> new int[3]);
            c[n.getState() == NotificationState.SENT ? 0 : n.getState() == NotificationState.CANCELLED ? 1 : 2]++;
        }
        return counts.entrySet().stream()
                .map(e -> new NotificationLoad(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .sorted(MOST_NOTIFIED).toList();
    }
}
