package org.cardiowatch.schemas.topics;

import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies topics to an outside system (a database, a FHIR server) in batches, at least once:
 * offsets are committed only after the sink took a batch; when it does not (an outage), the
 * consumer goes back to the batch's first offsets and tries again after a pause. Nothing is lost,
 * and a sink that writes idempotently (same record, same key there) doubles nothing.
 */
public final class CommittingBatchConsumer implements AutoCloseable {

    /** Takes one batch; throws when it could not, so the batch is read again. */
    @FunctionalInterface
    public interface BatchSink {
        void write(List<ConsumerRecord<String, byte[]>> batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CommittingBatchConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final BatchSink sink;
    private final Duration retryPause;
    private final Thread thread;
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong writtenRecords = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean sinkUp = true;

    /**
     * @param name what the sink is, for logs and the thread name
     * @param groupId the consumer group: one per sink
     * @param maxBatch the most records per batch
     */
    public CommittingBatchConsumer(String name, String bootstrapServers, Map<String, Object> clientConfig,
            String groupId, List<String> topics, int maxBatch, BatchSink sink, Duration retryPause) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
        this.name = name;
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.sink = sink;
        this.retryPause = retryPause;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public CommittingBatchConsumer start() {
        consumer.subscribe(topics);
        thread.start();
        return this;
    }

    /** Batches the sink refused so far (each is read again). */
    public long failedBatches() {
        return failedBatches.get();
    }

    /** Records the sink took, counting a record read again after a failure once more. */
    public long writtenRecords() {
        return writtenRecords.get();
    }

    /** False while the sink refuses batches. */
    public boolean isSinkUp() {
        return sinkUp;
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
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> batch = new java.util.ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            batch.add(record);
        }
        try {
            sink.write(batch);
            consumer.commitSync();
            writtenRecords.addAndGet(batch.size());
            if (!sinkUp) {
                LOG.info("{}: the sink is back; writing resumed", name);
            }
            sinkUp = true;
        } catch (RuntimeException e) {
            failedBatches.incrementAndGet();
            if (sinkUp) {
                LOG.warn("{}: the sink refused a batch ({}); retrying from Kafka every {}", name,
                        e.getClass().getSimpleName(), retryPause);
            }
            sinkUp = false;
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
