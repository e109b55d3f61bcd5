package org.cardiowatch.deploy;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches the consumer groups' lag once a second on a thread of its own: a lag query is a round trip
 * to Kafka that can take seconds on a loaded machine, and the load generator must not stall for it
 * (a stalled generator sends its devices' backlog in a burst). The consumers have caught up once
 * every group stayed within {@code tolerance} records of the end of its topics for {@link #STEADY}
 * samples in a row, counted from {@link #startCounting()}.
 */
final class CatchUp implements AutoCloseable {

    /** Consecutive samples (seconds) within the tolerance that make a consumer caught up. */
    static final int STEADY = 10;

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-lag-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final long tolerance;
    private volatile Map<String, Long> lastLag = Map.of();
    private volatile boolean counting;
    private volatile int within;

    CatchUp(long tolerance) {
        this.tolerance = tolerance;
    }

    static CatchUp watch(Supplier<Map<String, Long>> lag, long tolerance) {
        CatchUp catchUp = new CatchUp(tolerance);
        catchUp.sampler.scheduleWithFixedDelay(() -> catchUp.observe(lag.get()), 0, 1, TimeUnit.SECONDS);
        return catchUp;
    }

    /** From now on samples count: before, the load has only begun and no consumer is behind yet. */
    void startCounting() {
        counting = true;
    }

    /** Takes one sample; a group whose lag could not be read (negative) is not within the tolerance. */
    void observe(Map<String, Long> lag) {
        lastLag = lag;
        boolean inside = !lag.isEmpty() && lag.values().stream().allMatch(l -> l >= 0 && l <= tolerance);
        if (counting && within < STEADY) {
            within = inside ? within + 1 : 0;
        }
    }

    /** Whether every group has stayed within the tolerance for {@link #STEADY} samples (once is enough). */
    boolean caughtUp() {
        return within >= STEADY;
    }

    /** The last sample taken, at most a second or so old; empty before the first. */
    Map<String, Long> lastLag() {
        return lastLag;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
