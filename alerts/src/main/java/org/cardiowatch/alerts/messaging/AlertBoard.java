package org.cardiowatch.alerts.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Every alert's current state, rebuilt from cw.alerts and cw.alert-actions (each instance reads
 * all of both, so any instance can serve any clinician). Applying the same event twice changes
 * nothing, so an acknowledgement applied at once and again when read back is harmless.
 *
 * <p>Indexed by patient as well as by alert: a patient's page and the access check read only that
 * patient's alerts, not the whole board of 10,000 patients. What adds or removes an alert takes
 * the board's lock, so both maps agree; reads and the listeners take none.
 */
public final class AlertBoard {

    private static final Comparator<AlertRecord> NEWEST_MOST_SEVERE_FIRST = Comparator
            .comparing((AlertRecord r) -> r.alert().getSeverity()).reversed()
            .thenComparing(r -> r.alert().getOpenedAt(), Comparator.reverseOrder());

    private final Map<String, AlertRecord> alerts = new ConcurrentHashMap<>();
    /** Patient → the ids of their alerts on the board. */
    private final Map<String, Set<String>> byPatient = new ConcurrentHashMap<>();
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
        notifyListeners(applied(event, arrivedAt));
    }

    private synchronized AlertRecord applied(Alert event, Instant arrivedAt) {
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
        index(updated);
        return updated;
    }

    /** An action changes no alert's patient: the index stays as it is, and no lock is taken. */
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
        AlertRecord before;
        AlertRecord after;
        synchronized (this) {
            before = alerts.get(saved.id());
            after = alerts.merge(saved.id(), saved, AlertRecord::mergedWith);
            index(after);
        }
        if (!after.equals(before)) {
            notifyListeners(after);
        }
    }

    /** Removes every alert of a patient whose data was erased; returns them. */
    public synchronized List<AlertRecord> forget(String patientId) {
        Set<String> ids = byPatient.remove(patientId);
        if (ids == null) {
            return List.of();
        }
        List<AlertRecord> removed = new ArrayList<>();
        ids.forEach(id -> Optional.ofNullable(alerts.remove(id)).ifPresent(removed::add));
        return removed;
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

    /** Open alerts of one patient, most severe and newest first (from the index: no scan of the board). */
    public List<AlertRecord> openOf(String patientId) {
        return recordsOf(patientId).filter(AlertRecord::isOpen).sorted(NEWEST_MOST_SEVERE_FIRST).toList();
    }

    /** Every alert on the board. */
    public List<AlertRecord> all() {
        return List.copyOf(alerts.values());
    }

    /** Every alert on the board (open, and resolved within the retention) of one patient. */
    public List<AlertRecord> ofPatient(String patientId) {
        return recordsOf(patientId).sorted(NEWEST_MOST_SEVERE_FIRST).toList();
    }

    /** Whether an open alert of the patient is escalated to the user (what lets a backup in). */
    public boolean hasOpenAlertEscalatedTo(String patientId, String username) {
        return recordsOf(patientId).anyMatch(record -> record.isOpen() && username.equals(record.escalatedTo()));
    }

    /** Forgets resolved alerts older than the retention, so the board does not grow without end; returns them. */
    public synchronized List<AlertRecord> prune(Instant now) {
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
        removed.forEach(record -> byPatient.computeIfPresent(record.patientId(), (patient, ids) -> {
            ids.remove(record.id());
            return ids.isEmpty() ? null : ids;
        }));
        return removed;
    }

    private void index(AlertRecord record) {
        byPatient.computeIfAbsent(record.patientId(), patient -> ConcurrentHashMap.newKeySet()).add(record.id());
    }

    private Stream<AlertRecord> recordsOf(String patientId) {
        Set<String> ids = byPatient.getOrDefault(patientId, Set.of());
        return ids.stream().map(alerts::get).filter(Objects::nonNull);
    }

    private void notifyListeners(AlertRecord record) {
        listeners.forEach(listener -> listener.accept(record));
    }
}
