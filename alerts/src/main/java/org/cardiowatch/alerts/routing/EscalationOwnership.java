package org.cardiowatch.alerts.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.cardiowatch.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which alerts this instance escalates and saves. The alerts instances share a Kafka consumer
 * group on cw.alerts.current (keyed by alert id) that reads nothing (every partition it is given
 * is paused): the group only gives each partition to one instance, so each alert is escalated and
 * saved by one instance, and an instance that stops hands its partitions to the others after the
 * session timeout.
 */
public final class EscalationOwnership implements AutoCloseable {

    /** The consumer group of the alerts instances' escalation. */
    public static final String GROUP = "cw-alerts-escalation";
    private static final Logger LOG = LoggerFactory.getLogger(EscalationOwnership.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final Consumer<Set<Integer>> onAssigned;
    private volatile int partitions;
    private volatile boolean running = true;

    /** @param onAssigned told of the partitions given to this instance, on the group's thread */
    public EscalationOwnership(String bootstrapServers, Map<String, Object> clientConfig,
            Consumer<Set<Integer>> onAssigned) {
        this.onAssigned = onAssigned;
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A stopped instance's patients are escalated by another within 10 s, not the client's 45 s.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "escalation-ownership");
        this.thread.setDaemon(true);
    }

    public EscalationOwnership start() {
        thread.start();
        return this;
    }

    /** Whether this instance escalates and saves the alert now. */
    public boolean owns(String alertId) {
        int count = partitions;
        return count > 0 && alertId != null && owned.contains(partitionOf(alertId, count));
    }

    /** The partitions of cw.alerts this instance holds now. */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** The partition Kafka's default partitioner gives a record keyed by this id. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void run() {
        while (running) {
            try {
                if (partitions == 0) {
                    partitions = consumer.partitionsFor(Topics.ALERTS_CURRENT.name(), Duration.ofSeconds(10)).size();
                    consumer.subscribe(List.of(Topics.ALERTS_CURRENT.name()), new Listener());
                }
                consumer.poll(Duration.ofSeconds(1));
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                // Not authorized yet, Kafka unreachable: owns nothing meanwhile (the group gives its partitions to others).
                owned.clear();
                LOG.warn("Escalation ownership: {}; retrying", e.toString());
                sleepQuietly();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            revoked.forEach(partition -> owned.remove(partition.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(partition -> owned.remove(partition.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // Held, never read: the board reads cw.alerts.current on its own.
            consumer.pause(assigned);
            Set<Integer> given = new HashSet<>();
            assigned.forEach(partition -> given.add(partition.partition()));
            owned.addAll(given);
            LOG.info("Escalating the alerts of {} of {} partitions", owned.size(), partitions);
            onAssigned.accept(given);
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
