package org.cardiowatch.alerts.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cardiowatch.alerts.routing.EscalationOwnership;
import org.cardiowatch.schemas.topics.TopicFollower;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the board from Kafka and keeps what it must outlive a restart. First every alert's saved
 * state (cw.alerts.current, compacted: an alert open for months is there with its
 * acknowledgement), then the events cw.alerts and cw.alert-actions still hold; an erased patient's
 * records are skipped. The instance that owns an alert's partition ({@link EscalationOwnership})
 * saves its state after each change ({@link CurrentAlerts}) and escalates it.
 */
public final class AlertBoardFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertBoardFeed.class);

    private final AlertBoard board;
    private final Predicate<String> erased;
    private final EscalationOwnership ownership;
    private final CurrentAlerts current;
    private final TopicFollower saved;
    private final TopicFollower events;
    private final Thread starter;

    /** @param erased whether a patient id is an erased patient's */
    public AlertBoardFeed(AlertBoard board, String bootstrapServers, Map<String, Object> clientConfig,
            TopicWriter writer, Predicate<String> erased) {
        this.board = board;
        this.erased = erased;
        this.ownership = new EscalationOwnership(bootstrapServers, clientConfig, this::onOwned);
        this.current = new CurrentAlerts(writer, ownership::owns);
        this.saved = new TopicFollower("alerts-current", bootstrapServers, clientConfig,
                List.of(Topics.ALERTS_CURRENT.name()), Instant.EPOCH, this::onSaved);
        this.events = new TopicFollower("alerts", bootstrapServers, clientConfig,
                List.of(Topics.ALERTS.name(), Topics.ALERT_ACTIONS.name()), Instant.EPOCH, this::onEvent);
        this.starter = new Thread(this::startEventsOnceSavedIsRead, "alerts-feed-start");
        this.starter.setDaemon(true);
        board.onChange(current::changed);
    }

    public AlertBoardFeed start() {
        ownership.start();
        current.start();
        saved.start();
        starter.start();
        return this;
    }

    /** Whether the board has read every saved state and every event there was at start. */
    public boolean isCaughtUp() {
        return saved.isCaughtUp() && events.isCaughtUp();
    }

    /** Whether this instance escalates (and saves) the alert. */
    public boolean owns(String alertId) {
        return ownership.owns(alertId);
    }

    /** Whether every change of the board has been saved (for tests and orderly stops). */
    public boolean isSaved() {
        return current.isIdle();
    }

    /** Forgets an erased patient's alerts, on the board and in cw.alerts.current. */
    public void forget(String patientId) {
        current.erased(board.forget(patientId));
    }

    /** Forgets resolved alerts past the board's retention, on the board and in cw.alerts.current. */
    public void prune(Instant now) {
        current.removed(board.prune(now));
    }

    private void startEventsOnceSavedIsRead() {
        try {
            while (!saved.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.info("Still reading the saved alerts (cw.alerts.current) before the alert events");
            }
            events.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Partitions just given to this instance: their alerts are saved again from this board once it is current. */
    private void onOwned(Set<Integer> partitions) {
        Thread resave = new Thread(() -> {
            try {
                while (!isCaughtUp()) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            current.changedAll(board.all());
        }, "alerts-current-resave");
        resave.setDaemon(true);
        resave.start();
    }

    private void onSaved(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        AlertRecord state = CurrentAlerts.fromValue(Topics.ALERTS_CURRENT.decode(record.value()));
        if (!erased.test(state.patientId())) {
            board.restore(state);
        }
    }

    private void onEvent(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || erased.test(record.key())) {
            return;
        }
        if (record.topic().equals(Topics.ALERTS.name())) {
            board.apply(Topics.ALERTS.decode(record.value()), Instant.ofEpochMilli(record.timestamp()));
        } else {
            board.apply(Topics.ALERT_ACTIONS.decode(record.value()));
        }
    }

    @Override
    public void close() {
        starter.interrupt();
        for (AutoCloseable closeable : new AutoCloseable[] {events, saved, current, ownership}) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Close failed: {}", e.toString());
            }
        }
    }
}
