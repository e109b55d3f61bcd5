package org.cardiowatch.alerts.ecg;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.CommonClientConfigs;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECG strips read by a small pool of Kafka consumers, reused from request to request, on a real broker. */
class EcgStripReaderIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldServeManyConcurrentStripsWithTheSameFewConsumers() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers());
                EcgStripReader reader = new EcgStripReader(kafka.bootstrapServers(), Map.of())) {
            for (int second = 0; second < 10; second++) {
                writer.write(Topics.ECG, "p-ecg", segment("p-ecg", "patch", second + 1, from.plusSeconds(second), 11));
                writer.write(Topics.ECG, "p-other", segment("p-other", "other-patch", second + 1,
                        from.plusSeconds(second), 22));
            }
            ExecutorService clinicians = Executors.newFixedThreadPool(6);
            List<Future<EcgStrip>> strips = new ArrayList<>();
            for (int request = 0; request < 12; request++) {
                strips.add(clinicians.submit(() -> reader.read("p-ecg", from.plusSeconds(2), from.plusSeconds(6))));
            }
            List<String> devices = new ArrayList<>();
            List<Long> present = new ArrayList<>();
            for (Future<EcgStrip> strip : strips) {
                devices.add(strip.get().deviceId());
                present.add(strip.get().samplesPresent());
            }
            clinicians.shutdown();

            assertThat("only the patient's own ECG", devices, everyItem(equalTo("patch")));
            assertThat("4 s at 100 Hz, every request", present, everyItem(equalTo(400L)));
            assertThat("12 requests, 6 at a time, served by the pool's consumers",
                    reader.consumersMade(), lessThanOrEqualTo(EcgStripReader.READERS));
        }
    }

    @Test
    void shouldRefuseWhenEveryReaderIsBusyAndNotReuseAReaderThatFailed() throws Exception {
        // A Kafka that does not answer: each read waits for its metadata until the client gives up.
        String nowhere = "127.0.0.1:" + FreePorts.next();
        try (EcgStripReader reader = new EcgStripReader(nowhere,
                Map.of(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000), 1, Duration.ofMillis(200))) {
            Instant at = Instant.now();
            CompletableFuture<EcgStrip> first = CompletableFuture.supplyAsync(() -> reader.read("p", at, at.plusSeconds(4)));
            await("the only reader is taken").atMost(Duration.ofSeconds(10)).until(() -> reader.inUse(1) == 1);

            assertThrows(EcgStripReader.BusyException.class, () -> reader.read("p", at, at.plusSeconds(4)));
            Throwable failed = assertThrows(Exception.class, first::join).getCause();
            assertThat(failed, instanceOf(org.apache.kafka.common.errors.TimeoutException.class));
            assertThrows(org.apache.kafka.common.errors.TimeoutException.class,
                    () -> reader.read("p", at, at.plusSeconds(4)));
            assertThat("the failed reader was closed, a new one made", reader.consumersMade(), is(2));
            assertThat(reader.inUse(1), is(0));
        }
    }

    private static EcgSegment segment(String patient, String device, long sequence, Instant start, int value) {
        return EcgSegment.newBuilder().setPatientId(patient).setDeviceId(device).setSequence(sequence)
                .setStartedAt(start).setReceivedAt(start).setSampleRateHz(100).setLead("I")
                .setSamplesMicroVolts(Collections.nCopies(100, value)).build();
    }
}
