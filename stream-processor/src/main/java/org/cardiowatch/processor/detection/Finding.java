package org.cardiowatch.processor.detection;

import java.time.Instant;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * A change in a condition that the alert lifecycle must publish: opened, updated (worse), resolved.
 *
 * @param onset event time at which the condition began; with the kind it identifies the episode
 * @param at event time of this change
 * @param beats the beats a rhythm finding rests on; null for findings on readings
 * @param worstAt event time of the reading that showed the worst value; null when that is this change's time
 */
public record Finding(AlertKind kind, AlertSeverity severity, AlertState state, Instant onset, Instant at,
        String summary, String measure, Double threshold, Double lastValue, Double worstValue, BeatEvidence beats,
        Instant worstAt) {

    /** A finding whose worst value is the one this change shows (a rhythm finding). */
    public Finding(AlertKind kind, AlertSeverity severity, AlertState state, Instant onset, Instant at,
            String summary, String measure, Double threshold, Double lastValue, Double worstValue, BeatEvidence beats) {
        this(kind, severity, state, onset, at, summary, measure, threshold, lastValue, worstValue, beats, null);
    }

    /** A finding on readings (thresholds, signal loss), which rests on no beats. */
    public Finding(AlertKind kind, AlertSeverity severity, AlertState state, Instant onset, Instant at,
            String summary, String measure, Double threshold, Double lastValue, Double worstValue) {
        this(kind, severity, state, onset, at, summary, measure, threshold, lastValue, worstValue, null, null);
    }

    /** When the worst value was seen. */
    public Instant worstSeenAt() {
        return worstAt != null ? worstAt : at;
    }

    /** This finding resting on {@code evidence}, with {@code note} added to its summary (where the value came from). */
    public Finding restingOn(BeatEvidence evidence, String note) {
        return new Finding(kind, severity, state, onset, at, summary + " " + note, measure, threshold, lastValue,
                worstValue, evidence, worstAt);
    }

    /** This finding with another summary. */
    public Finding withSummary(String newSummary) {
        return new Finding(kind, severity, state, onset, at, newSummary, measure, threshold, lastValue, worstValue, beats,
                worstAt);
    }
}
