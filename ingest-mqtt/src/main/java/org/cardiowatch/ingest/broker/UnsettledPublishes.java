package org.cardiowatch.ingest.broker;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's publishes not answered with success: refused, answered 0x80 while Kafka was
 * away, or still waiting. HiveMQ CE keeps an entry for each failure answer until the connection
 * ends ({@link SuccessPuback}), so past a limit the connection is ended: a device refused over and
 * over, or a Kafka outage of hours, cannot fill the broker's heap. Bounded by the limit, not by
 * time: a connection's occasional failures over weeks add up too, and cost it one reconnect.
 */
final class UnsettledPublishes {

    private final int limit;
    private final Runnable endConnection;
    private final AtomicInteger unsettled = new AtomicInteger();
    private final AtomicBoolean ending = new AtomicBoolean();

    /**
     * @param limit publishes not answered with success a connection may have
     * @param endConnection ends the connection (the broker's disconnect)
     */
    UnsettledPublishes(int limit, Runnable endConnection) {
        if (limit < 1) {
            throw new IllegalArgumentException("A connection may have at least one publish unsettled");
        }
        this.limit = limit;
        this.endConnection = endConnection;
    }

    /** A publish arrived on the connection; past the limit the connection is ended, once. */
    void received() {
        if (unsettled.incrementAndGet() > limit && ending.compareAndSet(false, true)) {
            endConnection.run();
        }
    }

    /** A publish of the connection was answered with success. */
    void succeeded() {
        unsettled.decrementAndGet();
    }
}
