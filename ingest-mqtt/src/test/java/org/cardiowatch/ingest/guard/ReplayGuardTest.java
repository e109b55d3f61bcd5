package org.cardiowatch.ingest.guard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.cardiowatch.ingest.guard.ReplayGuard.Verdict;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private final ReplayGuard guard = new ReplayGuard(8);

    @Test
    void shouldTakeTheFirstNumberOfADeviceAndEveryHigherOne() {
        assertThat(guard.check("a", 5, 1), is(Verdict.NEW));
        guard.recordAccepted("a", 5, 1);
        assertThat(guard.check("a", 6, 2), is(Verdict.NEW));
        assertThat(guard.check("a", 1_000, 3), is(Verdict.NEW));
    }

    @Test
    void shouldTellARedeliveryFromAReplayByTheFingerprint() {
        guard.recordAccepted("a", 5, 42);
        assertThat(guard.check("a", 5, 42), is(Verdict.REDELIVERY));
        assertThat(guard.check("a", 5, 43), is(Verdict.REPLAYED));
    }

    @Test
    void shouldAcceptAnUnseenNumberInsideTheWindowAndRefuseOneBelowIt() {
        guard.recordAccepted("a", 20, 1);
        assertThat("out of order but unseen", guard.check("a", 15, 2), is(Verdict.NEW));
        assertThat("the lowest number still inside the window", guard.check("a", 13, 2), is(Verdict.NEW));
        assertThat("one below the window", guard.check("a", 12, 2), is(Verdict.REPLAYED));
    }

    @Test
    void shouldForgetANumberOnlyWhenTheWindowHasMovedPastIt() {
        guard.recordAccepted("a", 10, 7);
        guard.recordAccepted("a", 18, 8);
        // 18 shares 10's slot (modulo 8); 10 is now below the window, so it is a replay whatever its bytes.
        assertThat(guard.check("a", 10, 7), is(Verdict.REPLAYED));
        assertThat(guard.check("a", 18, 8), is(Verdict.REDELIVERY));
    }

    @Test
    void shouldKeepDevicesApart() {
        guard.recordAccepted("a", 5, 1);
        assertThat(guard.check("b", 5, 9), is(Verdict.NEW));
        assertThat(guard.devices(), is(1));
    }
}
