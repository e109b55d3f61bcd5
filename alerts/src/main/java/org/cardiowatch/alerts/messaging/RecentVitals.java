package org.cardiowatch.alerts.messaging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * The last readings of each patient, in memory, for the dashboard's "recent vitals". Long-term
 * history belongs in InfluxDB; this is what a clinician glances at next to an alert.
 */
public final class RecentVitals {

    private final int perPatient;
    private final Map<String, Deque<VitalSigns>> byPatient = new ConcurrentHashMap<>();

    public RecentVitals(int perPatient) {
        this.perPatient = perPatient;
    }

    public void add(VitalSigns reading) {
        Deque<VitalSigns> readings = byPatient.computeIfAbsent(reading.getPatientId(), id -> new ArrayDeque<>());
        synchronized (readings) {
            readings.addLast(reading);
            while (readings.size() > perPatient) {
                readings.removeFirst();
            }
        }
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
