package org.cardiowatch.schemas.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of some topics from a point in time (no consumer group: each instance
 * reads all of it) and hands each record to a handler on one thread. A handler failure is logged
 * with its position and skipped, so one bad record cannot stop the dashboard; a failure to read
 * (not authorized yet, Kafka unreachable) is logged and retried, backing off from 1 s to 30 s.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Instant from;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Thread thread;
    private volatile boolean failing;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);

    /** @param from where to start reading; {@link Instant#EPOCH} for everything retained */
    public TopicFollower(String name, String bootstrapServers, Map<String, Object> clientConfig, List<String> topics,
            Instant from, Consumer<ConsumerRecord<String, byte[]>> handler) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.from = from;
        this.handler = handler;
        this.thread = new Thread(this::run, "follow-" + name);
        this.thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    /** Whether everything that was in the topics at start has been handled. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Whether the last attempt to read failed: what was handled may be out of date until it succeeds. */
    public boolean isFailing() {
        return failing;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        // Null until the partitions are assigned and their end offsets known.
        Map<TopicPartition, Long> end = null;
        Duration retryIn = FIRST_RETRY;
        try {
            while (closing.getCount() > 0) {
                try {
                    if (end == null) {
                        end = new HashMap<>(consumer.endOffsets(assign()));
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        handle(record);
                    }
                    retryIn = FIRST_RETRY;
                    failing = false;
                    if (caughtUp.getCount() > 0) {
                        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                        if (end.isEmpty()) {
                            caughtUp.countDown();
                        }
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A view that stopped for good would go on answering from stale data (a revoked
                    // device still admitted), so keep trying: an ACL granted a moment after start, a
                    // broker back. The consumer keeps its positions, so nothing is handled twice.
                    failing = true;
                    LOG.error("Following {} failed, retrying in {}: {}", topics, retryIn, e.toString());
                    if (closing.await(retryIn.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    Duration doubled = retryIn.multipliedBy(2);
                    retryIn = doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofMinutes(5))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        seek(partitions);
        return partitions;
    }

    private void seek(Collection<TopicPartition> partitions) {
        if (from.equals(Instant.EPOCH)) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        List<TopicPartition> atEnd = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                atEnd.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        consumer.seekToEnd(atEnd);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            LOG.error("Skipping record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
