package org.cardiowatch.alerts.messaging;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.CurrentAlert;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps cw.alerts.current: the current state of each alert this instance owns (its partition of
 * cw.alerts.current, keyed by alert id), written after every change and removed by a tombstone
 * once the alert is off the board. Writes leave from a thread of their own, latest state per alert
 * first-come, so neither the board nor the alarms it pushes wait on Kafka; a write that fails is
 * tried again.
 */
public final class CurrentAlerts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentAlerts.class);
    private static final Duration IDLE = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final TopicWriter writer;
    private final Predicate<String> owns;
    /** Alert id to its state to write; empty for a tombstone. Only the latest of each waits. */
    private final Map<String, Optional<CurrentAlert>> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param owns whether this instance owns an alert id's partition */
    public CurrentAlerts(TopicWriter writer, Predicate<String> owns) {
        this.writer = writer;
        this.owns = owns;
        this.thread = new Thread(this::run, "alerts-current-writer");
        this.thread.setDaemon(true);
    }

    public CurrentAlerts start() {
        thread.start();
        return this;
    }

    /** An alert changed on the board. */
    public void changed(AlertRecord record) {
        if (owns.test(record.id())) {
            pending.put(record.id(), Optional.of(toValue(record)));
        }
    }

    /** Every alert this instance owns, written again (for partitions it was just given). */
    public void changedAll(Collection<AlertRecord> records) {
        records.forEach(this::changed);
    }

    /** Alerts that left the board (resolved long enough ago). */
    public void removed(Collection<AlertRecord> records) {
        records.stream().filter(record -> owns.test(record.id())).forEach(record -> pending.put(record.id(), Optional.empty()));
    }

    /** An erased patient's alerts: removed whoever owns them, so a restart cannot bring them back. */
    public void erased(Collection<AlertRecord> records) {
        records.forEach(record -> pending.put(record.id(), Optional.empty()));
    }

    /** Whether every change handed in has been written. */
    public boolean isIdle() {
        return pending.isEmpty();
    }

    public static CurrentAlert toValue(AlertRecord record) {
        return CurrentAlert.newBuilder().setAlertId(record.id()).setPatientId(record.patientId())
                .setAlert(ByteBuffer.wrap(Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(),
                        record.alert())))
                .setRaisedAt(record.raisedAt()).setAcknowledgedBy(record.acknowledgedBy())
                .setAcknowledgedAt(record.acknowledgedAt()).setEscalatedTo(record.escalatedTo())
                .setEscalatedAt(record.escalatedAt()).build();
    }

    public static AlertRecord fromValue(CurrentAlert value) {
        ByteBuffer alert = value.getAlert().duplicate();
        byte[] bytes = new byte[alert.remaining()];
        alert.get(bytes);
        return new AlertRecord(Topics.ALERTS.decode(bytes), value.getRaisedAt(), value.getAcknowledgedBy(),
                value.getAcknowledgedAt(), value.getEscalatedTo(), value.getEscalatedAt());
    }

    private void run() {
        while (running) {
            if (pending.isEmpty()) {
                sleep(IDLE);
                continue;
            }
            for (String alertId : pending.keySet()) {
                Optional<CurrentAlert> state = pending.get(alertId);
                if (state == null) {
                    continue;
                }
                try {
                    writer.write(Topics.ALERTS_CURRENT, alertId, state.orElse(null));
                    // Unless it changed again meanwhile: then that newer state waits its turn.
                    pending.remove(alertId, state);
                } catch (RuntimeException e) {
                    LOG.warn("Cannot save the current state of an alert yet ({}); retrying", e.getClass().getSimpleName());
                    sleep(RETRY);
                    break;
                }
            }
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
