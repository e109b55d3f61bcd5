package org.cardiowatch.alerts.dashboard;

import java.util.List;

/**
 * A patient in the clinician's list.
 *
 * @param status {@code critical}, {@code warning} or {@code no-signal} while such an alert is open,
 *     {@code stable} otherwise
 */
public record PatientView(String id, String name, String status, String treatingPhysician, String backupPhysician,
        List<AlertView> openAlerts) {
}
