package org.cardiowatch.alerts.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * Which patients' alerts this instance escalates. The alerts instances share a Kafka consumer
 * group on cw.alerts that reads nothing (every partition it is given is paused): the group only
 * gives each partition to one instance, so each alert is escalated by one instance, and an
 * instance that stops hands its partitions to the others after the session timeout.
 */
public final class EscalationOwnership implements AutoCloseable {

    /** The consumer group of the alerts instances' escalation. */
    public static final String GROUP = "cw-alerts-escalation";
    private static final Logger LOG = LoggerFactory.getLogger(EscalationOwnership.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile int partitions;
    private volatile boolean running = true;

    public EscalationOwnership(String bootstrapServers, Map<String, Object> clientConfig) {
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

    /** Whether this instance escalates the patient's alerts now. */
    public boolean owns(String patientId) {
        int count = partitions;
        return count > 0 && patientId != null && owned.contains(partitionOf(patientId, count));
    }

    /** The partitions of cw.alerts this instance holds now. */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** The partition Kafka's default partitioner gives a record keyed by this patient id. */
    static int partitionOf(String patientId, int partitions) {
        return Utils.toPositive(Utils.murmur2(patientId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void run() {
        while (running) {
            try {
                if (partitions == 0) {
                    partitions = consumer.partitionsFor(Topics.ALERTS.name(), Duration.ofSeconds(10)).size();
                    consumer.subscribe(List.of(Topics.ALERTS.name()), new Listener());
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
            // Held, never read: the board reads cw.alerts on its own.
            consumer.pause(assigned);
            assigned.forEach(partition -> owned.add(partition.partition()));
            LOG.info("Escalating the alerts of {} of {} partitions", owned.size(), partitions);
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
