package org.cardiowatch.processor.detection.rhythm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.BeatClass;
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

    @Test
    void shouldRaiseOneBigeminyAlertForAnEpisodeThroughARestartAndResolveItAfterAQuietMinute() throws IOException {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<String> changes = new ArrayList<>();
        Instant at = T0;
        // 20 normal beats, 2 minutes of bigeminy (N at 1,100 ms after a V, V at 500 ms after an N), 2 minutes normal.
        at = beats(state, at, 20, 800, BeatClass.N, changes);
        for (int pair = 0; pair < 75; pair++) {
            at = at.plusMillis(500);
            changes.addAll(describe(monitor.onBeat(state, BeatSource.ECG, at, 500, BeatClass.V)));
            at = at.plusMillis(1100);
            changes.addAll(describe(monitor.onBeat(state, BeatSource.ECG, at, 1100, BeatClass.N)));
            if (pair == 40) {
                state = roundTrip(state);
            }
        }
        beats(state, at, 150, 800, BeatClass.N, changes);

        assertThat("one episode; frequent ventricular beats too (half of them in the hour's beats)", changes.stream()
                .filter(c -> c.startsWith("BIGEMINY")).toList(), contains("BIGEMINY OPEN", "BIGEMINY RESOLVED"));
        assertThat("a bigeminy is no tachycardia: its V beats never come 3 in a row", changes.stream()
                .filter(c -> c.startsWith("VENTRICULAR")).toList(), empty());
    }

    @Test
    void shouldRaiseFrequentVentricularBeatsOnceTheHoursBurdenReaches10PercentAndResolveUnderHalfThat() {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<Finding> findings = new ArrayList<>();
        Instant at = T0;
        // One beat in 8 ventricular (12.5 %), isolated (not bigeminy), for 10 minutes, then normal beats for an hour.
        for (int beat = 0; beat < 750; beat++) {
            at = at.plusMillis(800);
            findings.addAll(monitor.onBeat(state, BeatSource.ECG, at, 800, beat % 8 == 7 ? BeatClass.V : BeatClass.N));
        }
        for (int beat = 0; beat < 4500; beat++) {
            at = at.plusMillis(800);
            findings.addAll(monitor.onBeat(state, BeatSource.ECG, at, 800, BeatClass.N));
        }

        List<Finding> frequent = findings.stream().filter(f -> f.kind() == AlertKind.FREQUENT_PVC).toList();
        assertThat(describe(frequent), contains("FREQUENT_PVC OPEN", "FREQUENT_PVC RESOLVED"));
        assertThat("opened once the hour held 300 beats, at the burden then",
                frequent.get(0).lastValue(), org.hamcrest.Matchers.closeTo(12.5, 0.5));
        assertThat("resolved once under 5 %", frequent.get(1).lastValue(), org.hamcrest.Matchers.lessThan(5.0));
        assertThat(describe(findings).stream().filter(c -> c.startsWith("BIGEMINY")).toList(), empty());
    }

    @Test
    void shouldRaiseFrequentVentricularBeatsAtThePatientsOwnLimitNotTheDefault() {
        RhythmMonitor.State usual = new RhythmMonitor.State();
        RhythmMonitor.State watched = new RhythmMonitor.State();
        List<Finding> atDefault = new ArrayList<>();
        List<Finding> atOwn = new ArrayList<>();
        Instant at = T0;
        // One beat in 14 ventricular (7.1 %) for 10 minutes: under the default 10 %, over a limit of 5 %.
        for (int beat = 0; beat < 750; beat++) {
            at = at.plusMillis(800);
            BeatClass beatClass = beat % 14 == 13 ? BeatClass.V : BeatClass.N;
            atDefault.addAll(monitor.onBeat(usual, BeatSource.ECG, at, 800, beatClass));
            atOwn.addAll(monitor.onBeat(watched, BeatSource.ECG, at, 800, beatClass, 5.0));
        }

        assertThat(atDefault.stream().filter(f -> f.kind() == AlertKind.FREQUENT_PVC).toList(), empty());
        List<Finding> frequent = atOwn.stream().filter(f -> f.kind() == AlertKind.FREQUENT_PVC).toList();
        assertThat(describe(frequent), contains("FREQUENT_PVC OPEN"));
        assertThat("the limit it was raised at is in its evidence", frequent.get(0).threshold(), is(5.0));
    }

    @Test
    void shouldHoldAnAfCallOfTheEcgWhileItsBeatsShowPWavesAndOpenItWithItsOnsetOnceTheyAreGone() {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<Finding> findings = new ArrayList<>();
        Random random = new Random(5);
        Instant at = T0;
        // 40 regular beats with P waves, then 200 irregular ones still with P waves (sinus with ectopy).
        for (int beat = 0; beat < 240; beat++) {
            int rr = beat < 40 ? 800 : 650 + random.nextInt(400);
            at = at.plusMillis(rr);
            findings.addAll(monitor.onBeat(state, BeatSource.ECG, at, rr, BeatClass.N, true, 10));
        }
        assertThat("irregular, but the atria beat in order", findings, empty());

        // The P waves go while the intervals stay irregular: atrial fibrillation.
        Instant lost = at;
        for (int beat = 0; beat < 40; beat++) {
            int rr = 650 + random.nextInt(400);
            at = at.plusMillis(rr);
            findings.addAll(monitor.onBeat(state, BeatSource.ECG, at, rr, BeatClass.N, false, 10));
        }
        assertThat(describe(findings), contains("ATRIAL_FIBRILLATION OPEN"));
        assertThat("opened once fewer than half of the last 16 beats had one", findings.get(0).at(),
                org.hamcrest.Matchers.greaterThan(lost));
        assertThat("with the onset the intervals gave, before the P waves went", findings.get(0).onset(),
                org.hamcrest.Matchers.lessThan(lost));
    }

    @Test
    void shouldCallAfFromAWearablesIntervalsWithoutAskingForPWaves() {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<Finding> findings = new ArrayList<>();
        Random random = new Random(5);
        Instant at = T0;
        for (int beat = 0; beat < 240; beat++) {
            int rr = beat < 40 ? 800 : 650 + random.nextInt(400);
            at = at.plusMillis(rr);
            findings.addAll(monitor.onBeat(state, BeatSource.DEVICE_RR, at, rr));
        }

        assertThat(describe(findings), contains("ATRIAL_FIBRILLATION OPEN"));
    }

    @Test
    void shouldRaiseNothingForARunOfSupraventricularBeatsNorForASinusRhythmSpeedingUp() {
        RhythmMonitor.State state = new RhythmMonitor.State();
        List<String> changes = new ArrayList<>();
        Instant at = T0;
        at = beats(state, at, 20, 800, BeatClass.N, changes);
        // The first fast beats of a rhythm that speeds up within seconds are called S by the classifier.
        beats(state, at, 50, 400, BeatClass.S, changes);

        assertThat(changes, empty());
    }

    /** Sends {@code count} ECG beats of {@code beatClass}, {@code rrMillis} apart; the last one's time. */
    private Instant beats(RhythmMonitor.State state, Instant from, int count, int rrMillis, BeatClass beatClass,
            List<String> changes) {
        Instant at = from;
        for (int beat = 0; beat < count; beat++) {
            at = at.plusMillis(rrMillis);
            changes.addAll(describe(monitor.onBeat(state, BeatSource.ECG, at, rrMillis, beatClass)));
        }
        return at;
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
