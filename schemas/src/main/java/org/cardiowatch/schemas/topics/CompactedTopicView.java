package org.cardiowatch.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest value per key of a compacted reference topic (devices, patients, care teams...),
 * read from the beginning and then followed, so every instance of a service sees all of it.
 * A tombstone removes the key. There is no consumer group: each instance reads every partition.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);

    private final Topic<String, V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, V> latest = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final BiConsumer<String, V> onChange;
    private final Thread thread;
    private volatile boolean running = true;

    public CompactedTopicView(Topic<String, V> topic, String bootstrapServers, Map<String, Object> clientConfig,
            BiConsumer<String, V> onChange) {
        this.topic = topic;
        this.onChange = onChange;
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "view-" + topic.name());
        this.thread.setDaemon(true);
    }

    public CompactedTopicView(Topic<String, V> topic, String bootstrapServers) {
        this(topic, bootstrapServers, Map.of(), (key, value) -> { });
    }

    public CompactedTopicView<V> start() {
        thread.start();
        return this;
    }

    /** Waits until everything that was in the topic at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public Optional<V> get(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(latest.get(key));
    }

    public Map<String, V> snapshot() {
        return Map.copyOf(latest);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofMinutes(5)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0) {
                    end.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
                    if (end.isEmpty()) {
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Reading reference topic {} stopped: {}", topic.name(), e.toString());
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            latest.remove(record.key());
            onChange.accept(record.key(), null);
            return;
        }
        try {
            V value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            latest.put(record.key(), value);
            onChange.accept(record.key(), value);
        } catch (SerializationException e) {
            // Keep the previous value: a bad record must not erase good reference data.
            LOG.error("Skipping unreadable record in {} partition {} offset {}: {}",
                    topic.name(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
