package org.cardiowatch.alerts.messaging;

import java.time.Instant;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * An alert as the care team sees it: its latest lifecycle event and what people and the
 * escalation policy did with it.
 */
public record AlertRecord(Alert alert, String acknowledgedBy, Instant acknowledgedAt, String escalatedTo,
        Instant escalatedAt) {

    public String id() {
        return alert.getAlertId();
    }

    public String patientId() {
        return alert.getPatientId();
    }

    public boolean isOpen() {
        return alert.getState() != AlertState.RESOLVED;
    }

    public boolean isAcknowledged() {
        return acknowledgedBy != null;
    }

    public boolean isEscalated() {
        return escalatedTo != null;
    }

    AlertRecord withAlert(Alert latest) {
        return new AlertRecord(latest, acknowledgedBy, acknowledgedAt, escalatedTo, escalatedAt);
    }

    AlertRecord acknowledged(String by, Instant at) {
        return isAcknowledged() ? this : new AlertRecord(alert, by, at, escalatedTo, escalatedAt);
    }

    AlertRecord escalated(String to, Instant at) {
        return isEscalated() ? this : new AlertRecord(alert, acknowledgedBy, acknowledgedAt, to, at);
    }
}
