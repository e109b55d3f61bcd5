package org.cardiowatch.ingest.guard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(2, 3, nanos::get);

    @Test
    void shouldAllowTheBurstThenRefuse() {
        assertThat(limiter.tryAcquire("a"), is(true));
        assertThat(limiter.tryAcquire("a"), is(true));
        assertThat(limiter.tryAcquire("a"), is(true));
        assertThat(limiter.tryAcquire("a"), is(false));
    }

    @Test
    void shouldRefillAtTheConfiguredRate() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a");
        }
        nanos.addAndGet(400_000_000L);
        assertThat("0.8 of a token after 0.4 s at 2 per second", limiter.tryAcquire("a"), is(false));
        nanos.addAndGet(100_000_000L);
        assertThat("one token after 0.5 s", limiter.tryAcquire("a"), is(true));
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        nanos.addAndGet(60_000_000_000L);
        int allowed = 0;
        while (limiter.tryAcquire("a")) {
            allowed++;
        }
        assertThat(allowed, is(3));
    }

    @Test
    void shouldGiveEachDeviceItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a");
        }
        assertThat(limiter.tryAcquire("b"), is(true));
    }
}
