package org.cardiowatch.schemas.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest value per key of a compacted reference topic (devices, patients, care teams...),
 * read from the beginning and then followed, so every instance of a service sees all of it.
 * A tombstone removes the key.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);

    private final Topic<String, V> topic;
    private final Map<String, V> latest = new ConcurrentHashMap<>();
    private final BiConsumer<String, V> onChange;
    private final TopicFollower follower;

    public CompactedTopicView(Topic<String, V> topic, String bootstrapServers, Map<String, Object> clientConfig,
            BiConsumer<String, V> onChange) {
        this.topic = topic;
        this.onChange = onChange;
        this.follower = new TopicFollower("view-" + topic.name(), bootstrapServers, clientConfig,
                List.of(topic.name()), Instant.EPOCH, this::apply);
    }

    public CompactedTopicView(Topic<String, V> topic, String bootstrapServers) {
        this(topic, bootstrapServers, Map.of(), (key, value) -> { });
    }

    public CompactedTopicView<V> start() {
        follower.start();
        return this;
    }

    /** Waits until everything that was in the topic at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /** Caught up once and still reading: false while Kafka refuses or cannot serve the topic. */
    public boolean isCurrent() {
        return follower.isCaughtUp() && !follower.isFailing();
    }

    public Optional<V> get(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(latest.get(key));
    }

    public Map<String, V> snapshot() {
        return Map.copyOf(latest);
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
            V value = topic.decode(record.value());
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
        follower.close();
    }
}
