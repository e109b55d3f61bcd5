package org.cardiowatch.processor.detection;

import java.time.Instant;

/**
 * The beats behind a rhythm finding: the span of R peaks the detector decided on, so a clinician
 * (and the ECG strip) can look at exactly those beats in cw.beats.
 *
 * @param count beats in the span, first and last included
 * @param irregularity the AF detector's measure over the span, null for other findings
 */
public record BeatEvidence(Instant from, Instant to, int count, double rateBpm, Double irregularity) {
}
