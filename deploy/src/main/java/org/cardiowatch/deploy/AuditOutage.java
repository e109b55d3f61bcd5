package org.cardiowatch.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Makes cw.audit refuse the alerts service's writes, for the scale benchmark: an ACL that denies
 * its KafkaUser writing there (a deny wins over the allow of kafka.yaml), removed afterwards.
 * Every write of the audit fails until then, as while the topic is unavailable; reads go on.
 * (Raising the topic's min.insync.replicas above its replicas, the first idea, does not stop writes
 * on Kafka 4.1 with one replica: measured.)
 */
final class AuditOutage implements AutoCloseable {

    private static final AclBinding DENY_WRITE = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, Topics.AUDIT.name(), PatternType.LITERAL),
            new AccessControlEntry("User:CN=cw-alerts", "*", AclOperation.WRITE, AclPermissionType.DENY));

    private final Admin admin;
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
        if (wanted) {
            admin.createAcls(List.of(DENY_WRITE)).all().get(30, TimeUnit.SECONDS);
        } else {
            admin.deleteAcls(List.of(DENY_WRITE.toFilter())).all().get(30, TimeUnit.SECONDS);
        }
        down = wanted;
        System.out.printf("  cw.audit %s%n", wanted ? "refuses the alerts service's writes" : "takes writes again");
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
