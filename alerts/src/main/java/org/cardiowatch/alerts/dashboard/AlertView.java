package org.cardiowatch.alerts.dashboard;

import java.time.Instant;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;

/**
 * An alert as the JSON API and the WebSocket show it.
 *
 * @param beats the beats a rhythm alert rests on, null for alerts on readings
 */
public record AlertView(String id, String patientId, String patientName, String kind, String severity, String state,
        boolean technical, Instant openedAt, Instant updatedAt, Instant resolvedAt, String summary,
        Double threshold, Double worstValue, BeatsView beats, String acknowledgedBy, Instant acknowledgedAt,
        String escalatedTo, Instant escalatedAt) {

    /** The span of beats behind a rhythm alert; the ECG strip at {@code from} shows them. */
    public record BeatsView(Instant from, Instant to, int count, Double rateBpm, Double irregularity) {

        static BeatsView of(AlertEvidence evidence) {
            if (evidence.getBeatsFrom() == null || evidence.getBeatsTo() == null || evidence.getBeatCount() == null) {
                return null;
            }
            return new BeatsView(evidence.getBeatsFrom(), evidence.getBeatsTo(), evidence.getBeatCount(),
                    evidence.getRateBpm(), evidence.getIrregularity());
        }
    }

    static AlertView of(AlertRecord record, String patientName) {
        Alert alert = record.alert();
        return new AlertView(alert.getAlertId(), alert.getPatientId(), patientName, alert.getKind().name(),
                alert.getSeverity().name(), alert.getState().name(), alert.getKind() == AlertKind.SIGNAL_LOSS,
                alert.getOpenedAt(), alert.getUpdatedAt(), alert.getResolvedAt(), alert.getEvidence().getSummary(),
                alert.getEvidence().getThreshold(), alert.getEvidence().getWorstValue(),
                BeatsView.of(alert.getEvidence()), record.acknowledgedBy(),
                record.acknowledgedAt(), record.escalatedTo(), record.escalatedAt());
    }
}
