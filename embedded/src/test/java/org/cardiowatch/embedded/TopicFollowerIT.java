package org.cardiowatch.embedded;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view of a topic keeps trying when Kafka refuses it, so a grant that arrives after the service
 * started (an ACL not yet propagated, a KafkaUser reconciled late) is picked up without a restart.
 */
class TopicFollowerIT {

    @TempDir
    static Path folder;
    static LocalBrokers brokers;

    @BeforeAll
    static void start() {
        // Kafka enforcing ACLs; the MQTT broker's own grant, so that it starts.
        brokers = LocalBrokers.start(folder, 0, 1, 0, 1, 1, true,
                grants("cw-mqtt", Topics.DEVICES.name()));
    }

    @AfterAll
    static void stop() {
        brokers.close();
    }

    @Test
    void shouldReadATopicOnceItsGrantArrives() throws InterruptedException {
        write("p-late", "Late Grant");
        try (CompactedTopicView<Patient> view = new CompactedTopicView<>(Topics.PATIENTS, brokers.bootstrapServers(),
                brokers.kafkaClientSettings("cw-late"), (key, value) -> { }).start()) {
            assertFalse(view.awaitCaughtUp(Duration.ofSeconds(3)), "read without a grant");

            brokers.kafka().createAcls(grants("cw-late", Topics.PATIENTS.name()));

            assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)), "read once granted");
            assertThat(view.get("p-late").map(Patient::getDisplayName).orElse(null), is("Late Grant"));
        }
    }

    /** What the ingest's readiness rests on: a view that fails after catching up is no longer current. */
    @Test
    void shouldNotBeCurrentWhileKafkaRefusesAViewThatHadCaughtUp() throws Exception {
        brokers.kafka().createAcls(grants("cw-revoked", Topics.PATIENTS.name()));
        try (CompactedTopicView<Patient> view = new CompactedTopicView<>(Topics.PATIENTS, brokers.bootstrapServers(),
                brokers.kafkaClientSettings("cw-revoked"), (key, value) -> { }).start()) {
            assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)), "read while granted");
            assertTrue(view.isCurrent());

            try (Admin admin = Admin.create(adminSettings())) {
                admin.deleteAcls(grants("cw-revoked", Topics.PATIENTS.name()).stream().map(AclBinding::toFilter)
                        .toList()).all().get(30, TimeUnit.SECONDS);
            }
            await("not current once refused").atMost(Duration.ofSeconds(60)).until(() -> !view.isCurrent());

            brokers.kafka().createAcls(grants("cw-revoked", Topics.PATIENTS.name()));
            write("p-meanwhile", "Written While Refused");
            await("current again, and what was written meanwhile read").atMost(Duration.ofSeconds(60))
                    .until(() -> view.isCurrent() && view.get("p-meanwhile").isPresent());
        }
    }

    private static void write(String patientId, String name) {
        try (TopicWriter tools = new TopicWriter(brokers.bootstrapServers(),
                brokers.kafkaClientSettings(LocalBrokers.LOCAL_TOOLS))) {
            tools.write(Topics.PATIENTS, patientId, Patient.newBuilder().setPatientId(patientId).setDisplayName(name)
                    .build());
        }
    }

    private static Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(brokers.kafkaClientSettings(LocalBrokers.LOCAL_TOOLS));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        return settings;
    }

    private static List<AclBinding> grants(String service, String topic) {
        return Stream.of(AclOperation.READ, AclOperation.DESCRIBE).map(operation -> new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:CN=" + service, "*", operation, AclPermissionType.ALLOW))).toList();
    }
}
