package org.cardiowatch.schemas.topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a topic once, from a point in time to the end it had when the scan began, without a
 * consumer group. For rare reads that need a topic's whole content: the auditor API, the audit
 * verifier and chain resume, a patient's export and erasure. Each reads every partition from
 * {@code since}, so its cost grows with the topic: at scale, read only the key's partition.
 */
public final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicScan() {
    }

    /**
     * @param since read records written at or after this time ({@link Instant#EPOCH}: everything)
     * @param limit stop after this many matching records
     * @return the matching values, per partition in the order written
     */
    public static <V> List<V> read(String bootstrapServers, Map<String, ?> clientConfig, Topic<String, V> topic,
            Instant since, Predicate<V> matching, int limit) {
        List<V> found = new ArrayList<>();
        forEach(bootstrapServers, clientConfig, topic, since, (key, value) -> {
            if (value != null && matching.test(value)) {
                found.add(value);
            }
            return found.size() < limit;
        });
        return found;
    }

    /** What to do with each record: return false to stop the scan. The value is null for a tombstone. */
    @FunctionalInterface
    public interface Visitor<V> {
        boolean visit(String key, V value);
    }

    /** Visits every record from {@code since} to the end the topic had when the scan began. */
    public static <V> void forEach(String bootstrapServers, Map<String, ?> clientConfig, Topic<String, V> topic,
            Instant since, Visitor<V> visitor) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers, clientConfig)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(topic.name(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            seek(consumer, partitions, since, end);
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    V value = record.value() == null ? null
                            : topic.decode(record.value());
                    if (!visitor.visit(record.key(), value)) {
                        return;
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
    }

    /**
     * The last record written under {@code key} that matches, read backwards from the end of the
     * key's partition a step of records at a time: the work grows with what was written after it,
     * not with the topic's whole history.
     */
    public static <V> Optional<V> lastOf(String bootstrapServers, Map<String, ?> clientConfig,
            Topic<String, V> topic, String key, Predicate<V> matching, int step) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers, clientConfig)) {
            TopicPartition partition = partitionOf(consumer, topic, key);
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (end > begin) {
                long from = Math.max(begin, end - step);
                V found = null;
                consumer.seek(partition, from);
                while (consumer.position(partition) < end) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        if (record.offset() < end && key.equals(record.key()) && record.value() != null) {
                            V value = topic.decode(record.value());
                            if (matching.test(value)) {
                                found = value;
                            }
                        }
                    }
                }
                if (found != null) {
                    return Optional.of(found);
                }
                end = from;
            }
            return Optional.empty();
        }
    }

    /**
     * Visits every record written under {@code key}, reading only the key's partition: the work
     * grows with that partition, not with the whole topic.
     */
    public static <V> void forEachOfKey(String bootstrapServers, Map<String, ?> clientConfig, Topic<String, V> topic,
            String key, Visitor<V> visitor) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers, clientConfig)) {
            TopicPartition partition = partitionOf(consumer, topic, key);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seekToBeginning(List.of(partition));
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end && key.equals(record.key())
                            && !visitor.visit(record.key(), record.value() == null ? null : topic.decode(record.value()))) {
                        return;
                    }
                }
            }
        }
    }

    /** The partition Kafka's default partitioner gives the key. */
    private static TopicPartition partitionOf(KafkaConsumer<String, byte[]> consumer, Topic<String, ?> topic, String key) {
        int partitions = consumer.partitionsFor(topic.name()).size();
        return new TopicPartition(topic.name(),
                Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, Map<String, ?> clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void seek(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant since,
            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
        }
    }
}
