package org.cardiowatch.processor.detection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

class SourceAgreementTest {

    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
    private final SourceAgreement agreement = new SourceAgreement(SourceAgreement.Limits.DEFAULT, Duration.ofSeconds(30));

    @Test
    void shouldOpenANoticeWhenTwoDevicesDifferByMoreThanTheToleranceForTheSustainDuration() {
        SourceAgreement.State state = new SourceAgreement.State();
        List<SourceFinding> findings = new ArrayList<>();
        for (int second = 0; second <= 60; second++) {
            agreement.onValue(state, Measure.HEART_RATE, "a", T0.plusSeconds(second), 64).ifPresent(findings::add);
            agreement.onValue(state, Measure.HEART_RATE, "b", T0.plusSeconds(second).plusMillis(500), 150)
                    .ifPresent(findings::add);
        }
        assertThat("60 s after the first disagreeing pair, one notice", findings.size(), is(1));
        SourceFinding notice = findings.get(0);
        assertThat(notice.finding().state(), is(AlertState.OPEN));
        assertThat("the measure is the notice's source", notice.source(), equalTo("heartRateBpm"));
        assertThat("not one device's", notice.deviceId(), nullValue());
        assertThat(notice.finding().lastValue(), equalTo(86.0));
    }

    @Test
    void shouldTolerateADifferenceWithinTheTolerance() {
        SourceAgreement.State state = new SourceAgreement.State();
        for (int second = 0; second <= 120; second++) {
            assertTrue(agreement.onValue(state, Measure.HEART_RATE, "a", T0.plusSeconds(second), 64).isEmpty());
            assertTrue(agreement.onValue(state, Measure.HEART_RATE, "b", T0.plusSeconds(second).plusMillis(500), 82)
                    .isEmpty(), "18 bpm apart is within the 20 bpm tolerance");
        }
    }

    @Test
    void shouldNotCompareAValueWithAnotherDevicesStaleOne() {
        SourceAgreement.State state = new SourceAgreement.State();
        agreement.onValue(state, Measure.HEART_RATE, "a", T0, 64);
        for (int second = 20; second <= 120; second++) {
            assertTrue(agreement.onValue(state, Measure.HEART_RATE, "b", T0.plusSeconds(second), 150).isEmpty(),
                    "a's value from more than 15 s before is no longer compared");
        }
    }

    @Test
    void shouldResolveWhenTheDevicesAgreeAgainForTheClearDuration() {
        SourceAgreement.State state = new SourceAgreement.State();
        List<SourceFinding> findings = new ArrayList<>();
        for (int second = 0; second <= 120; second++) {
            float b = second < 70 ? 150 : 66;
            agreement.onValue(state, Measure.HEART_RATE, "a", T0.plusSeconds(second), 64).ifPresent(findings::add);
            agreement.onValue(state, Measure.HEART_RATE, "b", T0.plusSeconds(second).plusMillis(500), b)
                    .ifPresent(findings::add);
        }
        assertThat(findings.stream().map(f -> f.finding().state()).toList(),
                equalTo(List.of(AlertState.OPEN, AlertState.RESOLVED)));
        assertThat(findings.get(1).finding().at(), equalTo(T0.plusSeconds(100).plusMillis(500)));
    }
}
