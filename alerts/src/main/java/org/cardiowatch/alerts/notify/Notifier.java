package org.cardiowatch.alerts.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cardiowatch.alerts.messaging.AlertBoard;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.topics.TopicFollower;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans, sends and records the notifications of the alerts this instance owns (the escalation's
 * partitions of the alert ids), one check at a time on one thread. Every notification is in
 * cw.notifications with its state before it is sent and after: a restart reads them back first,
 * so it sends what was planned and not sent, and nothing twice (a crash in the instant between a
 * send and its record sends it once more, with the same idempotency key). What the channel cannot
 * take now is tried again, the pause doubling up to {@link #LONGEST_PAUSE}, for as long as the
 * alert stays open and unacknowledged; an acknowledgement or the resolution cancels whatever is
 * still pending. Nothing of the patient is logged.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(5);

    /** Where a notification's sending, failure or cancellation is recorded (the audit trail). */
    public interface Record {
        void notification(String action, Notification notification, String detail);
    }

    private final AlertBoard board;
    private final Function<String, Optional<CareTeam>> careTeams;
    private final Predicate<String> owns;
    private final BooleanSupplier boardReady;
    private final NotificationPlanner planner;
    private final Map<NotificationChannel, NotificationSender> senders;
    private final Duration retryPause;
    private final TopicWriter writer;
    private final Record record;
    private final Clock clock;
    private final TopicFollower follower;
    private final Map<String, Notification> notifications = new ConcurrentHashMap<>();
    private volatile boolean readBack;

    /**
     * @param owns whether this instance owns an alert (sends its notifications)
     * @param boardReady whether the board has read every alert and action there was at start
     */
    public Notifier(AlertBoard board, Function<String, Optional<CareTeam>> careTeams, Predicate<String> owns,
            BooleanSupplier boardReady, NotificationPlanner planner, Map<NotificationChannel, NotificationSender> senders,
            Duration retryPause, TopicWriter writer, Record record, Clock clock, String bootstrapServers,
            Map<String, Object> clientConfig) {
        this.board = board;
        this.careTeams = careTeams;
        this.owns = owns;
        this.boardReady = boardReady;
        this.planner = planner;
        this.senders = Map.copyOf(senders);
        this.retryPause = retryPause;
        this.writer = writer;
        this.record = record;
        this.clock = clock;
        this.follower = new TopicFollower("notifications", bootstrapServers, clientConfig,
                List.of(Topics.NOTIFICATIONS.name()), Instant.EPOCH, this::onRecord);
    }

    public Notifier start() {
        follower.start();
        return this;
    }

    /** Whether every notification state there was at start has been read. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /** The notifications known, in any state (for tests and the health of the service). */
    public Map<String, Notification> notifications() {
        return Map.copyOf(notifications);
    }

    /** Plans what is due, cancels what an acknowledgement or resolution made moot, sends what waits. */
    public void check() {
        if (!boardReady.getAsBoolean() || !follower.isCaughtUp()) {
            return;
        }
        readBack = true;
        Instant now = clock.instant();
        Map<String, List<Notification>> byAlert = notifications.values().stream()
                .collect(Collectors.groupingBy(Notification::getAlertId));
        for (AlertRecord alert : board.all()) {
            if (!owns.test(alert.id())) {
                continue;
            }
            CareTeam team = careTeams.apply(alert.patientId()).orElse(null);
            for (Notification change : planner.plan(alert, team, byAlert.getOrDefault(alert.id(), List.of()), now)) {
                save(change);
                if (change.getState() == NotificationState.CANCELLED) {
                    record.notification("notification.cancelled", change, change.getReason());
                }
            }
        }
        for (Notification pending : new ArrayList<>(notifications.values())) {
            if (pending.getState() == NotificationState.PLANNED && owns.test(pending.getAlertId())
                    && !now.isBefore(nextAttempt(pending))) {
                board.get(pending.getAlertId()).ifPresent(alert -> send(pending, alert, now));
            }
        }
        forgetWhatTheBoardForgot();
    }

    /** Removes an erased patient's notifications, here and in cw.notifications. */
    public void forget(String patientId) {
        for (Notification n : new ArrayList<>(notifications.values())) {
            if (n.getPatientId().equals(patientId)) {
                notifications.remove(n.getNotificationId());
                writer.write(Topics.NOTIFICATIONS, n.getNotificationId(), null);
            }
        }
    }

    private void send(Notification pending, AlertRecord alert, Instant now) {
        NotificationSender sender = senders.get(pending.getChannel());
        // A channel switched off since the notification was planned cannot deliver it.
        NotificationSender.Result result = sender != null ? sender.send(pending, alert)
                : new NotificationSender.Result(NotificationSender.Outcome.REFUSED, pending.getChannel() + " is off");
        int attempts = pending.getAttempts() + 1;
        switch (result.outcome()) {
            case ACCEPTED -> {
                Notification sent = NotificationPlanner.changed(pending, NotificationState.SENT, now, attempts, result.detail());
                save(sent);
                record.notification("notification.sent", sent, result.detail());
                LOG.info("Notification {} of alert {} sent to {} ({})", pending.getNotificationId(), pending.getAlertId(),
                        pending.getRecipient(), result.detail());
            }
            case REFUSED -> {
                Notification failed = NotificationPlanner.changed(pending, NotificationState.FAILED, now, attempts,
                        result.detail());
                save(failed);
                record.notification("notification.failed", failed, result.detail());
                LOG.error("Notification {} of alert {} refused by {} ({}): not sent", pending.getNotificationId(),
                        pending.getAlertId(), pending.getChannel(), result.detail());
            }
            case TRY_AGAIN -> {
                Notification again = NotificationPlanner.changed(pending, NotificationState.PLANNED, now, attempts,
                        result.detail());
                save(again);
                LOG.warn("Notification {} of alert {} not taken ({}); trying again from {}", pending.getNotificationId(),
                        pending.getAlertId(), result.detail(), nextAttempt(again));
            }
        }
    }

    /** Immediately at first, then after the retry pause doubled for each attempt, at most {@link #LONGEST_PAUSE}. */
    Instant nextAttempt(Notification n) {
        if (n.getAttempts() == 0) {
            return n.getUpdatedAt();
        }
        long factor = 1L << Math.min(20, n.getAttempts() - 1);
        Duration pause = retryPause.multipliedBy(factor);
        return n.getUpdatedAt().plus(pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause);
    }

    /** Notifications of alerts pruned from the board are done with: tombstoned, so the topic stays small. */
    private void forgetWhatTheBoardForgot() {
        for (Notification n : new ArrayList<>(notifications.values())) {
            if (owns.test(n.getAlertId()) && board.get(n.getAlertId()).isEmpty()) {
                notifications.remove(n.getNotificationId());
                writer.write(Topics.NOTIFICATIONS, n.getNotificationId(), null);
            }
        }
    }

    private void save(Notification notification) {
        writer.write(Topics.NOTIFICATIONS, notification.getNotificationId(), notification);
        notifications.put(notification.getNotificationId(), notification);
    }

    /**
     * Before the first check every state read is taken; after it this instance's own record of the
     * alerts it owns is the latest (the follower brings its own writes back later), so only other
     * instances' notifications are taken from the topic.
     */
    private void onRecord(ConsumerRecord<String, byte[]> consumed) {
        Notification local = notifications.get(consumed.key());
        if (consumed.value() == null) {
            if (local != null && (!readBack || !owns.test(local.getAlertId()))) {
                notifications.remove(consumed.key());
            }
            return;
        }
        Notification read = Topics.NOTIFICATIONS.decode(consumed.value());
        if (!readBack || !owns.test(read.getAlertId())) {
            notifications.put(read.getNotificationId(), read);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
