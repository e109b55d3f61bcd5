package org.cardiowatch.alerts.ecg;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.junit.jupiter.api.Test;

class EcgStripReaderTest {

    private static final Instant FROM = Instant.parse("2026-11-26T08:00:00Z");
    private static final Instant TO = FROM.plusSeconds(4);

    @Test
    void shouldPlaceSegmentsOnTheGridAndClipWhatFallsOutside() {
        EcgStrip strip = EcgStripReader.cut(List.of(
                segment("patch", FROM.minusSeconds(1), 100, 2, 7),
                segment("patch", FROM.plusSeconds(3), 100, 2, 9)), List.of(), FROM, TO);

        assertThat(strip.samplesMicroVolts(), hasSize(400));
        assertThat("the second half of the early segment", strip.samplesMicroVolts().get(0), is(7));
        assertThat(strip.samplesMicroVolts().get(99), is(7));
        assertThat("nothing was sent for seconds 1 to 3", strip.samplesMicroVolts().get(100), nullValue());
        assertThat(strip.samplesMicroVolts().get(399), is(9));
        assertThat(strip.samplesPresent(), is(200L));
    }

    @Test
    void shouldChooseTheDeviceWithMostSamplesAndMarkOnlyItsBeats() {
        EcgStrip strip = EcgStripReader.cut(List.of(segment("short", FROM, 250, 1, 1), segment("long", FROM, 125, 4, 2)),
                List.of(beat("long", FROM.plusMillis(500)), beat("short", FROM.plusMillis(700)),
                        beat("long", FROM.plusMillis(500))), FROM, TO);

        assertThat(strip.deviceId(), equalTo("long"));
        assertThat(strip.sampleRateHz(), is(125));
        assertThat("one beat, once", strip.beats(), contains(new EcgStrip.StripBeat(FROM.plusMillis(500), "V")));
    }

    @Test
    void shouldAnswerAnEmptyStripWhenNoEcgWasSent() {
        EcgStrip strip = EcgStripReader.cut(List.of(), List.of(), FROM, TO);

        assertThat(strip.deviceId(), nullValue());
        assertThat(strip.samplesMicroVolts(), hasSize(0));
    }

    private static EcgSegment segment(String device, Instant start, int rate, int seconds, int value) {
        return EcgSegment.newBuilder().setPatientId("p").setDeviceId(device).setSequence(1).setStartedAt(start)
                .setReceivedAt(start).setSampleRateHz(rate).setLead("I")
                .setSamplesMicroVolts(Collections.nCopies(rate * seconds, value)).build();
    }

    private static Beat beat(String device, Instant at) {
        return Beat.newBuilder().setPatientId("p").setDeviceId(device).setSource(BeatSource.ECG).setRPeakAt(at)
                .setRrMillis(800).setBeatClass(org.cardiowatch.schemas.avro.BeatClass.V).build();
    }
}
