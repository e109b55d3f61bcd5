package org.cardiowatch.alerts.dashboard;

import java.time.Instant;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;

/** An alert as the JSON API and the WebSocket show it. */
public record AlertView(String id, String patientId, String patientName, String kind, String severity, String state,
        boolean technical, Instant openedAt, Instant updatedAt, Instant resolvedAt, String summary,
        Double threshold, Double worstValue, String acknowledgedBy, Instant acknowledgedAt, String escalatedTo,
        Instant escalatedAt) {

    static AlertView of(AlertRecord record, String patientName) {
        Alert alert = record.alert();
        return new AlertView(alert.getAlertId(), alert.getPatientId(), patientName, alert.getKind().name(),
                alert.getSeverity().name(), alert.getState().name(), alert.getKind() == AlertKind.SIGNAL_LOSS,
                alert.getOpenedAt(), alert.getUpdatedAt(), alert.getResolvedAt(), alert.getEvidence().getSummary(),
                alert.getEvidence().getThreshold(), alert.getEvidence().getWorstValue(), record.acknowledgedBy(),
                record.acknowledgedAt(), record.escalatedTo(), record.escalatedAt());
    }
}
