package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CatchUpTest {

    private static final Map<String, Long> WITHIN = Map.of("cw-stream-processor", 100L, "cw-history", 3L);

    @Test
    void shouldHaveCaughtUpOnceEveryGroupStayedWithinTheToleranceForTheSteadySamplesInARow() {
        try (CatchUp catchUp = new CatchUp(100)) {
            catchUp.startCounting();
            for (int i = 0; i < CatchUp.STEADY - 1; i++) {
                catchUp.observe(WITHIN);
            }
            catchUp.observe(Map.of("cw-stream-processor", 5_000L, "cw-history", 0L));
            assertThat("one group fell behind before the steady samples were all in", catchUp.caughtUp(), is(false));

            for (int i = 0; i < CatchUp.STEADY; i++) {
                catchUp.observe(WITHIN);
            }
            assertThat(catchUp.caughtUp(), is(true));

            catchUp.observe(Map.of("cw-stream-processor", 900L, "cw-history", 3L));
            assertThat("caught up once is enough: the window is open", catchUp.caughtUp(), is(true));
            assertThat(catchUp.lastLag().get("cw-stream-processor"), is(900L));
        }
    }

    @Test
    void shouldNotCountSamplesBeforeTheLoadHadTimeToBuildABacklog() {
        try (CatchUp catchUp = new CatchUp(100)) {
            for (int i = 0; i < CatchUp.STEADY * 2; i++) {
                catchUp.observe(WITHIN);
            }
            assertThat(catchUp.caughtUp(), is(false));
        }
    }

    @Test
    void shouldNotCountALagThatCouldNotBeReadOrNoGroupAsWithin() {
        try (CatchUp catchUp = new CatchUp(100)) {
            catchUp.startCounting();
            for (int i = 0; i < CatchUp.STEADY; i++) {
                catchUp.observe(i % 2 == 0 ? Map.of("cw-stream-processor", -1L, "cw-history", 0L) : Map.of());
            }
            assertThat(catchUp.caughtUp(), is(false));
        }
    }
}
