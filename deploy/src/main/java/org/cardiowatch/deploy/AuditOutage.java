package org.cardiowatch.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Makes cw.audit refuse writes, for the scale benchmark, as a partition that lost its in-sync
 * replicas does: its {@code min.insync.replicas} is raised above its replica count, so every
 * fully acknowledged write is answered NOT_ENOUGH_REPLICAS (retriable) until it is set back.
 * Reads go on.
 */
final class AuditOutage implements AutoCloseable {

    private static final ConfigResource AUDIT = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIT.name());

    private final Admin admin;
    private String normal;
    private volatile boolean down;

    AuditOutage(LocalStack stack) {
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.brokers().bootstrapServers());
        this.admin = Admin.create(config);
    }

    boolean isDown() {
        return down;
    }

    /** Takes cw.audit down or brings it back; nothing when it already is so. */
    void set(boolean wanted) throws Exception {
        if (wanted == down) {
            return;
        }
        if (normal == null) {
            normal = admin.describeConfigs(List.of(AUDIT)).all().get(30, TimeUnit.SECONDS).get(AUDIT)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
        }
        String value = normal;
        if (wanted) {
            int replicas = admin.describeTopics(List.of(Topics.AUDIT.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.AUDIT.name()).partitions().get(0).replicas().size();
            value = String.valueOf(replicas + 1);
        }
        admin.incrementalAlterConfigs(Map.of(AUDIT, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, value), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
        down = wanted;
        System.out.printf("  cw.audit %s (min.insync.replicas %s)%n", wanted ? "refuses writes" : "takes writes again",
                value);
    }

    @Override
    public void close() throws Exception {
        try {
            set(false);
        } finally {
            admin.close();
        }
    }
}
