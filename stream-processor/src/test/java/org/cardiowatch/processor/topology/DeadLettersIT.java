package org.cardiowatch.processor.topology;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.DeadLetter;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record the processor cannot read or process, on a real Kafka broker: set aside with its
 * position and reason, the patient's technical alert raised, and the analysis goes on.
 */
class DeadLettersIT {

    private static final String PATIENT = "dead-letter-patient";
    private static final String APPLICATION = "dead-letters-it";

    @TempDir
    Path folder;

    @Test
    void shouldSetAsideAnUnreadableReadingAndGoOnWithTheNext() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS);
                TopicReader<DeadLetter> deadLetters = new TopicReader<>(kafka.bootstrapServers(), Topics.DEAD_LETTERS)) {
            KafkaStreams streams = start(kafka, folder.resolve("state"));
            RecordMetadata garbage = sendRaw(kafka, "not an Avro reading".getBytes(StandardCharsets.UTF_8));
            Instant start = Instant.now().minusSeconds(120);
            for (int second = 0; second <= 70; second += 5) {
                Instant at = start.plusSeconds(second);
                writer.write(Topics.VITALS, PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-dl")
                        .setSequence(second + 1L).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(150f).build());
            }

            List<TopicReader.Entry<DeadLetter>> set = deadLetters.await(e -> PATIENT.equals(e.key()), 1,
                    Duration.ofSeconds(60));
            List<TopicReader.Entry<Alert>> tachycardia = alerts.await(e -> PATIENT.equals(e.key())
                    && e.value().getKind() == AlertKind.TACHYCARDIA, 1, Duration.ofSeconds(60));
            List<TopicReader.Entry<Alert>> technical = alerts.await(e -> PATIENT.equals(e.key())
                    && e.value().getKind() == AlertKind.DATA_NOT_ANALYSED, 1, Duration.ofSeconds(60));
            streams.close(Duration.ofSeconds(30));

            DeadLetter letter = set.get(0).value();
            assertThat("where it is", List.of(letter.getSourceTopic(), letter.getPartition(), letter.getOffset()),
                    equalTo(List.<Object>of(Topics.VITALS.name(), garbage.partition(), garbage.offset())));
            assertThat("it could not be read, so no step", letter.getStep(), nullValue());
            assertThat(letter.getReason(), containsString("Exception"));
            assertThat("the readings after it are analysed: the tachycardia is raised", tachycardia, hasSize(1));
            assertThat("and the patient's team is told a record was not analysed", technical, hasSize(1));
        }
    }

    @Test
    void shouldSetAsideAReadingWhoseStateCannotBeReadAndRaiseTheTechnicalAlert() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS);
                TopicReader<DeadLetter> deadLetters = new TopicReader<>(kafka.bootstrapServers(), Topics.DEAD_LETTERS)) {
            // State a newer or broken version wrote: the device's duplicate window, in a format this one cannot read.
            String changelog = APPLICATION + "-" + ProcessorTopology.SEQUENCE_STORE + "-changelog";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(changelog, 3, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            int partition = BuiltInPartitioner.partitionForKey(PATIENT.getBytes(StandardCharsets.UTF_8), 3);
            sendRaw(kafka, changelog, partition, ProcessorTopology.deviceKey(PATIENT, "dev-state") + "|vitals",
                    new byte[] {99, 1, 2, 3});
            KafkaStreams streams = start(kafka, folder.resolve("state"));
            Instant at = Instant.now();
            writer.write(Topics.VITALS, PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-state")
                    .setSequence(1L).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(70f).build());

            List<TopicReader.Entry<DeadLetter>> set = deadLetters.await(e -> PATIENT.equals(e.key()), 1,
                    Duration.ofSeconds(60));
            List<TopicReader.Entry<Alert>> raised = alerts.await(e -> PATIENT.equals(e.key()), 1, Duration.ofSeconds(60));
            streams.close(Duration.ofSeconds(30));

            assertThat("set aside", set, hasSize(1));
            assertThat("and the technical alert", raised, hasSize(1));
            assertThat("the step whose state could not be read", set.get(0).value().getStep(),
                    equalTo("deduplicate-vitals"));
            assertThat(set.get(0).value().getReason(), containsString("Unknown processor state format 99"));
            Alert alert = raised.get(0).value();
            assertThat(List.of(alert.getKind(), alert.getState()),
                    equalTo(List.<Object>of(AlertKind.DATA_NOT_ANALYSED, AlertState.OPEN)));
            assertThat(alert.getEvidence().getSummary(), containsString("1 record could not be analysed on vitals"));
        }
    }

    private static RecordMetadata sendRaw(EmbeddedKafka kafka, String topic, int partition, String key, byte[] value)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        }
    }

    private static RecordMetadata sendRaw(EmbeddedKafka kafka, byte[] value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.VITALS.name(), PATIENT, value)).get();
        }
    }

    private static KafkaStreams start(EmbeddedKafka kafka, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // As the service is configured (application.properties).
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
        KafkaStreams streams = new KafkaStreams(ProcessorTopology.build(ProcessorTopologyTest.SETTINGS), props);
        streams.start();
        await("Kafka Streams is running").atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }
}
