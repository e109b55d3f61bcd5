package org.cardiowatch.alerts.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.schemas.audit.AuditChain;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.jboss.logging.Logger;

/**
 * Writes one audit chain from a thread of its own, in batches (one Kafka round trip for all the
 * events waiting), so no alarm ever waits on the audit. An alarm push hands its event over and goes
 * on; a request waits for its event to be stored ({@link AuditLog}). Requests' events wait in a
 * bounded queue: when it is full a request is refused at once, so back-pressure reaches HTTP
 * requests, never alarms (their events are always taken: there are few).
 *
 * <p>The chain stays gap-free: a batch is built from the chain's head, which moves only once
 * Kafka has the whole batch; a batch that fails is sent again as it was (same indexes, same
 * hashes), so a failure that had in fact landed leaves at worst an exact copy, which the verifier
 * skips.
 */
final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 500;
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** An event to write, and what to tell when it is stored. */
    private record Pending(AuditEvent.Builder draft, boolean request, CompletableFuture<Void> stored) {
    }

    /** The audit trail cannot take the event now. */
    static final class AuditUnavailable extends RuntimeException {
        AuditUnavailable(String message) {
            super(message);
        }
    }

    private final AuditChain chain;
    private final TopicWriter writer;
    private final int requestCapacity;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger requestsWaiting = new AtomicInteger();
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;

    /** @param requestCapacity how many requests' events may wait before requests are refused */
    AuditWriter(AuditChain chain, TopicWriter writer, int requestCapacity) {
        this.chain = chain;
        this.writer = writer;
        this.requestCapacity = requestCapacity;
        this.thread = new Thread(this::run, "audit-writer");
        this.thread.setDaemon(true);
    }

    AuditWriter start() {
        thread.start();
        return this;
    }

    /** A request's event: refused at once when too many wait already; completes once stored. */
    CompletableFuture<Void> submitForRequest(AuditEvent.Builder draft) {
        if (requestsWaiting.incrementAndGet() > requestCapacity) {
            requestsWaiting.decrementAndGet();
            return CompletableFuture.failedFuture(new AuditUnavailable(
                    "the audit trail is not keeping up (" + requestCapacity + " events waiting)"));
        }
        return enqueue(draft, true);
    }

    /** An alarm push's event: always taken, never waited for. */
    void submitForAlarm(AuditEvent.Builder draft) {
        enqueue(draft, false);
    }

    /** Events handed in and not stored yet. */
    int waiting() {
        return unwritten.get();
    }

    private CompletableFuture<Void> enqueue(AuditEvent.Builder draft, boolean request) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        unwritten.incrementAndGet();
        queue.add(new Pending(draft, request, stored));
        return stored;
    }

    private void run() {
        try {
            writeBatches();
        } catch (AuditUnavailable stopped) {
            LOG.debugf("Audit writer stopped with %d events unwritten", queue.size());
        }
    }

    private void writeBatches() {
        while (running) {
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            List<AuditEvent> events = chain.nextBatch(batch.stream().map(Pending::draft).toList());
            writeUntilStored(events);
            events.forEach(chain::written);
            for (Pending pending : batch) {
                if (pending.request()) {
                    requestsWaiting.decrementAndGet();
                }
                unwritten.decrementAndGet();
                pending.stored().complete(null);
            }
        }
    }

    private void writeUntilStored(List<AuditEvent> events) {
        while (true) {
            try {
                writer.writeAll(Topics.AUDIT, chain.chainId(), events);
                if (failing) {
                    LOG.infof("The audit trail takes writes again");
                }
                failing = false;
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("The audit trail cannot be written (%s); %d events wait, requests are refused once %d do",
                            e.getClass().getSimpleName(), unwritten.get(), requestCapacity);
                }
                failing = true;
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AuditUnavailable("stopped");
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
