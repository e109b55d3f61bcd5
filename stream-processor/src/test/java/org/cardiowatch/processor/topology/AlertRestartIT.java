package org.cardiowatch.processor.topology;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.TopicReader;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real Kafka broker with exactly-once v2: an episode that spans a restart of the
 * processor (with its local state wiped, so it must come back from the changelog) stays one alert.
 */
class AlertRestartIT {

    private static final String PATIENT = "restart-patient";

    @TempDir
    static Path folder;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0).createTopics(3);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldKeepOneAlertForAnEpisodeThatSpansARestart() throws IOException {
        Instant start = Instant.now().minusSeconds(300);
        Path stateDir = folder.resolve("state");
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS)) {
            KafkaStreams first = start(stateDir);
            heartRate(writer, start, 0, 65, 140f);
            assertThat("the sustained tachycardia opens an alert before the restart",
                    alerts.await(e -> PATIENT.equals(e.key()), 1, Duration.ofSeconds(60)), hasSize(1));
            first.close(Duration.ofSeconds(30));
            deleteRecursively(stateDir);

            KafkaStreams second = start(stateDir);
            heartRate(writer, start, 70, 120, 140f);
            heartRate(writer, start, 125, 170, 90f);
            List<TopicReader.Entry<Alert>> episode = alerts.await(e -> PATIENT.equals(e.key()), 2, Duration.ofSeconds(60));
            second.close(Duration.ofSeconds(30));

            assertThat("after the restart the same episode is neither reopened nor duplicated, only resolved",
                    episode.stream().map(e -> e.value().getState()).toList(),
                    contains(AlertState.OPEN, AlertState.RESOLVED));
            assertThat("both lifecycle events carry the same alert id",
                    episode.stream().map(e -> e.value().getAlertId()).distinct().toList(), hasSize(1));
        }
    }

    @Test
    void shouldKeepOneAtrialFibrillationAlertForAnEpisodeThatSpansARestart() throws IOException {
        String patient = "restart-af";
        Instant start = Instant.now().minusSeconds(900);
        Path stateDir = folder.resolve("state-af");
        java.util.Random random = new java.util.Random(4);
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS)) {
            KafkaStreams first = start(stateDir);
            long at = start.toEpochMilli();
            at = rr(writer, patient, at, 60, () -> 850);
            at = rr(writer, patient, at, 120, () -> 380 + random.nextInt(620));
            assertThat("AF opens an alert before the restart",
                    alerts.await(e -> patient.equals(e.key()), 1, Duration.ofSeconds(60)), hasSize(1));
            first.close(Duration.ofSeconds(30));
            deleteRecursively(stateDir);

            KafkaStreams second = start(stateDir);
            at = rr(writer, patient, at, 120, () -> 380 + random.nextInt(620));
            rr(writer, patient, at, 100, () -> 850);
            List<TopicReader.Entry<Alert>> episode = alerts.await(e -> patient.equals(e.key()), 2, Duration.ofSeconds(60));
            second.close(Duration.ofSeconds(30));

            assertThat("the detector resumes from its stored window: the episode continues, then resolves once",
                    episode.stream().map(e -> e.value().getKind() + " " + e.value().getState()).toList(),
                    contains("ATRIAL_FIBRILLATION OPEN", "ATRIAL_FIBRILLATION RESOLVED"));
            assertThat(episode.stream().map(e -> e.value().getAlertId()).distinct().toList(), hasSize(1));
        }
    }

    @Test
    void shouldKeepOneBeatRateTachycardiaAlertForAnEpisodeThatSpansARestart() throws IOException {
        String patient = "restart-rate";
        Instant start = Instant.now().minusSeconds(600);
        Path stateDir = folder.resolve("state-rate");
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS)) {
            KafkaStreams first = start(stateDir);
            long at = start.toEpochMilli();
            at = rr(writer, patient, at, 30, () -> 800);
            at = rr(writer, patient, at, 200, () -> 400);
            assertThat("a wearable's RR intervals at 150 bpm, no reported rate: tachycardia opens before the restart",
                    alerts.await(e -> patient.equals(e.key()), 1, Duration.ofSeconds(60)), hasSize(1));
            first.close(Duration.ofSeconds(30));
            deleteRecursively(stateDir);

            KafkaStreams second = start(stateDir);
            at = rr(writer, patient, at, 100, () -> 400);
            rr(writer, patient, at, 80, () -> 800);
            List<TopicReader.Entry<Alert>> episode = alerts.await(e -> patient.equals(e.key()), 2, Duration.ofSeconds(60));
            second.close(Duration.ofSeconds(30));

            assertThat("the beat window and the rule state come back from their changelogs: one episode, resolved once",
                    episode.stream().map(e -> e.value().getKind() + " " + e.value().getState()).toList(),
                    contains("TACHYCARDIA OPEN", "TACHYCARDIA RESOLVED"));
            assertThat(episode.stream().map(e -> e.value().getAlertId()).distinct().toList(), hasSize(1));
        }
    }

    @Test
    void shouldKeepOneVentricularTachycardiaAlertForARunThatSpansARestart() throws IOException {
        String patient = "restart-vt";
        Instant start = Instant.now().minusSeconds(900);
        Path stateDir = folder.resolve("state-vt");
        // 60 s of sinus rhythm, 40 s of wide beats at 150 bpm (the restart 15 s into them), 80 s of sinus rhythm.
        java.util.List<Double> rr = new java.util.ArrayList<>();
        StringBuilder kinds = new StringBuilder();
        for (int i = 0; i < 75; i++) {
            rr.add(0.8);
            kinds.append('N');
        }
        for (int i = 0; i < 100; i++) {
            rr.add(0.4);
            kinds.append('V');
        }
        for (int i = 0; i < 100; i++) {
            rr.add(0.8);
            kinds.append('N');
        }
        org.cardiowatch.processor.detection.ecg.SyntheticEcg signal = new org.cardiowatch.processor.detection.ecg.SyntheticEcg(
                250, rr.stream().mapToDouble(Double::doubleValue).toArray(), kinds.toString().toCharArray(), 100, 10, 8);
        int restartAt = 250 * 76; // a whole number of segments: no samples missing between the two runs
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS)) {
            KafkaStreams first = start(stateDir);
            ecg(writer, patient, start, signal, 0, restartAt);
            assertThat("the run opens the alert before the restart", alerts.await(e -> patient.equals(e.key())
                    && e.value().getKind() == AlertKind.VENTRICULAR_TACHYCARDIA, 1, Duration.ofSeconds(60)), hasSize(1));
            first.close(Duration.ofSeconds(30));
            deleteRecursively(stateDir);

            KafkaStreams second = start(stateDir);
            ecg(writer, patient, start, signal, restartAt, signal.samples.length);
            List<TopicReader.Entry<Alert>> episode = alerts.await(e -> patient.equals(e.key())
                    && e.value().getKind() == AlertKind.VENTRICULAR_TACHYCARDIA, 3, Duration.ofSeconds(60));
            second.close(Duration.ofSeconds(30));
            assertThat("the run and the classifier come back from the changelogs: one episode, made critical, resolved",
                    episode.stream().map(e -> e.value().getState() + " " + e.value().getSeverity()).toList(),
                    contains("OPEN WARNING", "UPDATED CRITICAL", "RESOLVED CRITICAL"));
            assertThat(episode.stream().map(e -> e.value().getAlertId()).distinct().toList(), hasSize(1));
        }
    }

    /** Sends the samples from {@code from} to {@code to} as two-second ECG segments, as a patch does. */
    private static void ecg(TopicWriter writer, String patient, Instant start,
            org.cardiowatch.processor.detection.ecg.SyntheticEcg signal, int from, int to) {
        for (int first = from; first + 500 <= to; first += 500) {
            java.util.List<Integer> samples = new java.util.ArrayList<>();
            for (int i = first; i < first + 500; i++) {
                samples.add((int) Math.round(signal.samples[i]));
            }
            Instant at = start.plusMillis(first * 4L);
            writer.write(Topics.ECG, patient, org.cardiowatch.schemas.avro.EcgSegment.newBuilder().setPatientId(patient)
                    .setDeviceId("dev-" + patient).setSequence(first / 500 + 1L).setStartedAt(at).setReceivedAt(at)
                    .setSampleRateHz(250).setLead("I").setSamplesMicroVolts(samples).build());
        }
    }

    /** Sends {@code beats} RR intervals as a wearable does, five per reading; returns the last beat time. */
    private static long rr(TopicWriter writer, String patient, long from, int beats,
            java.util.function.IntSupplier interval) {
        long at = from;
        java.util.List<Integer> chunk = new java.util.ArrayList<>();
        for (int i = 0; i < beats; i++) {
            int next = interval.getAsInt();
            at += next;
            chunk.add(next);
            if (chunk.size() == 5 || i == beats - 1) {
                writer.write(Topics.VITALS, patient, VitalSigns.newBuilder().setPatientId(patient).setDeviceId("dev-" + patient)
                        .setSequence(at).setMeasuredAt(Instant.ofEpochMilli(at)).setReceivedAt(Instant.ofEpochMilli(at))
                        .setRrIntervalsMs(new java.util.ArrayList<>(chunk)).build());
                chunk.clear();
            }
        }
        return at;
    }

    private static KafkaStreams start(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "restart-it-" + stateDir.getFileName());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Kafka Streams does not leave the group on close: a short session lets the next instance take over fast.
        props.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        KafkaStreams streams = new KafkaStreams(ProcessorTopology.build(ProcessorTopologyTest.SETTINGS), props);
        streams.start();
        await("Kafka Streams is running").atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private static void heartRate(TopicWriter writer, Instant start, int fromSecond, int toSecond, float bpm) {
        for (int second = fromSecond; second <= toSecond; second += 5) {
            Instant at = start.plusSeconds(second);
            writer.write(Topics.VITALS, PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId("dev-r")
                    .setSequence(second + 1L).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(bpm).build());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
