package org.cardiowatch.ingest.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingest's counters, the same whichever shell runs the checks: every message by outcome,
 * reason and topic ({@code cw_ingest_messages_total}), and Kafka's refusals.
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter kafkaFailures;
    private final Counter connectionsEnded;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.kafkaFailures = registry.counter("cw.ingest.kafka.failures");
        this.connectionsEnded = registry.counter("cw.ingest.connections.ended");
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A decision Kafka has taken (or, for a redelivery, had already). */
    public void written(IngestDecision decision) {
        if (decision instanceof IngestDecision.Accepted<?> accepted) {
            registry.counter("cw.ingest.messages", "outcome", "accepted", "reason", "none",
                    "topic", accepted.topic().name()).increment();
        } else if (decision instanceof IngestDecision.Rejected rejected) {
            registry.counter("cw.ingest.messages", "outcome", "rejected",
                    "reason", rejected.rejection().getReason().name(), "topic", "cw.ingest.rejected").increment();
        } else {
            registry.counter("cw.ingest.messages", "outcome", "redelivered", "reason", "none", "topic", "none")
                    .increment();
        }
    }

    /** A device's connection ended by the ingest: too many of its messages not stored. */
    public void connectionEnded() {
        connectionsEnded.increment();
    }

    /** Kafka did not take a record in time: the device was not told it is stored. */
    public void kafkaFailed() {
        kafkaFailures.increment();
    }
}
