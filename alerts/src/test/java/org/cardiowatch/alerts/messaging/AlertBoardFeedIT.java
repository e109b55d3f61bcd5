package org.cardiowatch.alerts.messaging;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert that outlives the retention of cw.alerts and cw.alert-actions: restarted on a real
 * Kafka broker after its events are gone, the board still has it, open and acknowledged.
 */
class AlertBoardFeedIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepAnAlertOpenForDaysWithItsAcknowledgementAcrossARestartAfterItsEventsExpired() throws Exception {
        Instant opened = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minus(Duration.ofDays(8));
        Instant raised = opened.plusSeconds(60);
        Instant acknowledged = raised.plusSeconds(120);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers())) {
            AlertBoard before = new AlertBoard(Duration.ofHours(24));
            try (AlertBoardFeed feed = new AlertBoardFeed(before, kafka.bootstrapServers(), Map.of(), writer,
                    patientId -> false).start()) {
                // Persistent AF: the processor emits nothing more after its opening.
                writer.write(Topics.ALERTS, "p-af", Alert.newBuilder().setAlertId("af-1").setPatientId("p-af")
                        .setKind(AlertKind.ATRIAL_FIBRILLATION).setSeverity(AlertSeverity.WARNING)
                        .setState(AlertState.OPEN).setOpenedAt(opened).setUpdatedAt(raised)
                        .setEvidence(AlertEvidence.newBuilder().setSummary("atrial fibrillation").build()).build());
                AlertAction ack = AlertAction.newBuilder().setAlertId("af-1").setPatientId("p-af")
                        .setAction(AlertActionKind.ACKNOWLEDGED).setActor("cardio1").setAt(acknowledged).build();
                await("the alert is on the board and this instance owns it").atMost(WAIT)
                        .until(() -> before.get("af-1").isPresent() && feed.owns("af-1"));
                writer.write(Topics.ALERT_ACTIONS, "p-af", ack);
                await("acknowledged and saved").atMost(WAIT).until(() -> before.get("af-1").orElseThrow()
                        .isAcknowledged() && feed.isSaved());
            }

            // Eight days on: the retention of the event topics removed the alert's events.
            expireEverything(kafka.bootstrapServers(), List.of(Topics.ALERTS.name(), Topics.ALERT_ACTIONS.name()));

            AlertBoard after = new AlertBoard(Duration.ofHours(24));
            try (AlertBoardFeed feed = new AlertBoardFeed(after, kafka.bootstrapServers(), Map.of(), writer,
                    patientId -> false).start()) {
                await().atMost(WAIT).until(feed::isCaughtUp);
                AlertRecord restored = after.get("af-1").orElseThrow();
                assertThat("still open", restored.isOpen(), is(true));
                assertThat("with its acknowledgement", restored.acknowledgedBy(), equalTo("cardio1"));
                assertThat(restored.acknowledgedAt(), equalTo(acknowledged));
                assertThat("escalation is still timed from when it was raised", restored.raisedAt(),
                        equalTo(before.get("af-1").orElseThrow().raisedAt()));
                assertThat(restored.alert().getKind(), is(AlertKind.ATRIAL_FIBRILLATION));
            }
        }
    }

    private static void expireEverything(String bootstrapServers, List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String topic : topics) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
            admin.listOffsets(ends).all().get().forEach((partition, end) ->
                    deletions.put(partition, RecordsToDelete.beforeOffset(end.offset())));
            admin.deleteRecords(deletions).all().get();
        }
    }
}
