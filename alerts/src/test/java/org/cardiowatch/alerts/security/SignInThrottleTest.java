package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final SignInThrottle throttle = new SignInThrottle(SignInThrottle.Limits.DEFAULT, clock);

    @Test
    void shouldLetFiveFailuresThroughThenLockTheAccountFromThatAddressLongerEachTime() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.refusal("cardio1", "10.0.0.9"), is(Optional.empty()));
            assertThat("no lock within the free failures", throttle.failed("cardio1", "10.0.0.9"), is(Optional.empty()));
        }
        assertThat(throttle.failed("cardio1", "10.0.0.9").orElseThrow().retryAfter(), equalTo(Duration.ofSeconds(30)));
        assertThat(throttle.refusal("cardio1", "10.0.0.9").orElseThrow().scope(), equalTo("account-and-address"));
        assertThat("another address is not locked", throttle.refusal("cardio1", "10.0.0.10"), is(Optional.empty()));
        assertThat("another account is not locked", throttle.refusal("cardio2", "10.0.0.9"), is(Optional.empty()));

        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.refusal("cardio1", "10.0.0.9"), is(Optional.empty()));
        assertThat(throttle.failed("cardio1", "10.0.0.9").orElseThrow().retryAfter(), equalTo(Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(60));
        throttle.succeeded("cardio1", "10.0.0.9");
        assertThat("a success clears the streak", throttle.failed("cardio1", "10.0.0.9"), is(Optional.empty()));
    }

    @Test
    void shouldGiveAGuesserFromOneAddressThirteenGuessesAnHour() {
        assertThat(guessesInAnHour(i -> "10.0.0.9"), is(13));
    }

    @Test
    void shouldGiveAGuesserWithAnAddressPerGuessTwentyThreeGuessesAnHour() {
        assertThat(guessesInAnHour(i -> "10.1." + (i / 250) + "." + (i % 250)), is(23));
    }

    @Test
    void shouldKeepTheCliniciansOwnAddressOpenWhileTheAccountIsLockedForNewOnes() {
        throttle.succeeded("cardio1", "10.0.0.1");
        for (int i = 0; i < 20; i++) {
            throttle.failed("cardio1", "203.0.113." + i);
        }
        assertThat(throttle.refusal("cardio1", "198.51.100.7").orElseThrow().scope(), equalTo("account-from-new-addresses"));
        assertThat("the workstation they signed in from before", throttle.refusal("cardio1", "10.0.0.1"),
                is(Optional.empty()));
        clock.advance(Duration.ofMinutes(15));
        assertThat("a new address waits at most 15 min", throttle.refusal("cardio1", "198.51.100.7"), is(Optional.empty()));
    }

    @Test
    void shouldLockAnAddressThatTriesManyAccountsButNotTheCliniciansWhoSignInFromIt() {
        throttle.succeeded("cardio1", "10.0.0.66");
        for (int i = 0; i < 50; i++) {
            assertThat(throttle.failed("user" + i, "10.0.0.66").map(SignInThrottle.Lock::scope), is(Optional.empty()));
        }
        assertThat(throttle.failed("user50", "10.0.0.66").orElseThrow().scope(), equalTo("address"));
        assertThat(throttle.refusal("someone-else", "10.0.0.66").orElseThrow().retryAfter(),
                equalTo(Duration.ofMinutes(15)));
        assertThat("a clinician who signed in from that address before", throttle.refusal("cardio1", "10.0.0.66"),
                is(Optional.empty()));
    }

    @Test
    void shouldKeepAtMostTheConfiguredEntries() {
        SignInThrottle small = new SignInThrottle(new SignInThrottle.Limits(0, Duration.ofSeconds(30),
                Duration.ofMinutes(15), 1_000, 1_000, 10, 3), clock);
        for (int i = 0; i < 10; i++) {
            small.failed("user" + i, "10.0.0." + i);
        }
        assertThat("the oldest pairs were dropped", small.refusal("user0", "10.0.0.0"), is(Optional.empty()));
        assertThat(small.refusal("user9", "10.0.0.9").isPresent(), is(true));
    }

    /** Guesses as fast as the throttle lets them, for an hour; returns how many reached the password check. */
    private int guessesInAnHour(java.util.function.IntFunction<String> addressOfGuess) {
        Instant end = clock.instant().plus(Duration.ofHours(1));
        int guesses = 0;
        while (clock.instant().isBefore(end)) {
            String address = addressOfGuess.apply(guesses);
            Optional<SignInThrottle.Lock> refusal = throttle.refusal("cardio1", address);
            if (refusal.isPresent()) {
                clock.advance(refusal.get().retryAfter());
                continue;
            }
            throttle.failed("cardio1", address);
            guesses++;
            clock.advance(Duration.ofMillis(100));
        }
        return guesses;
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
