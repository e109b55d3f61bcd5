package org.cardiowatch.alerts.review;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.time.Instant;
import java.util.List;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.NotificationStep;
import org.junit.jupiter.api.Test;

class NotificationLoadTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void shouldCountEachClinicianssNotificationsOfTheDayAboutVisiblePatientsMostNotifiedFirst() {
        List<Notification> notifications = List.of(
                notification("1", "p1", "cardio1", NotificationState.SENT, NOW.minusSeconds(60)),
                notification("2", "p1", "cardio3", NotificationState.SENT, NOW.minusSeconds(60)),
                notification("3", "p2", "cardio3", NotificationState.SENT, NOW.minusSeconds(3600)),
                notification("4", "p2", "cardio3", NotificationState.CANCELLED, NOW.minusSeconds(60)),
                notification("5", "p2", "cardio1", NotificationState.FAILED, NOW.minusSeconds(60)),
                notification("6", "p1", "cardio1", NotificationState.PLANNED, NOW.minusSeconds(60)),
                notification("7", "p1", "cardio1", NotificationState.SENT, NOW.minusSeconds(90_000)),
                notification("8", "other", "cardio1", NotificationState.SENT, NOW.minusSeconds(60)));

        List<NotificationLoad> load = NotificationLoad.of(notifications, p -> p.startsWith("p"),
                NOW.minus(DailyReview.DAY));

        assertThat("yesterday's, pending ones and another team's patient's left out", load, contains(
                new NotificationLoad("cardio3", 2, 1, 0), new NotificationLoad("cardio1", 1, 0, 1)));
    }

    private static Notification notification(String id, String patient, String recipient, NotificationState state,
            Instant at) {
        return new Notification(id, "a-" + id, patient, recipient, NotificationStep.TREATING, NotificationChannel.WEBHOOK,
                state, at, at, 1, null, 0);
    }
}
