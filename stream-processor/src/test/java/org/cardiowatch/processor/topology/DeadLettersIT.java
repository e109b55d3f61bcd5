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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.DeadLetter;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record the processor cannot read, on a real Kafka broker: set aside with its position and reason, and the patient's analysis goes on. */
class DeadLettersIT {

    private static final String PATIENT = "dead-letter-patient";

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
            List<TopicReader.Entry<Alert>> raised = alerts.await(e -> PATIENT.equals(e.key()), 1, Duration.ofSeconds(60));
            streams.close(Duration.ofSeconds(30));

            DeadLetter letter = set.get(0).value();
            assertThat("where it is", List.of(letter.getSourceTopic(), letter.getPartition(), letter.getOffset()),
                    equalTo(List.<Object>of(Topics.VITALS.name(), garbage.partition(), garbage.offset())));
            assertThat("it could not be read, so no step", letter.getStep(), nullValue());
            assertThat(letter.getReason(), containsString("Exception"));
            assertThat("and the readings after it are analysed: the tachycardia is raised", raised, hasSize(1));
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
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letters-it");
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
