package org.cardiowatch.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The stream processor's state at a hospital's scale, for the scale benchmark: readings of
 * {@code patients} patients (a wearable each, with RR intervals, so every per-device store holds
 * them) go through the processor; then its changelog topics are measured, its local state is
 * wiped and it is restarted, and the time until it has analysed again everything written is the
 * restore time a failover without a standby or a persistent volume costs.
 */
final class ProcessorRestore {

    static final String APPLICATION = "cw-stream-processor";
    private static final Duration CATCH_UP = Duration.ofMinutes(15);

    record Result(long readings, long analyseMs, long changelogBytes, long readyMs, long restoredMs) {
    }

    private ProcessorRestore() {
    }

    static Result measure(LocalStack stack, KafkaProducer<String, byte[]> producer, Path stateDir, int patients,
            int readingsEach) throws Exception {
        Instant writing = Instant.now();
        Instant start = writing.minusSeconds(readingsEach);
        for (int second = 0; second < readingsEach; second++) {
            for (int p = 0; p < patients; p++) {
                send(producer, p, second + 1L, start.plusSeconds(second));
            }
        }
        producer.flush();
        try (ConsumerLag lag = new ConsumerLag(stack.brokers().bootstrapServers(), stack.kafkaClientSettings());
                Admin admin = admin(stack)) {
            awaitCaughtUp(lag, "analysing the readings");
            long analyseMs = Duration.between(writing, Instant.now()).toMillis();
            long changelogBytes = changelogBytes(admin);

            stack.stop("stream-processor");
            Folders.delete(stateDir);
            // Something to analyse on every partition once the state is back.
            for (int p = 0; p < Math.min(patients, 200); p++) {
                send(producer, p, readingsEach + 1L, start.plusSeconds(readingsEach));
            }
            producer.flush();
            Instant restart = Instant.now();
            stack.restart("stream-processor");
            long readyMs = Duration.between(restart, Instant.now()).toMillis();
            awaitCaughtUp(lag, "restoring the state");
            long restoredMs = Duration.between(restart, Instant.now()).toMillis();
            return new Result((long) patients * readingsEach, analyseMs, changelogBytes, readyMs, restoredMs);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, int patient, long sequence, Instant at) {
        String patientId = "rst-" + patient;
        VitalSigns reading = VitalSigns.newBuilder().setPatientId(patientId).setDeviceId("band-" + patientId)
                .setSequence(sequence).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(72f)
                .setRrIntervalsMs(List.of(833)).setSpo2Percent(97f).build();
        producer.send(new ProducerRecord<>(Topics.VITALS.name(), patientId,
                Topics.VITALS.valueSerde().serializer().serialize(Topics.VITALS.name(), reading)));
    }

    private static void awaitCaughtUp(ConsumerLag lag, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(CATCH_UP);
        long last = -1;
        while (Instant.now().isBefore(deadline)) {
            long behind = lag.of(List.of(APPLICATION)).get(APPLICATION);
            if (behind == 0) {
                return;
            }
            if (behind != last) {
                System.out.printf("  %s: %,d records still to read%n", what, behind);
                last = behind;
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("The processor did not catch up within " + CATCH_UP + " " + what);
    }

    /** The bytes of the processor's changelog topics on the brokers' disks (before compaction: an upper bound). */
    private static long changelogBytes(Admin admin) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                .get(30, TimeUnit.SECONDS).values()) {
            for (LogDirDescription dir : dirs.values()) {
                bytes += dir.replicaInfos().entrySet().stream()
                        .filter(e -> e.getKey().topic().startsWith(APPLICATION) && e.getKey().topic().endsWith("-changelog"))
                        .mapToLong(e -> e.getValue().size()).sum();
            }
        }
        return bytes;
    }

    private static Admin admin(LocalStack stack) {
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.brokers().bootstrapServers());
        return Admin.create(config);
    }
}
