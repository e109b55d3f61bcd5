package org.cardiowatch.embedded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cardiowatch.schemas.topics.Topic;

/**
 * Reads a topic from its beginning, decoded, for tests and tools: every record seen so far, and
 * waiting for the records a test expects (committed ones only, as downstream services read them).
 */
public final class TopicReader<V> implements AutoCloseable {

    /** A decoded record. */
    public record Entry<V>(String key, V value, int partition, long offset, long timestamp) {
    }

    private final Topic<String, V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Entry<V>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, Topic<String, V> topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until at least {@code count} records match, or the timeout passes; returns the matches. */
    public List<Entry<V>> await(Predicate<Entry<V>> matching, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<Entry<V>> matches = matches(matching);
        while (matches.size() < count && Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
            matches = matches(matching);
        }
        return matches;
    }

    /** Polls for {@code duration} and returns everything that matches: for "nothing more came" checks. */
    public List<Entry<V>> readFor(Predicate<Entry<V>> matching, Duration duration) {
        Instant deadline = Instant.now().plus(duration);
        while (Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
        }
        return matches(matching);
    }

    private List<Entry<V>> matches(Predicate<Entry<V>> matching) {
        return seen.stream().filter(matching).toList();
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            V value = record.value() == null ? null
                    : topic.decode(record.value());
            seen.add(new Entry<>(record.key(), value, record.partition(), record.offset(), record.timestamp()));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
