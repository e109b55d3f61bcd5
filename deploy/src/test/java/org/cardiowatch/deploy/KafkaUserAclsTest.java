package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The KafkaUsers of the Kubernetes manifests read as the Kafka ACLs the local stack enforces. */
class KafkaUserAclsTest {

    private static final List<AclBinding> ACLS = KafkaUserAcls.read(
            Path.of("..").toAbsolutePath().normalize().resolve(LocalStack.KAFKA_MANIFEST));

    @Test
    void shouldNameEachServiceByItsCertificatesCommonName() {
        assertThat(ACLS.stream().map(b -> b.entry().principal()).distinct().toList(),
                everyItem(is(in(Set.of("User:CN=cw-ingest", "User:CN=cw-processor", "User:CN=cw-alerts")))));
    }

    @Test
    void shouldLetTheIngestWriteReadingsAndNothingElse() {
        assertThat(ACLS, hasItem(allow("cw-ingest", ResourceType.TOPIC, "cw.vitals", PatternType.LITERAL, AclOperation.WRITE)));
        assertThat(ACLS, hasItem(allow("cw-ingest", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL,
                AclOperation.IDEMPOTENT_WRITE)));
        assertThat("no write of the ingest's reaches cw.alerts",
                ACLS.stream().filter(b -> b.entry().principal().equals("User:CN=cw-ingest"))
                        .filter(b -> b.entry().operation() == AclOperation.WRITE || b.entry().operation() == AclOperation.ALL)
                        .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC
                                && "cw.alerts".startsWith(b.pattern().name())).toList(),
                empty());
    }

    @Test
    void shouldReadStrimziResourceTypesAndPrefixes() {
        assertThat(ACLS, hasItem(allow("cw-processor", ResourceType.TRANSACTIONAL_ID, "cw-stream-processor",
                PatternType.PREFIXED, AclOperation.ALL)));
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:CN=" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
