package org.cardiowatch.alerts.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.cardiowatch.schemas.avro.AlertSeverity;
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
 * still pending. What is due for one recipient, channel and patient goes as one message; a
 * warning or technical one waits while that recipient was told of that patient on that channel
 * less than the group window ago, then goes with whatever else waited. Nothing of the patient is logged.
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
    private final Duration groupWindow;
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
            Duration retryPause, Duration groupWindow, TopicWriter writer, Record record, Clock clock,
            String bootstrapServers, Map<String, Object> clientConfig) {
        this.board = board;
        this.careTeams = careTeams;
        this.owns = owns;
        this.boardReady = boardReady;
        this.planner = planner;
        this.senders = Map.copyOf(senders);
        this.retryPause = retryPause;
        this.groupWindow = groupWindow;
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
        Map<List<String>, List<Notification>> due = new LinkedHashMap<>();
        for (Notification pending : new ArrayList<>(notifications.values())) {
            if (pending.getState() == NotificationState.PLANNED && owns.test(pending.getAlertId())
                    && !now.isBefore(nextAttempt(pending)) && board.get(pending.getAlertId()).isPresent()) {
                due.computeIfAbsent(groupKey(pending), key -> new ArrayList<>()).add(pending);
            }
        }
        for (List<Notification> group : due.values()) {
            List<AlertRecord> alerts = group.stream().map(n -> board.get(n.getAlertId()).orElseThrow()).toList();
            if (!held(group.get(0), alerts, now)) {
                send(NotificationGroup.of(group, alerts), now);
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

    /** One message per recipient, channel and patient: what is due for them now goes together. */
    private static List<String> groupKey(Notification n) {
        return List.of(n.getRecipient(), n.getChannel().name(), n.getPatientId());
    }

    /**
     * Whether what is due waits: the recipient was told of this patient on this channel less than
     * the group window ago, and nothing due is critical (a critical alert never waits). When the
     * window ends, everything that waited goes in one message.
     */
    private boolean held(Notification first, List<AlertRecord> alerts, Instant now) {
        if (alerts.stream().anyMatch(alert -> alert.alert().getSeverity() == AlertSeverity.CRITICAL)) {
            return false;
        }
        List<String> key = groupKey(first);
        return notifications.values().stream()
                .filter(n -> n.getState() == NotificationState.SENT && groupKey(n).equals(key))
                .anyMatch(n -> now.isBefore(n.getUpdatedAt().plus(groupWindow)));
    }

    private void send(NotificationGroup group, Instant now) {
        Notification lead = group.lead();
        NotificationSender sender = senders.get(lead.getChannel());
        // A channel switched off since the notification was planned cannot deliver it.
        NotificationSender.Result result = sender != null ? sender.send(group)
                : new NotificationSender.Result(NotificationSender.Outcome.REFUSED, lead.getChannel() + " is off");
        String detail = group.size() == 1 ? result.detail() : result.detail() + ", one message for " + group.size();
        for (Notification pending : group.notifications()) {
            int attempts = pending.getAttempts() + 1;
            switch (result.outcome()) {
                case ACCEPTED -> {
                    Notification sent = NotificationPlanner.changed(pending, NotificationState.SENT, now, attempts, detail);
                    save(sent);
                    record.notification("notification.sent", sent, detail);
                }
                case REFUSED -> {
                    Notification failed = NotificationPlanner.changed(pending, NotificationState.FAILED, now, attempts, detail);
                    save(failed);
                    record.notification("notification.failed", failed, detail);
                }
                case TRY_AGAIN -> save(NotificationPlanner.changed(pending, NotificationState.PLANNED, now, attempts, detail));
            }
        }
        switch (result.outcome()) {
            case ACCEPTED -> LOG.info("Notification {} of alert {} sent to {} ({})", group.messageId(), lead.getAlertId(),
                    lead.getRecipient(), detail);
            case REFUSED -> LOG.error("Notification {} of alert {} refused by {} ({}): not sent", group.messageId(),
                    lead.getAlertId(), lead.getChannel(), detail);
            case TRY_AGAIN -> LOG.warn("Notification {} of alert {} not taken ({}); trying again from {}", group.messageId(),
                    lead.getAlertId(), detail, nextAttempt(notifications.get(lead.getNotificationId())));
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
