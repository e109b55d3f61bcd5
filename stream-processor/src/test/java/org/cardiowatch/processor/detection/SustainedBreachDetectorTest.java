package org.cardiowatch.processor.detection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

class SustainedBreachDetectorTest {

    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    private static final ThresholdRule TACHYCARDIA = ThresholdDefaults.CLINICAL.rulesFor(null).stream()
            .filter(rule -> rule.kind() == AlertKind.TACHYCARDIA).findFirst().orElseThrow();
    private final SustainedBreachDetector detector = new SustainedBreachDetector(Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    @Test
    void shouldTellWhenTheWorstValueWasReadNotWhenTheAlertOpened() {
        BreachState state = BreachState.INITIAL;
        double[] values = {135, 160, 140, 140, 140, 140, 140, 140, 140, 140, 140, 140};
        Finding opened = null;
        for (int second = 0; second < values.length; second++) {
            SustainedBreachDetector.Step step = detector.evaluate(TACHYCARDIA, state, T0.plusSeconds(second),
                    values[second]);
            state = step.state();
            if (step.finding().isPresent()) {
                opened = step.finding().get();
            }
        }

        assertThat(opened.state(), is(AlertState.OPEN));
        assertThat(opened.at(), equalTo(T0.plusSeconds(10)));
        assertThat(opened.worstValue(), equalTo(160.0));
        assertThat("the 160 was read at second 1", opened.worstSeenAt(), equalTo(T0.plusSeconds(1)));
    }

    @Test
    void shouldReadAStateWrittenBeforeTheWorstValuesTimeWasKept() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        InstantIO.write(out, T0.plusSeconds(30));
        InstantIO.write(out, T0);
        InstantIO.write(out, T0);
        InstantIO.write(out, null);
        out.writeDouble(150.0);
        out.writeDouble(148.0);

        BreachState old = BreachState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(old.worst(), equalTo(150.0));
        assertThat(old.last(), equalTo(148.0));
        assertThat(old.worstAt(), nullValue());
        assertThat(roundTrip(new BreachState(T0, T0, T0, null, 150.0, T0.plusSeconds(3), 148.0)).worstAt(),
                equalTo(T0.plusSeconds(3)));
    }

    private static BreachState roundTrip(BreachState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BreachState.write(new DataOutputStream(bytes), state);
        return BreachState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
