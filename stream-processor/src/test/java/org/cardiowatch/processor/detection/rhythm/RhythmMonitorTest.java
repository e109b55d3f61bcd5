package org.cardiowatch.processor.detection.rhythm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.schemas.avro.BeatSource;
import org.junit.jupiter.api.Test;

class RhythmMonitorTest {

    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    private final RhythmMonitor monitor = new RhythmMonitor(Duration.ofSeconds(3), Duration.ofMinutes(5));

    @Test
    void shouldNotReopenAPauseFromTheSamePauseBeatReplayedAfterItResolved() throws IOException {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<String> changes = new ArrayList<>();
        Instant pauseEnd = T0.plusSeconds(10);
        changes.addAll(describe(monitor.onBeat(state, BeatSource.ECG, pauseEnd, 4000)));
        Instant at = pauseEnd;
        for (int beat = 0; beat < 400; beat++) {
            at = at.plusMillis(800);
            changes.addAll(describe(monitor.onBeat(state, BeatSource.ECG, at, 800)));
        }
        assertThat(changes, contains("PAUSE OPEN", "PAUSE RESOLVED"));

        RhythmMonitor.State restored = roundTrip(state);
        assertThat("the pause beat delivered again, after a restart", describe(
                monitor.onBeat(restored, BeatSource.ECG, pauseEnd, 4000)), empty());
        assertThat("a beat at the same time as the last one", describe(
                monitor.onBeat(restored, BeatSource.ECG, at, 4000)), empty());
        assertThat("a new pause still opens", describe(
                monitor.onBeat(restored, BeatSource.ECG, at.plusSeconds(4), 4000)), contains("PAUSE OPEN"));
    }

    @Test
    void shouldReadAStateWrittenBeforeTheLastBeatsWereKept() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int source = 0; source < BeatSource.values().length; source++) {
            out.writeBoolean(false);
        }
        out.writeLong(Long.MIN_VALUE);
        out.writeInt(0);
        out.writeLong(Long.MIN_VALUE);
        out.writeLong(Long.MIN_VALUE);
        out.writeLong(0);

        RhythmMonitor.State old = RhythmMonitor.State.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(describe(monitor.onBeat(old, BeatSource.ECG, T0, 4000)), contains("PAUSE OPEN"));
    }

    private static RhythmMonitor.State roundTrip(RhythmMonitor.State state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        return RhythmMonitor.State.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static List<String> describe(List<Finding> findings) {
        return findings.stream().map(f -> f.kind() + " " + f.state()).toList();
    }
}
