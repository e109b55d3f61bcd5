package org.cardiowatch.alerts.messaging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.junit.jupiter.api.Test;

class RecentVitalsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    private final RecentVitals recent = new RecentVitals(3, Duration.ofMinutes(30));

    @Test
    void shouldKeepTheLastReadingsWithinTheCountAndTheWindow() {
        recent.add(reading("p1", T0, 60f));
        recent.add(reading("p1", T0.plusSeconds(60), 61f));
        recent.add(reading("p1", T0.plus(Duration.ofMinutes(31)), 62f));

        assertThat("the first fell out of the 30 min window", recent.of("p1").stream()
                .map(VitalSigns::getHeartRateBpm).toList(), contains(61f, 62f));

        for (int i = 0; i < 5; i++) {
            recent.add(reading("p1", T0.plus(Duration.ofMinutes(32)).plusSeconds(i), 70f + i));
        }
        assertThat("no more than 3", recent.of("p1").stream().map(VitalSigns::getHeartRateBpm).toList(),
                contains(72f, 73f, 74f));
    }

    @Test
    void shouldTakeNoMemoryForAPatientWhoStoppedSending() {
        recent.add(reading("gone", T0, 60f));
        recent.add(reading("here", T0.plus(Duration.ofMinutes(40)), 70f));

        recent.prune(T0.plus(Duration.ofMinutes(41)));

        assertThat(recent.patients(), is(1));
        assertThat(recent.of("gone").isEmpty(), is(true));
        assertThat(recent.of("here").size(), is(1));
    }

    private static VitalSigns reading(String patient, Instant at, float heartRate) {
        return VitalSigns.newBuilder().setPatientId(patient).setDeviceId("dev-" + patient).setSequence(1)
                .setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(heartRate).build();
    }
}
