package org.cardiowatch.alerts.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Every alert's current state, rebuilt from cw.alerts and cw.alert-actions (each instance reads
 * all of both, so any instance can serve any clinician). Applying the same event twice changes
 * nothing, so an acknowledgement applied at once and again when read back is harmless.
 */
public final class AlertBoard {

    private static final Comparator<AlertRecord> NEWEST_MOST_SEVERE_FIRST = Comparator
            .comparing((AlertRecord r) -> r.alert().getSeverity()).reversed()
            .thenComparing(r -> r.alert().getOpenedAt(), Comparator.reverseOrder());

    private final Map<String, AlertRecord> alerts = new ConcurrentHashMap<>();
    private final List<Consumer<AlertRecord>> listeners = new CopyOnWriteArrayList<>();
    private final Duration keepResolved;

    /** @param keepResolved how long a resolved alert stays on the board */
    public AlertBoard(Duration keepResolved) {
        this.keepResolved = keepResolved;
    }

    /** Called with every alert that changed (for live pushes). */
    public void onChange(Consumer<AlertRecord> listener) {
        listeners.add(listener);
    }

    /**
     * @param arrivedAt when the event was published (its record's time: the processor's clock when
     *     it raised the alert), from which escalation is timed; never the device's clock, so a
     *     reading buffered for an hour does not escalate at once
     */
    public void apply(Alert event, Instant arrivedAt) {
        AlertRecord updated = alerts.compute(event.getAlertId(), (id, known) -> {
            if (known == null) {
                return new AlertRecord(event, arrivedAt, null, null, null, null);
            }
            // A resolved alert stays resolved; an older event read late does not reopen it.
            if (known.alert().getState() == AlertState.RESOLVED
                    || event.getUpdatedAt().isBefore(known.alert().getUpdatedAt())) {
                return known;
            }
            return known.withAlert(event);
        });
        notifyListeners(updated);
    }

    public Optional<AlertRecord> apply(AlertAction action) {
        AlertRecord before = alerts.get(action.getAlertId());
        AlertRecord after = alerts.computeIfPresent(action.getAlertId(), (id, known) -> switch (action.getAction()) {
            case ACKNOWLEDGED -> known.acknowledged(action.getActor(), action.getAt());
            case ESCALATED -> known.escalated(action.getTarget(), action.getAt());
            default -> known;
        });
        if (after != null && after != before) {
            notifyListeners(after);
        }
        return Optional.ofNullable(after);
    }

    /**
     * Merges an alert's current state as an instance saved it (cw.alerts.current): the later of the
     * two alerts, the first acknowledgement and escalation of either. Read at start before the
     * events, and then as other instances save theirs.
     */
    public void restore(AlertRecord saved) {
        AlertRecord before = alerts.get(saved.id());
        AlertRecord after = alerts.merge(saved.id(), saved, AlertRecord::mergedWith);
        if (!after.equals(before)) {
            notifyListeners(after);
        }
    }

    /** Removes every alert of a patient whose data was erased; returns them. */
    public List<AlertRecord> forget(String patientId) {
        return removeIf(record -> record.patientId().equals(patientId));
    }

    public Optional<AlertRecord> get(String alertId) {
        return Optional.ofNullable(alerts.get(alertId));
    }

    /** Open alerts of the patients that pass the filter, most severe and newest first. */
    public List<AlertRecord> open(Predicate<String> patientFilter) {
        return alerts.values().stream()
                .filter(AlertRecord::isOpen)
                .filter(record -> patientFilter.test(record.patientId()))
                .sorted(NEWEST_MOST_SEVERE_FIRST)
                .toList();
    }

    /** Every alert on the board. */
    public List<AlertRecord> all() {
        return List.copyOf(alerts.values());
    }

    /** Every alert on the board (open, and resolved within the retention) of one patient. */
    public List<AlertRecord> ofPatient(String patientId) {
        return alerts.values().stream().filter(record -> record.patientId().equals(patientId))
                .sorted(NEWEST_MOST_SEVERE_FIRST).toList();
    }

    /** Whether an open alert of the patient is escalated to the user (what lets a backup in). */
    public boolean hasOpenAlertEscalatedTo(String patientId, String username) {
        return alerts.values().stream().anyMatch(record -> record.isOpen() && record.patientId().equals(patientId)
                && username.equals(record.escalatedTo()));
    }

    /** Forgets resolved alerts older than the retention, so the board does not grow without end; returns them. */
    public List<AlertRecord> prune(Instant now) {
        return removeIf(record -> !record.isOpen() && record.alert().getUpdatedAt().isBefore(now.minus(keepResolved)));
    }

    private List<AlertRecord> removeIf(Predicate<AlertRecord> condition) {
        List<AlertRecord> removed = new ArrayList<>();
        alerts.values().removeIf(record -> {
            if (condition.test(record)) {
                removed.add(record);
                return true;
            }
            return false;
        });
        return removed;
    }

    private void notifyListeners(AlertRecord record) {
        listeners.forEach(listener -> listener.accept(record));
    }
}
