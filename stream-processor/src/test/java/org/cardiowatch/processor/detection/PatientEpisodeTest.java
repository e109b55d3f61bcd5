package org.cardiowatch.processor.detection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

class PatientEpisodeTest {

    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    @Test
    void shouldOpenOnTheFirstSourceAndResolveOnlyWhenTheLastSourceResolves() {
        PatientEpisode episode = new PatientEpisode();

        PatientFinding opened = episode.fold(change("a", AlertState.OPEN, 0, 60, 140.0)).orElseThrow();
        PatientFinding joined = episode.fold(change("b", AlertState.OPEN, 5, 65, 150.0)).orElseThrow();
        PatientFinding stillOpen = episode.fold(change("a", AlertState.RESOLVED, 0, 100, 140.0)).orElseThrow();
        PatientFinding resolved = episode.fold(change("b", AlertState.RESOLVED, 5, 120, 150.0)).orElseThrow();

        assertThat(opened.finding().state(), is(AlertState.OPEN));
        assertThat("the patient's onset is the first source's", opened.finding().onset(), equalTo(T0));
        assertThat(joined.finding().state(), is(AlertState.UPDATED));
        assertThat("a joining source keeps the patient's onset", joined.finding().onset(), equalTo(T0));
        assertThat(joined.sources(), contains("a", "b"));
        assertThat(stillOpen.finding().state(), is(AlertState.UPDATED));
        assertThat(resolved.finding().state(), is(AlertState.RESOLVED));
        assertThat("the resolution repeats what the alert last said while open", resolved.finding().summary(),
                equalTo(joined.finding().summary()));
        assertThat("and says apart how it ended", resolved.resolution(), equalTo("back to normal on b"));
        assertThat("an open alert has no resolution", joined.resolution(), org.hamcrest.Matchers.nullValue());
        assertThat("the episode's worst over both sources", resolved.finding().worstValue(), equalTo(150.0));
        assertThat("the device that caused the change", resolved.deviceId(), equalTo("b"));
        assertFalse(episode.isOpen());
    }

    @Test
    void shouldUpdateOnAWorseValueOnlyWhenItIsWorseThanEverySourceSoFar() {
        PatientEpisode episode = new PatientEpisode();
        episode.fold(change("a", AlertState.OPEN, 0, 60, 160.0));
        episode.fold(change("b", AlertState.OPEN, 0, 61, 140.0));

        Optional<PatientFinding> notWorse = episode.fold(change("b", AlertState.UPDATED, 0, 70, 150.0));
        Optional<PatientFinding> worse = episode.fold(change("b", AlertState.UPDATED, 0, 80, 170.0));

        assertTrue(notWorse.isEmpty(), "150 on b is not worse than the 160 already shown on a");
        assertThat(worse.orElseThrow().finding().worstValue(), equalTo(170.0));
        assertThat("when the worst was seen", worse.orElseThrow().worstAt(), equalTo(T0.plusSeconds(80)));
    }

    @Test
    void shouldKeepWhenTheWorstValueWasSeenUntilTheResolutionAndAcrossARestart() throws IOException {
        PatientEpisode episode = new PatientEpisode();
        PatientFinding opened = episode.fold(change("a", AlertState.OPEN, 0, 60, 150.0)).orElseThrow();
        episode.fold(change("a", AlertState.UPDATED, 0, 75, 165.0));
        episode.fold(change("b", AlertState.OPEN, 0, 90, 140.0));

        PatientEpisode restored = roundTrip(episode);
        PatientFinding resolved = restored.fold(change("a", AlertState.RESOLVED, 0, 120, 150.0)).orElseThrow();
        PatientFinding last = restored.fold(change("b", AlertState.RESOLVED, 0, 130, 140.0)).orElseThrow();

        assertThat(opened.worstAt(), equalTo(T0.plusSeconds(60)));
        assertThat("a source joining with a lesser value does not move it", resolved.worstAt(),
                equalTo(T0.plusSeconds(75)));
        assertThat(last.finding().state(), is(AlertState.RESOLVED));
        assertThat(last.finding().worstValue(), equalTo(165.0));
        assertThat(last.worstAt(), equalTo(T0.plusSeconds(75)));
    }

