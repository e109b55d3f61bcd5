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
     * Whether it is about the devices or the analysis rather than the patient (a lost signal, two
     * devices that disagree, records that could not be analysed): shown apart from the clinical
     * alarms, and no clinical status of its own.
     */
    public boolean isTechnical() {
        return alert.getKind() == AlertKind.SIGNAL_LOSS || alert.getKind() == AlertKind.SOURCE_DISAGREEMENT
                || alert.getKind() == AlertKind.DATA_NOT_ANALYSED;
    }

    public boolean isAcknowledged() {
        return acknowledgedBy != null;
    }

    public boolean isEscalated() {
        return escalatedTo != null;
    }

    /**
     * This record and another instance's saved state of the same alert together: the later alert
     * (a resolved one stays resolved), the earlier raising, the first acknowledgement and escalation.
     */
    AlertRecord mergedWith(AlertRecord other) {
        boolean otherIsLater = alert.getState() != AlertState.RESOLVED && (other.alert.getState() == AlertState.RESOLVED
                || other.alert.getUpdatedAt().isAfter(alert.getUpdatedAt()));
        Alert latest = otherIsLater ? other.alert : alert;
        Instant raised = other.raisedAt.isBefore(raisedAt) ? other.raisedAt : raisedAt;
        AlertRecord firstAck = !isAcknowledged() || (other.isAcknowledged() && other.acknowledgedAt.isBefore(acknowledgedAt))
                ? other : this;
        AlertRecord firstEscalation = !isEscalated() || (other.isEscalated() && other.escalatedAt.isBefore(escalatedAt))
                ? other : this;
        return new AlertRecord(latest, raised, firstAck.acknowledgedBy, firstAck.acknowledgedAt,
                firstEscalation.escalatedTo, firstEscalation.escalatedAt);
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
