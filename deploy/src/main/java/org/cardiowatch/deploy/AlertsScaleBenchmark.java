package org.cardiowatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.audit.AuditChain;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The alerts service's restart at a hospital's scale, on this machine: the local stack with
 * {@code --audit-events} audit events of other instances' chains (1,000,000) and
 * {@code --alert-records} alert events of {@code --patients} patients (100,000 of 10,000, one in
 * ten with an alert still open) in Kafka; then the service is restarted and timed until it is
 * ready, and its heap is measured after a full GC. The last line is for scripts (BENCH-ALERTS ...).
 * {@code ./benchmark-alerts [--audit-events N] [--alert-records M] [--patients P]}
 */
public final class AlertsScaleBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private AlertsScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = options(args);
        int auditEvents = options.get("--audit-events");
        int alertRecords = options.get("--alert-records");
        int patients = options.get("--patients");
        Path home = Files.createTempDirectory("cardiowatch-alerts-bench");
        System.out.printf("CardioWatch alerts scale benchmark: %,d audit events, %,d alert records of %,d patients;"
                + " %d cores, Java %s%n", auditEvents, alertRecords, patients, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        LocalStack.Settings settings = new LocalStack.Settings(LocalStackMain.repository(), home, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), PASSWORD.toCharArray(), false,
                Map.of("CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT1H"));
        try (LocalStack stack = LocalStack.start(settings);
                KafkaProducer<String, byte[]> producer = producer(stack)) {
            Instant filling = Instant.now();
            fillAudit(producer, auditEvents);
            int open = fillAlerts(producer, alertRecords, patients);
            producer.flush();
            System.out.printf("Filled Kafka in %d s (%,d alerts left open)%n",
                    Duration.between(filling, Instant.now()).toSeconds(), open);

            stack.stop("alerts");
            Instant restart = Instant.now();
            stack.restart("alerts");
            long readyMs = Duration.between(restart, Instant.now()).toMillis();
            long pid = stack.servicePids().get("alerts");
            long heapMb = heapAfterGcKb(pid) / 1024;
            long residentMb = ProcessStats.of(pid).residentKb() / 1024;
            System.out.printf("Restart: ready %,d ms after its start; heap after a full GC %d MiB, resident %d MiB%n",
                    readyMs, heapMb, residentMb);
            System.out.printf("BENCH-ALERTS audit-events=%d alert-records=%d patients=%d restart-ready-ms=%d"
                    + " heap-after-gc-mb=%d resident-mb=%d%n", auditEvents, alertRecords, patients, readyMs, heapMb,
                    residentMb);
        } finally {
            Folders.delete(home);
        }
        System.exit(0);
    }

    static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new HashMap<>(Map.of("--audit-events", 1_000_000, "--alert-records", 100_000,
                "--patients", 10_000));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Options: --audit-events N --alert-records M --patients P, not "
                        + String.join(" ", args));
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        return options;
    }

    /** Other instances' chains, nine of them, written after this instance's last event. */
    private static void fillAudit(KafkaProducer<String, byte[]> producer, int count) throws Exception {
        List<AuditChain> chains = new ArrayList<>();
        for (int chain = 2; chain <= 10; chain++) {
            chains.add(AuditChain.start("alerts-" + chain));
        }
        Instant at = Instant.now().minus(Duration.ofDays(365));
        List<Future<RecordMetadata>> last = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AuditChain chain = chains.get(i % chains.size());
            AuditEvent event = chain.append(AuditEvent.newBuilder().setOccurredAt(at.plusSeconds(i / 30))
                    .setActor("cardio" + (i % 100)).setActorRole("physician").setAction("patient.read")
                    .setPatientId("p-" + (i % 10_000)).setTarget("/api/patients/p-" + (i % 10_000))
                    .setOutcome(AuditOutcome.ALLOWED).setSourceAddress("10.0.0." + (i % 250)));
            last.add(send(producer, Topics.AUDIT, chain.chainId(), event));
            if (last.size() == 10_000) {
                last.get(last.size() - 1).get();
                last.clear();
            }
        }
    }

    /** Episodes of a few days, each an opening and a resolution; the last episode of one patient in ten still open. */
    private static int fillAlerts(KafkaProducer<String, byte[]> producer, int count, int patients) throws Exception {
        Instant from = Instant.now().minus(Duration.ofDays(6));
        int perPatient = Math.max(2, count / patients);
        int open = 0;
        for (int p = 0; p < patients; p++) {
            String patient = "p-" + p;
            for (int event = 0; event < perPatient; event++) {
                int episode = event / 2;
                boolean lastEpisodeStaysOpen = p % 10 == 0 && event == perPatient - 1;
                AlertState state = event % 2 == 0 ? AlertState.OPEN : AlertState.RESOLVED;
                if (lastEpisodeStaysOpen) {
                    state = AlertState.UPDATED;
                    open++;
                }
                Instant onset = from.plusSeconds(p * 30L + episode * 3600L);
                Alert alert = Alert.newBuilder().setAlertId(patient + "-" + episode).setPatientId(patient)
                        .setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL).setState(state)
                        .setOpenedAt(onset).setUpdatedAt(onset.plusSeconds(60L * (event % 2 + 1)))
                        .setResolvedAt(state == AlertState.RESOLVED ? onset.plusSeconds(120) : null)
                        .setEvidence(AlertEvidence.newBuilder().setSummary("heartRateBpm above 130 bpm for 60 s")
                                .setMeasure("heartRateBpm").setThreshold(130.0).setLastValue(142.0).setWorstValue(151.0)
                                .setDeviceId("dev-" + patient).setSources(List.of("dev-" + patient)).build())
                        .build();
                send(producer, Topics.ALERTS, patient, alert);
            }
        }
        return open;
    }

    private static <V> Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic,
            String key, V value) {
        return producer.send(new ProducerRecord<>(topic.name(), key,
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.brokers().bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** The heap in use after a full collection, from the JDK's own jcmd. */
    private static long heapAfterGcKb(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = HEAP_USED.matcher(out);
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }
}
