package org.cardiowatch.processor.detection;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * Notices a patient whose device went quiet. Silence is measured on the processor's wall clock
 * (when readings arrive), not on event time: a silent device advances no event time at all.
 */
public final class SignalLossMonitor {

    private final Duration timeout;

    public SignalLossMonitor(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @param lastArrival wall-clock time the last reading arrived
     * @param lostSince when the open signal-loss alert began; null when none is open
     * @param deviceId the device that sent the last reading
     */
    public record SignalState(Instant lastArrival, Instant lostSince, String deviceId) {
    }

    public record Step(SignalState state, Optional<Finding> finding) {
    }

    /** A reading arrived: resolves an open signal-loss alert. */
    public Step onReading(SignalState previous, Instant now, String deviceId) {
        SignalState next = new SignalState(now, null, deviceId);
        if (previous == null || previous.lostSince() == null) {
            return new Step(next, Optional.empty());
        }
        return new Step(next, Optional.of(finding(AlertState.RESOLVED, previous.lostSince(), now,
                "readings received again after " + Duration.between(previous.lastArrival(), now).toSeconds() + " s")));
    }

    /** A periodic check: opens a signal-loss alert once the silence reaches the timeout. */
    public Step onTick(SignalState previous, Instant now) {
        return onTick(previous, now, previous.lastArrival());
    }

    /**
     * A periodic check that counts the silence from {@code notBefore} at the earliest: after the
     * path from the devices was down, each device gets a whole timeout to come back.
     */
    public Step onTick(SignalState previous, Instant now, Instant notBefore) {
        Instant silentSince = previous.lastArrival().isBefore(notBefore) ? notBefore : previous.lastArrival();
        if (previous.lostSince() != null || Duration.between(silentSince, now).compareTo(timeout) < 0) {
            return new Step(previous, Optional.empty());
        }
        SignalState lost = new SignalState(previous.lastArrival(), previous.lastArrival(), previous.deviceId());
        return new Step(lost, Optional.of(finding(AlertState.OPEN, previous.lastArrival(), now,
                "no reading for " + Duration.between(previous.lastArrival(), now).toSeconds() + " s")));
    }

    private static Finding finding(AlertState state, Instant onset, Instant at, String summary) {
        return new Finding(AlertKind.SIGNAL_LOSS, AlertSeverity.WARNING, state, onset, at, summary, "signal",
                null, null, null);
    }
}
