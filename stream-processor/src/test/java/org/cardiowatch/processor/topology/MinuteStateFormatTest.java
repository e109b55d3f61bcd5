package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Instant;
import org.cardiowatch.processor.detection.MinuteAccumulator;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.junit.jupiter.api.Test;

/** A minute left open by a processor from before beats were counted stays readable after an upgrade. */
class MinuteStateFormatTest {

    private static final Instant MINUTE = Instant.parse("2026-12-05T08:00:00Z");

    @Test
    void shouldReadAMinuteOfVitalsOnlyAndCountTheBeatsThatFollow() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // the state format byte every store value starts with
            out.writeInt(2); // readings, then count, sum, min and max of heart rate, SpO2, systolic, diastolic
            writeStat(out, 2, 150, 70, 80);
            for (int i = 0; i < 3; i++) {
                writeStat(out, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
            }
        }

        MinuteAccumulator restored = StateSerdes.MINUTE.deserializer().deserialize("t", bytes.toByteArray());
        VitalsMinute before = restored.toMinute("p", MINUTE);
        restored.add(beat(BeatClass.N)).add(beat(BeatClass.V)).add(beat(null));
        VitalsMinute after = StateSerdes.MINUTE.deserializer()
                .deserialize("t", StateSerdes.MINUTE.serializer().serialize("t", restored)).toMinute("p", MINUTE);

        assertThat(before.getReadings(), is(2));
        assertThat(before.getHeartRateMean(), equalTo(75.0));
        assertThat("no beat counted yet", before.getClassifiedBeats(), nullValue());
        assertThat(after.getReadings(), is(2));
        assertThat("a beat without a class is not counted", after.getClassifiedBeats(), is(2));
        assertThat(after.getVentricularBeats(), is(1));
        assertThat(after.getSupraventricularBeats(), is(0));
    }

    private static void writeStat(DataOutputStream out, int count, double sum, double min, double max) throws Exception {
        out.writeInt(count);
        out.writeDouble(sum);
        out.writeDouble(min);
        out.writeDouble(max);
    }

    private static Beat beat(BeatClass beatClass) {
        return Beat.newBuilder().setPatientId("p").setDeviceId("d").setSource(BeatSource.ECG)
                .setRPeakAt(MINUTE.plusSeconds(1)).setBeatClass(beatClass).build();
    }
}
