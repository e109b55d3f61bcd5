package org.cardiowatch.alerts.ecg;

import java.time.Instant;
import java.util.List;

/**
 * A stretch of one device's ECG as the patient page draws it: samples on a regular grid from
 * {@code from} ({@code null} where the device sent nothing), and the R peaks the stream processor
 * detected in it, each with its class (N, S, V, F or Q; null for a beat the processor gave no
 * class). An empty strip has no device and no samples.
 */
public record EcgStrip(Instant from, Instant to, String deviceId, int sampleRateHz, String lead,
        List<Integer> samplesMicroVolts, List<StripBeat> beats) {

    /** A detected beat: its R peak and its AAMI class. */
    public record StripBeat(Instant at, String beatClass) {
    }

    public static EcgStrip empty(Instant from, Instant to) {
        return new EcgStrip(from, to, null, 0, null, List.of(), List.of());
    }

    /** Samples the device actually sent (the rest of the grid is a gap). */
    public long samplesPresent() {
        return samplesMicroVolts.stream().filter(sample -> sample != null).count();
    }
}
