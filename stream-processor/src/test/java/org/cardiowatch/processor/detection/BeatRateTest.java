package org.cardiowatch.processor.detection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.cardiowatch.schemas.avro.BeatSource;
import org.junit.jupiter.api.Test;

class BeatRateTest {

    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

    private final BeatRate rate = new BeatRate();
    private long at = START.toEpochMilli();

    @Test
    void shouldGiveNoRateUntilTheWindowHoldsNineIntervals() {
        for (int i = 0; i < BeatRate.INTERVALS - 1; i++) {
            assertThat(beat(BeatSource.ECG, 800), nullValue());
        }
        BeatEvidence window = beat(BeatSource.ECG, 800);
        assertThat(window, notNullValue());
        assertThat(window.rateBpm(), closeTo(75, 0.01));
        assertThat("ten beats: the nine intervals' ends and the first one's start", window.count(), is(10));
        assertThat(window.to(), equalTo(Instant.ofEpochMilli(at)));
        assertThat(window.from(), equalTo(Instant.ofEpochMilli(at - 9 * 800)));
        assertThat(window.irregularity(), nullValue());
    }

    @Test
    void shouldNotBeMovedByAnEctopicBeatWithItsCompensatoryPause() {
        steady(BeatSource.DEVICE_RR, 20, 800);
        beat(BeatSource.DEVICE_RR, 450);
        assertThat(beat(BeatSource.DEVICE_RR, 1150).rateBpm(), closeTo(75, 0.01));
        assertThat("nor by a missed detection (one interval doubled)", beat(BeatSource.DEVICE_RR, 1600).rateBpm(),
                closeTo(75, 0.01));
    }

    @Test
    void shouldFollowARateChangeWithinHalfAWindow() {
        steady(BeatSource.ECG, 20, 800);
        BeatEvidence window = null;
        for (int i = 0; i < BeatRate.INTERVALS / 2 + 1; i++) {
            window = beat(BeatSource.ECG, 400);
        }
        assertThat("five of nine intervals at 150 bpm make the median", window.rateBpm(), closeTo(150, 0.01));
    }

    @Test
    void shouldStartAgainAfterAGap() {
        steady(BeatSource.ECG, 20, 800);
        at += 5_000;
        assertThat("the first beat after a gap has no interval", rate.accept(BeatSource.ECG, Instant.ofEpochMilli(at), null),
                nullValue());
        for (int i = 0; i < BeatRate.INTERVALS - 1; i++) {
            assertThat("and the window fills again before it gives a rate", beat(BeatSource.ECG, 400), nullValue());
        }
        assertThat(beat(BeatSource.ECG, 400).rateBpm(), closeTo(150, 0.01));
    }

    @Test
    void shouldKeepEachSourceApartAndIgnoreABeatNotAfterTheLast() {
        steady(BeatSource.ECG, 10, 400);
        assertThat("a wearable's first intervals do not fill the ECG's window", beat(BeatSource.DEVICE_RR, 1000),
                nullValue());
        assertThat("a beat at the same time as the last is a copy",
                rate.accept(BeatSource.ECG, Instant.ofEpochMilli(at - 1000), 400), nullValue());
        assertThat(beat(BeatSource.ECG, 400).rateBpm(), closeTo(150, 0.01));
    }

    @Test
    void shouldResumeFromItsStoredStateWithTheSameWindow() throws IOException {
        steady(BeatSource.ECG, 5, 600);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rate.write(new DataOutputStream(bytes));
        BeatRate restored = BeatRate.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        BeatEvidence fromOriginal = null;
        BeatEvidence fromRestored = null;
        for (int i = 0; i < 4; i++) {
            at += 600;
            fromOriginal = rate.accept(BeatSource.ECG, Instant.ofEpochMilli(at), 600);
            fromRestored = restored.accept(BeatSource.ECG, Instant.ofEpochMilli(at), 600);
        }
        assertThat(fromRestored, equalTo(fromOriginal));
        assertThat(fromRestored.rateBpm(), closeTo(100, 0.01));
    }

    private void steady(BeatSource source, int beats, int rrMillis) {
        for (int i = 0; i < beats; i++) {
            beat(source, rrMillis);
        }
    }

    private BeatEvidence beat(BeatSource source, int rrMillis) {
        at += rrMillis;
        return rate.accept(source, Instant.ofEpochMilli(at), rrMillis);
    }
}
