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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cardiowatch.alerts.security.PasswordHasher;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.audit.AuditChain;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The alerts service and the stream processor at a hospital's scale, on this machine:
 * <ol>
 * <li>the local stack with {@code --audit-events} audit events of other instances' chains
 * (1,000,000) and {@code --alert-records} alert events of {@code --patients} patients (100,000 of
 * 10,000, one in ten with an alert still open) in Kafka, each patient in the care team of one of
 * {@code --clinicians} physicians (100); the alerts service is restarted and timed until it is
 * ready, and its heap measured after a full GC;</li>
 * <li>the clinicians at work for {@value #WORK_SECONDS} s ({@link ClinicianLoad}): each polls their
 * patients and open alerts every 30 s, ten keep the dashboard open while an alert is raised for
 * one of their patients every {@value #ALERT_EVERY_MS} ms; from the {@value #AUDIT_DOWN_AFTER_SECONDS}th
 * second cw.audit refuses the service's writes for {@value #AUDIT_DOWN_SECONDS} s ({@link AuditOutage});
 * API and push latencies, apart for that outage, and the heap after;</li>
 * <li>the processor with {@code --patients} patients' state ({@link ProcessorRestore}): its
 * changelog size and the time to restore it with its local state wiped.</li>
 * </ol>
 * The last line is for scripts (BENCH-ALERTS ...).
 * {@code ./cardiowatch bench alerts [--audit-events N] [--alert-records M] [--patients P] [--clinicians C]}
 */
public final class AlertsScaleBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final int WORK_SECONDS = 180;
    private static final int ALERT_EVERY_MS = 500;
    private static final int AUDIT_DOWN_AFTER_SECONDS = 60;
    private static final int AUDIT_DOWN_SECONDS = 60;
    private static final int DASHBOARDS = 10;
    private static final int READINGS_PER_PATIENT = 30;

    private AlertsScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = options(args);
        int auditEvents = options.get("--audit-events");
        int alertRecords = options.get("--alert-records");
        int patients = options.get("--patients");
        int clinicians = options.get("--clinicians");
        Path home = Files.createTempDirectory("cardiowatch-alerts-bench");
        System.out.printf("CardioWatch alerts scale benchmark: %,d audit events, %,d alert records of %,d patients;"
                + " %d cores, Java %s%n", auditEvents, alertRecords, patients, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        LocalStack.Settings settings = new LocalStack.Settings(LocalStackMain.repository(), home, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), PASSWORD.toCharArray(), false,
                // No escalation or signal loss during the run: the figures are of the load, not of a storm.
                Map.of("CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT1H", "CARDIOWATCH_PROCESSOR_SIGNAL_LOSS_TIMEOUT", "PT1H"));
        try (LocalStack stack = LocalStack.start(settings);
                KafkaProducer<String, byte[]> producer = producer(stack)) {
            Instant filling = Instant.now();
            fillAudit(producer, auditEvents);
            int open = fillAlerts(producer, alertRecords, patients);
            fillCareTeams(producer, patients, clinicians);
            producer.flush();
            System.out.printf("Filled Kafka in %d s (%,d alerts left open)%n",
                    Duration.between(filling, Instant.now()).toSeconds(), open);

            stack.stop("alerts");
            // The users file is read at start: the benchmark's physicians join the demo accounts.
            addPhysicians(home.resolve("users"), clinicians);
            Instant restart = Instant.now();
            stack.restart("alerts");
            long readyMs = Duration.between(restart, Instant.now()).toMillis();
            long pid = stack.servicePids().get("alerts");
            long heapMb = HeapAfterGc.mb(pid);
            long residentMb = ProcessStats.of(pid).residentKb() / 1024;
            System.out.printf("Restart: ready %,d ms after its start; heap after a full GC %d MiB, resident %d MiB%n",
                    readyMs, heapMb, residentMb);

            ClinicianLoad.Figures work = work(stack, producer, clinicians, patients);
            long workHeapMb = HeapAfterGc.mb(pid);
            System.out.printf("At work: %d clinicians; API (patient list, open alerts) ms p50 %d, p99 %d, max %d"
                    + " (%d requests, %d refused); while cw.audit refused writes p50 %d, p99 %d, max %d (%d requests, %d refused)%n",
                    clinicians, work.apiNormal.getValueAtPercentile(50), work.apiNormal.getValueAtPercentile(99),
                    work.apiNormal.getMaxValue(), work.apiNormal.getTotalCount(), work.apiRefusedNormal.get(),
                    work.apiAuditDown.getValueAtPercentile(50), work.apiAuditDown.getValueAtPercentile(99),
                    work.apiAuditDown.getMaxValue(), work.apiAuditDown.getTotalCount(), work.apiRefusedAuditDown.get());
            System.out.printf("Alarm push, written to cw.alerts -> on the physician's WebSocket, ms: p50 %d, p99 %d, max %d"
                    + " (%d pushes); while cw.audit refused writes p50 %d, p99 %d, max %d (%d pushes);"
                    + " heap after a full GC %d MiB%n", work.pushNormal.getValueAtPercentile(50),
                    work.pushNormal.getValueAtPercentile(99), work.pushNormal.getMaxValue(), work.pushNormal.getTotalCount(),
                    work.pushAuditDown.getValueAtPercentile(50), work.pushAuditDown.getValueAtPercentile(99),
                    work.pushAuditDown.getMaxValue(), work.pushAuditDown.getTotalCount(), workHeapMb);

            System.out.printf("Processor: readings of %,d patients, %d each...%n", patients, READINGS_PER_PATIENT);
            ProcessorRestore.Result restore = ProcessorRestore.measure(stack, producer, home.resolve("streams"),
                    patients, READINGS_PER_PATIENT);
            System.out.printf("Processor: %,d readings analysed in %,d ms; changelogs %,d KiB (%,d bytes a patient,"
                    + " before compaction); state wiped and restarted: ready after %,d ms, analysing again after %,d ms%n",
                    restore.readings(), restore.analyseMs(), restore.changelogBytes() / 1024,
                    restore.changelogBytes() / patients, restore.readyMs(), restore.restoredMs());
            System.out.printf("BENCH-ALERTS audit-events=%d alert-records=%d patients=%d restart-ready-ms=%d"
                    + " heap-after-gc-mb=%d resident-mb=%d clinicians=%d api-p99-ms=%d api-p99-audit-down-ms=%d"
                    + " push-p99-ms=%d push-p99-audit-down-ms=%d heap-at-work-mb=%d processor-changelog-kb=%d"
                    + " processor-restore-ms=%d%n", auditEvents, alertRecords, patients, readyMs, heapMb, residentMb,
                    clinicians, work.apiNormal.getValueAtPercentile(99), work.apiAuditDown.getValueAtPercentile(99),
                    work.pushNormal.getValueAtPercentile(99), work.pushAuditDown.getValueAtPercentile(99), workHeapMb,
                    restore.changelogBytes() / 1024, restore.restoredMs());
        } finally {
            Folders.delete(home);
        }
        System.exit(0);
    }

    static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new HashMap<>(Map.of("--audit-events", 1_000_000, "--alert-records", 100_000,
                "--patients", 10_000, "--clinicians", 100));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Options: --audit-events N --alert-records M --patients P"
                        + " --clinicians C, not "
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

    static String physician(int index) {
        return "bench-physician-" + index;
    }

    /** Patient p is treated by physician p mod clinicians. */
    private static void fillCareTeams(KafkaProducer<String, byte[]> producer, int patients, int clinicians) {
        for (int p = 0; p < patients; p++) {
            send(producer, Topics.CARE_TEAMS, "p-" + p, CareTeam.newBuilder().setPatientId("p-" + p)
                    .setTreatingPhysician(physician(p % clinicians)).build());
        }
    }

    private static void addPhysicians(Path usersFile, int clinicians) throws IOException {
        String hash = PasswordHasher.hash(PASSWORD.toCharArray());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < clinicians; i++) {
            lines.append(physician(i)).append(":physician:").append(hash).append('\n');
        }
        Files.writeString(usersFile, lines, java.nio.file.StandardOpenOption.APPEND);
    }

    /** The clinicians at work, with cw.audit refusing writes for a minute in the middle. */
    private static ClinicianLoad.Figures work(LocalStack stack, KafkaProducer<String, byte[]> producer, int clinicians,
            int patients) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < clinicians; i++) {
            users.add(physician(i));
        }
        String base = stack.dashboardUrl().replaceAll("/$", "");
        try (AuditOutage audit = new AuditOutage(stack);
                ClinicianLoad load = new ClinicianLoad(base, stack.dashboardTls(), audit::isDown, clinicians)) {
            load.signIn(users, PASSWORD).openDashboards(users.subList(0, Math.min(DASHBOARDS, clinicians)), PASSWORD)
                    .startPolling(Duration.ofSeconds(30));
            System.out.printf("At work: %d clinicians signed in, %d dashboards open; %d s%n", clinicians,
                    Math.min(DASHBOARDS, clinicians), WORK_SECONDS);
            Instant start = Instant.now();
            int raised = 0;
            while (Duration.between(start, Instant.now()).toSeconds() < WORK_SECONDS) {
                long second = Duration.between(start, Instant.now()).toSeconds();
                audit.set(second >= AUDIT_DOWN_AFTER_SECONDS && second < AUDIT_DOWN_AFTER_SECONDS + AUDIT_DOWN_SECONDS);
                // A patient of one of the physicians whose dashboard is open.
                int patient = (raised * clinicians + raised % Math.min(DASHBOARDS, clinicians)) % patients;
                String alertId = "work-" + raised;
                Instant now = Instant.now();
                load.writing(alertId);
                send(producer, Topics.ALERTS, "p-" + patient, Alert.newBuilder().setAlertId(alertId)
                        .setPatientId("p-" + patient).setKind(AlertKind.BRADYCARDIA).setSeverity(AlertSeverity.CRITICAL)
                        .setState(AlertState.OPEN).setOpenedAt(now.minusSeconds(60)).setUpdatedAt(now)
                        .setEvidence(AlertEvidence.newBuilder().setSummary("heartRateBpm below 40 bpm for 60 s").build())
                        .build());
                producer.flush();
                raised++;
                Thread.sleep(ALERT_EVERY_MS);
            }
            audit.set(false);
            Thread.sleep(5_000);
            return load.figures();
        }
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
}
