package org.cardiowatch.alerts.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.Topics;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies cw.vitals, cw.vitals.1m and the alert episodes of cw.alerts into the history store in batches. Offsets are committed
 * only after InfluxDB took the batch; when it does not (an outage), the consumer goes back to the
 * batch's first offsets and tries again after a pause, so nothing is lost, and a batch written
 * twice overwrites the same points, so nothing is doubled.
 */
public final class HistoryWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final InfluxHistoryStore store;
    private final Duration retryPause;
    private final Thread thread;
    private final AtomicLong failedBatches = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean storeUp = true;

    /** The consumer group of the history writers: one group per history store. */
    public static final String GROUP = "cw-history";

    /** @param groupId {@link #GROUP}; another only for a second store fed from the same topics */
    public HistoryWriter(String bootstrapServers, Map<String, Object> clientConfig, String groupId,
            InfluxHistoryStore store, Duration retryPause) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.store = store;
        this.retryPause = retryPause;
        this.thread = new Thread(this::run, "history-writer");
        thread.setDaemon(true);
    }

    public HistoryWriter start() {
        consumer.subscribe(List.of(Topics.VITALS.name(), Topics.VITALS_1M.name(), Topics.ALERTS.name()));
        thread.start();
        return this;
    }

    public long failedBatches() {
        return failedBatches.get();
    }

    /** False while the store refuses writes. */
    public boolean isStoreUp() {
        return storeUp;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    writeBatch(records);
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void writeBatch(ConsumerRecords<String, byte[]> records) {
        List<Point> raw = new ArrayList<>();
        List<Point> kept = new ArrayList<>();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            if (record.value() == null) {
                continue;
            }
            try {
                if (record.topic().equals(Topics.VITALS.name())) {
                    HistoryPoints.of(Topics.VITALS.valueSerde().deserializer().deserialize(record.topic(), record.value()))
                            .ifPresent(raw::add);
                } else if (record.topic().equals(Topics.ALERTS.name())) {
                    kept.add(HistoryPoints.of(
                            Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value())));
                } else {
                    kept.add(HistoryPoints.of(
                            Topics.VITALS_1M.valueSerde().deserializer().deserialize(record.topic(), record.value())));
                }
            } catch (RuntimeException e) {
                // An unreadable record must not stop every patient's history; the position says which one.
                LOG.warn("Skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getClass().getSimpleName());
            }
        }
        try {
            store.write(raw, kept);
            consumer.commitSync();
            if (!storeUp) {
                LOG.info("History store is back; writing resumed");
            }
            storeUp = true;
        } catch (RuntimeException e) {
            failedBatches.incrementAndGet();
            if (storeUp) {
                LOG.warn("History store refused a batch ({}); retrying from Kafka every {}", e.getClass().getSimpleName(),
                        retryPause);
            }
            storeUp = false;
            firstOffsets.forEach(consumer::seek);
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
