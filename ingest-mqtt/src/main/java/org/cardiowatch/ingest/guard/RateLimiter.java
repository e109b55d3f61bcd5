package org.cardiowatch.ingest.guard;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per device: a device may send {@code perSecond} messages a second on average
 * and {@code burst} at once (a device catching up after being offline sends its buffer in a
 * burst). Messages over the limit are refused, so one broken or hijacked device cannot crowd out
 * the readings of every other patient.
 */
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("A rate limit needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    public static RateLimiter perSecond(double perSecond, int burst) {
        return new RateLimiter(perSecond, burst, System::nanoTime);
    }

    /** Takes one token from the device's bucket; false when it is empty. */
    public boolean tryAcquire(String deviceId) {
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(deviceId, id -> new Bucket(burst, now)).tryTake(now, perSecond, burst);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }

        synchronized boolean tryTake(long now, double perSecond, double burst) {
            tokens = Math.min(burst, tokens + (now - updatedAt) * perSecond / NANOS_PER_SECOND);
            updatedAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
