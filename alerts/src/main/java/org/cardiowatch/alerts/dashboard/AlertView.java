package org.cardiowatch.alerts.dashboard;

import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;

/**
 * An alert as the JSON API and the WebSocket show it.
 *
 * @param measure what the threshold and worst value measure, for example heartRateBpm
 * @param sources the patient's devices the alert rests on
 * @param beats the beats a rhythm alert rests on, null for alerts on readings
 * @param worstAt when the worst value was read; null without one (or for an alert raised before v6)
 */
public record AlertView(String id, String patientId, String patientName, String kind, String severity, String state,
        boolean technical, Instant openedAt, Instant updatedAt, Instant resolvedAt, String summary,
        Double threshold, Double worstValue, String measure, List<String> sources, BeatsView beats,
        String acknowledgedBy, Instant acknowledgedAt, String escalatedTo, Instant escalatedAt, Instant worstAt) {

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
                alert.getSeverity().name(), alert.getState().name(), record.isTechnical(),
                alert.getOpenedAt(), alert.getUpdatedAt(), alert.getResolvedAt(), alert.getEvidence().getSummary(),
                alert.getEvidence().getThreshold(), alert.getEvidence().getWorstValue(), alert.getEvidence().getMeasure(),
                alert.getEvidence().getSources(), BeatsView.of(alert.getEvidence()), record.acknowledgedBy(),
                record.acknowledgedAt(), record.escalatedTo(), record.escalatedAt(), alert.getEvidence().getWorstAt());
    }
}
