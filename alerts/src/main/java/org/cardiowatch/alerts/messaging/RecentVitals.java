package org.cardiowatch.alerts.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * The last readings of each patient, in memory, for the dashboard's "recent vitals". Long-term
 * history belongs in InfluxDB; this is what a clinician glances at next to an alert. Bounded by
 * count and by time (received within the window), and a patient whose readings are all older
 * than the window takes no memory at all: it grows with the patients sending now, not with every
 * patient ever monitored.
 */
public final class RecentVitals {

    private final int perPatient;
    private final Duration window;
    private final Map<String, Deque<VitalSigns>> byPatient = new ConcurrentHashMap<>();

    /**
     * @param perPatient readings kept per patient at most
     * @param window how long a reading is kept after it was received
     */
    public RecentVitals(int perPatient, Duration window) {
        this.perPatient = perPatient;
        this.window = window;
    }

    public void add(VitalSigns reading) {
        Deque<VitalSigns> readings = byPatient.computeIfAbsent(reading.getPatientId(), id -> new ArrayDeque<>());
        synchronized (readings) {
            readings.addLast(reading);
            Instant oldest = reading.getReceivedAt().minus(window);
            while (readings.size() > perPatient || readings.peekFirst().getReceivedAt().isBefore(oldest)) {
                readings.removeFirst();
            }
        }
    }

    /** Forgets the readings received before the window ending {@code now}, and the patients left with none. */
    public void prune(Instant now) {
        Instant oldest = now.minus(window);
        byPatient.values().forEach(readings -> {
            synchronized (readings) {
                readings.removeIf(reading -> reading.getReceivedAt().isBefore(oldest));
            }
        });
        byPatient.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().isEmpty();
            }
        });
    }

    /** Patients with readings in memory. */
    public int patients() {
        return byPatient.size();
    }

    /** Oldest first. */
    public void forget(String patientId) {
        byPatient.remove(patientId);
    }

    public List<VitalSigns> of(String patientId) {
        Deque<VitalSigns> readings = byPatient.get(patientId);
        if (readings == null) {
            return List.of();
        }
        synchronized (readings) {
            return List.copyOf(readings);
        }
    }
}
