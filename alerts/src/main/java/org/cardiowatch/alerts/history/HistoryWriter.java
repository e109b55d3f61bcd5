package org.cardiowatch.alerts.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cardiowatch.schemas.topics.CommittingBatchConsumer;
import org.cardiowatch.schemas.topics.Topics;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies cw.vitals, cw.vitals.1m and the alert episodes of cw.alerts into the history store in
 * batches, at least once ({@link CommittingBatchConsumer}); a batch written twice overwrites the
 * same points, so nothing is doubled. Records of an erased patient still in the topics are
 * skipped: erased data never comes back.
 */
public final class HistoryWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

    /** The consumer group of the history writers: one group per history store. */
    public static final String GROUP = "cw-history";

    private final InfluxHistoryStore store;
    private final CommittingBatchConsumer consumer;
    private final Predicate<String> erased;

    /**
     * @param groupId {@link #GROUP}; another only for a second store fed from the same topics
     * @param erased whether a patient id is an erased patient's ({@code ErasedPatients::isErased})
     */
    public HistoryWriter(String bootstrapServers, Map<String, Object> clientConfig, String groupId,
            InfluxHistoryStore store, Duration retryPause, Predicate<String> erased) {
        this.store = store;
        this.erased = erased;
        this.consumer = new CommittingBatchConsumer("history-writer", bootstrapServers, clientConfig, groupId,
                List.of(Topics.VITALS.name(), Topics.VITALS_1M.name(), Topics.ALERTS.name()), 5_000, this::write,
                retryPause);
    }

    public HistoryWriter start() {
        consumer.start();
        return this;
    }

    public long failedBatches() {
        return consumer.failedBatches();
    }

    /** False while the store refuses writes. */
    public boolean isStoreUp() {
        return consumer.isSinkUp();
    }

    private void write(List<ConsumerRecord<String, byte[]>> batch) {
        List<Point> raw = new ArrayList<>();
        List<Point> kept = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.value() == null || erased.test(record.key())) {
                continue;
            }
            try {
                if (record.topic().equals(Topics.VITALS.name())) {
                    HistoryPoints.of(Topics.VITALS.decode(record.value()))
                            .ifPresent(raw::add);
                } else if (record.topic().equals(Topics.ALERTS.name())) {
                    kept.add(HistoryPoints.of(
                            Topics.ALERTS.decode(record.value())));
                } else {
                    kept.add(HistoryPoints.of(
                            Topics.VITALS_1M.decode(record.value())));
                }
            } catch (RuntimeException e) {
                // An unreadable record must not stop every patient's history; the position says which one.
                LOG.warn("Skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getClass().getSimpleName());
            }
        }
        store.write(raw, kept);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