    @Test
    void shouldTakeTheLowerValueAsWorseForALowLimit() {
        assertTrue(PatientEpisode.isWorse(AlertKind.BRADYCARDIA, 35, 38));
        assertFalse(PatientEpisode.isWorse(AlertKind.TACHYCARDIA, 35, 38));
        assertTrue(PatientEpisode.isWorse(AlertKind.LOW_SPO2, 84, 86));
        assertFalse(PatientEpisode.isWorse(AlertKind.SIGNAL_LOSS, Double.NaN, Double.NaN));
    }

    @Test
    void shouldIgnoreTheResolutionOfASourceThatNeverOpened() {
        PatientEpisode episode = new PatientEpisode();
        episode.fold(change("a", AlertState.OPEN, 0, 60, 140.0));

        assertTrue(episode.fold(change("b", AlertState.RESOLVED, 0, 70, 140.0)).isEmpty());
        assertTrue(episode.isOpen(), "b's resolution must not close what a shows");
    }

    @Test
    void shouldNameAtMostEightSourcesButKeepEveryOpenSourceCounting() {
        PatientEpisode episode = new PatientEpisode();
        for (int i = 0; i < 10; i++) {
            episode.fold(change("dev-" + i, AlertState.OPEN, 0, 60 + i, 140.0));
        }
        for (int i = 0; i < 9; i++) {
            episode.fold(change("dev-" + i, AlertState.RESOLVED, 0, 100 + i, 140.0));
        }
        assertTrue(episode.isOpen(), "the tenth, unnamed source still holds the alert open");
        assertThat(episode.fold(change("dev-9", AlertState.RESOLVED, 0, 120, 140.0)).orElseThrow().sources(),
                hasSize(PatientEpisode.NAMED_SOURCES));
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        PatientEpisode episode = new PatientEpisode();
        episode.fold(change("a", AlertState.OPEN, 0, 60, 140.0));
        episode.fold(change("b", AlertState.OPEN, 0, 61, 150.0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        episode.write(new DataOutputStream(bytes));

        PatientEpisode read = PatientEpisode.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        PatientFinding afterA = read.fold(change("a", AlertState.RESOLVED, 0, 100, 140.0)).orElseThrow();
        assertThat("b is still open after the round trip", afterA.finding().state(), is(AlertState.UPDATED));
        assertThat(afterA.sources(), contains("a", "b"));
        assertThat(afterA.finding().worstValue(), equalTo(150.0));
        assertThat(afterA.finding().onset(), equalTo(T0));
    }

    @Test
    void shouldEndWithTheReasonWhenTheLastSourcesMonitoringEnds() throws IOException {
        PatientEpisode episode = new PatientEpisode();
        episode.fold(change("a", AlertState.OPEN, 0, 60, 140.0));
        episode.fold(change("b", AlertState.OPEN, 0, 61, 150.0));
        PatientEpisode restored = roundTrip(episode);

        PatientFinding stillOnA = restored.end(AlertKind.TACHYCARDIA, "b", T0.plusSeconds(90), "b revoked").orElseThrow();
        assertTrue(restored.end(AlertKind.TACHYCARDIA, "b", T0.plusSeconds(91), "b revoked").isEmpty(),
                "a source that left does not leave twice");
        PatientFinding ended = restored.end(AlertKind.TACHYCARDIA, "a", T0.plusSeconds(95), "a revoked").orElseThrow();

        assertThat(stillOnA.finding().state(), is(AlertState.UPDATED));
        assertThat(stillOnA.finding().summary(), equalTo("b: b revoked; still on a"));
        assertThat(ended.finding().state(), is(AlertState.RESOLVED));
        assertThat("the severity, measure and limit it was raised with", List.of(ended.finding().severity(),
                ended.finding().measure(), ended.finding().threshold()), contains(AlertSeverity.CRITICAL, "heartRateBpm", 130.0));
        assertThat(ended.finding().worstValue(), equalTo(150.0));
        assertThat(ended.resolution(), equalTo("a revoked"));
        assertThat(ended.finding().at(), equalTo(T0.plusSeconds(95)));
        assertFalse(restored.isOpen());
    }

    @Test
    void shouldEndEverySourceAtOnceAndNeverBeforeItsLastChange() {
        PatientEpisode episode = new PatientEpisode();
        episode.fold(change("a", AlertState.OPEN, 0, 60, 140.0));
        episode.fold(change("b", AlertState.OPEN, 0, 61, 150.0));

        // A device clock ahead of the wall clock: the end must not be dated before what the board already has.
        PatientFinding ended = episode.end(AlertKind.TACHYCARDIA, null, T0.plusSeconds(30), "discharged").orElseThrow();

        assertThat(ended.finding().state(), is(AlertState.RESOLVED));
        assertThat(ended.finding().at(), equalTo(T0.plusSeconds(61)));
        assertFalse(episode.isOpen());
        assertTrue(episode.end(AlertKind.TACHYCARDIA, null, T0.plusSeconds(120), "discharged").isEmpty());
    }

    @Test
    void shouldReadAStateWrittenBeforeTheEndFieldsExisted() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeFirstReleaseState(new DataOutputStream(bytes));

        PatientEpisode old = PatientEpisode.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        PatientFinding ended = old.end(AlertKind.TACHYCARDIA, "a", T0.plusSeconds(90), "a revoked").orElseThrow();

        assertThat(ended.finding().state(), is(AlertState.RESOLVED));
        assertThat("the kind comes from the caller, so the alert id is the episode's", ended.finding().kind(),
                is(AlertKind.TACHYCARDIA));
        assertThat(ended.finding().summary(), equalTo("heart rate high on a"));
        assertThat("its worst value's time was not kept then", ended.worstAt(), org.hamcrest.Matchers.nullValue());
    }

    @Test
    void shouldReadAStateWrittenBeforeTheWorstValuesTimeWasKept() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeFirstReleaseState(out);
        // The end fields, without the worst value's time.
        out.writeUTF("CRITICAL");
        out.writeUTF("heartRateBpm");
        out.writeDouble(130.0);
        out.writeLong(T0.plusSeconds(60).toEpochMilli());

        PatientEpisode old = PatientEpisode.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        PatientFinding worse = old.fold(change("a", AlertState.UPDATED, 0, 70, 155.0)).orElseThrow();

        assertThat(worse.finding().worstValue(), equalTo(155.0));
        assertThat("the next worse value is timed", worse.worstAt(), equalTo(T0.plusSeconds(70)));
    }

    /** The first release's format: onset, description, worst, open sources, named sources (source "a" at 140). */
    private static void writeFirstReleaseState(DataOutputStream out) throws IOException {
        out.writeLong(T0.toEpochMilli());
        out.writeUTF("heart rate high on a");
        out.writeDouble(140.0);
        out.writeShort(1);
        out.writeUTF("a");
        out.writeDouble(140.0);
        out.writeShort(1);
        out.writeUTF("a");
    }

    private static PatientEpisode roundTrip(PatientEpisode episode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        episode.write(new DataOutputStream(bytes));
        return PatientEpisode.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static SourceFinding change(String device, AlertState state, int onsetSecond, int atSecond, double worst) {
        return SourceFinding.ofDevice(device, new Finding(AlertKind.TACHYCARDIA, AlertSeverity.CRITICAL, state,
                T0.plusSeconds(onsetSecond), T0.plusSeconds(atSecond),
                state == AlertState.RESOLVED ? "back to normal" : "heart rate high", "heartRateBpm", 130.0, worst, worst));
    }
}
