package org.cardiowatch.alerts.messaging;

import java.time.Instant;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * An alert as the care team sees it: its latest lifecycle event and what people and the
 * escalation policy did with it.
 *
 * @param raisedAt when the alert was raised (its first event), from which escalation is timed;
 *     the condition's onset ({@code alert.openedAt}) is earlier by the sustain duration
 */
public record AlertRecord(Alert alert, Instant raisedAt, String acknowledgedBy, Instant acknowledgedAt,
        String escalatedTo, Instant escalatedAt) {

    public String id() {
        return alert.getAlertId();
    }

    public String patientId() {
        return alert.getPatientId();
    }

    public boolean isOpen() {
        return alert.getState() != AlertState.RESOLVED;
    }

    /**
     * Whether it is about the devices rather than the patient (a lost signal, two devices that
     * disagree): shown apart from the clinical alarms, and no clinical status of its own.
     */
    public boolean isTechnical() {
        return alert.getKind() == AlertKind.SIGNAL_LOSS || alert.getKind() == AlertKind.SOURCE_DISAGREEMENT;
    }

    public boolean isAcknowledged() {
        return acknowledgedBy != null;
    }

    public boolean isEscalated() {
        return escalatedTo != null;
    }

    AlertRecord withAlert(Alert latest) {
        return new AlertRecord(latest, raisedAt, acknowledgedBy, acknowledgedAt, escalatedTo, escalatedAt);
    }

    AlertRecord acknowledged(String by, Instant at) {
        return isAcknowledged() ? this : new AlertRecord(alert, raisedAt, by, at, escalatedTo, escalatedAt);
    }

    AlertRecord escalated(String to, Instant at) {
        return isEscalated() ? this : new AlertRecord(alert, raisedAt, acknowledgedBy, acknowledgedAt, to, at);
    }
}
