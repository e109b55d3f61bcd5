package org.cardiowatch.schemas.topics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates CardioWatch's topics where they are missing, for the local stack and the tests.
 * Production creates them declaratively (see deploy/); this is the same list.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** Creates every missing topic of the registry; leaves existing ones alone. */
    public static void createMissing(Admin admin, int partitions, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> newTopic(topic, partitions, replicationFactor))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create CardioWatch topics: " + e.getMessage(), e);
        }
    }

    static NewTopic newTopic(Topic<?, ?> topic, int partitions, short replicationFactor) {
        NewTopic newTopic = new NewTopic(topic.name(), partitions, replicationFactor);
        if (topic.compacted()) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        } else if (Topics.keptForever(topic)) {
            // The audit trail outlives every retention policy; the hospital archives and prunes it by its own rules.
            // The ends of monitoring too: an erasure must outlive every record of the patient still in a topic.
            newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        }
        return newTopic;
    }
}
