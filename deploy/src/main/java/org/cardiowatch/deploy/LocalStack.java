package org.cardiowatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.cardiowatch.alerts.security.PasswordHasher;
import org.cardiowatch.embedded.EmbeddedInfluxDb;
import org.cardiowatch.embedded.EmbeddedMqttBroker;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.HttpsTrust;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.cardiowatch.schemas.wire.DeviceKeyVault;
import org.cardiowatch.schemas.wire.P256Keys;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.cardiowatch.simulator.patient.VirtualPatient;
import org.cardiowatch.simulator.run.Simulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: Kafka in this JVM, the services as their own processes
 * (configured by environment variables, as in production) with one ingest per MQTT broker of the
 * set (each ingest is the broker its devices connect to), demo reference data and, if asked,
 * simulated patients.
 */
public final class LocalStack implements AutoCloseable {

    /** Written once the demo's simulated history is in Kafka, so a restart does not write it again. */
    private static final String DEMO_HISTORY_FILE = "demo-history";
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final List<String> PHYSICIANS = List.of("cardio1", "cardio2");
    static final String ADMIN = "admin";
    private static final String SESSION_KEY_FILE = "session.key";
    private static final String VAPID_KEYS_FILE = "vapid.keys";
    private static final String PAGER_SECRET_FILE = "pager.secret";
    static final String AUDITOR = "auditor";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Where the KafkaUsers, and so the services' Kafka ACLs, are declared. */
    static final String KAFKA_MANIFEST = "deploy/kubernetes/kafka.yaml";

    /**
     * @param repository the repository root, where each service's {@code target/quarkus-app} is
     * @param home where brokers, certificates, logs and state are kept between runs
     * @param serviceEnvironment extra settings for all three services (environment variables)
     * @param dashboardPort the dashboard's HTTPS port
     * @param mqttNodes the MQTT brokers of the set, each an ingest process
     * @param dashboardRedirectPort a plain HTTP port that only redirects to the dashboard's HTTPS
     *        port, or 0 for none
     */
    public record Settings(Path repository, Path home, int kafkaPort, int mqttPort, int dashboardPort,
            int ingestHealthPort, int processorHealthPort, char[] demoPassword, boolean simulate,
            Map<String, String> serviceEnvironment, int kafkaNodes, int mqttNodes, int dashboardRedirectPort) {

        /** No plain HTTP port. */
        public Settings(Path repository, Path home, int kafkaPort, int mqttPort, int dashboardPort,
                int ingestHealthPort, int processorHealthPort, char[] demoPassword, boolean simulate,
                Map<String, String> serviceEnvironment, int kafkaNodes, int mqttNodes) {
            this(repository, home, kafkaPort, mqttPort, dashboardPort, ingestHealthPort, processorHealthPort,
                    demoPassword, simulate, serviceEnvironment, kafkaNodes, mqttNodes, 0);
        }

        /** A single Kafka node and a single MQTT broker, as the local stack runs; no plain HTTP port. */
        public Settings(Path repository, Path home, int kafkaPort, int mqttPort, int dashboardPort,
                int ingestHealthPort, int processorHealthPort, char[] demoPassword, boolean simulate,
                Map<String, String> serviceEnvironment) {
            this(repository, home, kafkaPort, mqttPort, dashboardPort, ingestHealthPort, processorHealthPort,
                    demoPassword, simulate, serviceEnvironment, 1, 1);
        }
    }

    private final Settings settings;
    private final LocalBrokers brokers;
    /** The stack's own copy of cw.devices: enrolment is complete once it is there. */
    private CompactedTopicView<Device> enrolments;
    /** The MQTT port of each ingest process, in node order. */
    private final List<Integer> ingestMqttPorts = new ArrayList<>();
    private EmbeddedInfluxDb history;
    private LocalPager pager;
    private LocalMailbox mailbox;
    /** The running services by name: ingest-mqtt, stream-processor, alerts, and any added processor. */
    private final Map<String, ServiceProcess> services = new java.util.LinkedHashMap<>();
    private Map<String, String> processorEnvironment;
    private Simulator simulator;

    private LocalStack(Settings settings, LocalBrokers brokers) {
        this.settings = settings;
        this.brokers = brokers;
    }

    public static LocalStack start(Settings settings) {
        LOG.info("Starting Kafka under {}", settings.home());
        // Every Kafka client, the services' and the stack's own, speaks mutual TLS as in production,
        // and each service may do only what its KafkaUser's ACLs in the Kubernetes manifests allow.
        // The ingest processes are the MQTT brokers: none here.
        LocalBrokers brokers = LocalBrokers.start(settings.home(), settings.kafkaPort(), settings.kafkaNodes(),
                settings.mqttPort(), 0, 6, true,
                KafkaUserAcls.read(settings.repository().resolve(KAFKA_MANIFEST)));
        LocalStack stack = new LocalStack(settings, brokers);
        try {
            stack.startEverythingElse();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startEverythingElse() {
        String deviceMasterKey = readOrCreateDeviceMasterKey();
        enrolments = new CompactedTopicView<Device>(Topics.DEVICES, brokers.bootstrapServers(), kafkaClientSettings(),
                (k, v) -> { }).start();
        List<DemoCohort.DemoPatient> cohort = DemoCohort.patients();
        try (TopicWriter writer = new TopicWriter(brokers.bootstrapServers(), kafkaClientSettings())) {
            DemoCohort.enrol(writer, cohort, DeviceKeyVault.withMasterKey(Base64.getDecoder().decode(deviceMasterKey)));
            if (settings.simulate()) {
                writeDemoHistoryOnce(writer, cohort);
            }
        }
        Path users = writeUsersFile();
        Map<String, String> common = new HashMap<>();
        common.put("CARDIOWATCH_INGEST_DEVICE_KEYS_MASTER_KEY", deviceMasterKey);
        common.put("CARDIOWATCH_ALERTS_DEVICE_KEYS_MASTER_KEY", deviceMasterKey);
        common.put("KAFKA_BOOTSTRAP_SERVERS", brokers.bootstrapServers());
        common.putAll(settings.serviceEnvironment());

        Map<String, String> ingest = new HashMap<>(common);
        ingest.putAll(kafkaTls("cw-ingest", "CARDIOWATCH_INGEST_KAFKA_TRUST_STORE", "CARDIOWATCH_INGEST_KAFKA_TRUST_STORE_PASSWORD",
                "CARDIOWATCH_INGEST_KAFKA_KEY_STORE", "CARDIOWATCH_INGEST_KAFKA_KEY_STORE_PASSWORD"));
        Map<String, String> processor = new HashMap<>(common);
        processor.put("CW_STATE_DIR", settings.home().resolve("streams").toString());
        processor.putIfAbsent("CARDIOWATCH_PROCESSOR_SIGNAL_LOSS_TIMEOUT", "PT60S");
        processor.put("CW_REPLICATION_FACTOR", String.valueOf(brokers.kafka().replicationFactor()));
        // Quarkus' own Kafka Streams settings, the same ones a production installation sets.
        processor.put("QUARKUS_KAFKA_STREAMS_SECURITY_PROTOCOL", "SSL");
        processor.put("QUARKUS_KAFKA_STREAMS_SSL_TRUSTSTORE_TYPE", "PKCS12");
        processor.put("QUARKUS_KAFKA_STREAMS_SSL_KEYSTORE_TYPE", "PKCS12");
        processor.putAll(kafkaTls("cw-processor", "QUARKUS_KAFKA_STREAMS_SSL_TRUSTSTORE_LOCATION",
                "QUARKUS_KAFKA_STREAMS_SSL_TRUSTSTORE_PASSWORD", "QUARKUS_KAFKA_STREAMS_SSL_KEYSTORE_LOCATION",
                "QUARKUS_KAFKA_STREAMS_SSL_KEYSTORE_PASSWORD"));
        processorEnvironment = processor;
        Map<String, String> alerts = new HashMap<>(common);
        alerts.put("CW_USERS_FILE", users.toString());
        // The sign-in cookie's key: without one Quarkus makes a key per start and writes it to the log.
        alerts.put("CW_SESSION_KEY", readOrCreateSecret(SESSION_KEY_FILE, 32));
        // The admin API issues device certificates with the authority the MQTT broker trusts.
        alerts.put("CARDIOWATCH_ALERTS_DEVICE_CA_FOLDER", settings.home().resolve("ca").toString());
        alerts.put("CARDIOWATCH_ALERTS_DEVICE_CA_PASSWORD", new String(brokers.trustStorePassword()));
        alerts.putIfAbsent("CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT3M");
        // HTTPS with a certificate from the local authority, for 127.0.0.1 and localhost.
        alerts.put("CW_TLS_KEY_STORE", brokers.certificateAuthority().serverKeyStore("alerts").toString());
        alerts.put("CW_TLS_KEY_STORE_PASSWORD", new String(brokers.certificateAuthority().password()));
        if (settings.dashboardRedirectPort() == 0) {
            alerts.put("CW_INSECURE_REQUESTS", "disabled");
        } else {
            alerts.put("PORT", String.valueOf(settings.dashboardRedirectPort()));
        }
        alerts.putAll(kafkaTls("cw-alerts", "CARDIOWATCH_ALERTS_KAFKA_TRUST_STORE", "CARDIOWATCH_ALERTS_KAFKA_TRUST_STORE_PASSWORD",
                "CARDIOWATCH_ALERTS_KAFKA_KEY_STORE", "CARDIOWATCH_ALERTS_KAFKA_KEY_STORE_PASSWORD"));
        startHistory().ifPresent(url -> alerts.put("CARDIOWATCH_ALERTS_HISTORY_URL", url));
        // Notifications go to a local pager that shows them on the console and in pager.log.
        pager = new LocalPager(readOrCreateSecret(PAGER_SECRET_FILE, 32), settings.home().resolve("pager.log"));
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_WEBHOOK_URL", pager.url());
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_WEBHOOK_SECRET", pager.secret());
        // And by e-mail to a local mail server, over STARTTLS with a certificate of the stack's authority.
        mailbox = new LocalMailbox(brokers.certificateAuthority().serverKeyStore("mail"),
                brokers.certificateAuthority().password(), settings.home().resolve("mail"));
        alerts.put("QUARKUS_CONFIG_LOCATIONS", writeMailSettings(mailbox.port()).toString());
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUBLIC_URL", "https://127.0.0.1:" + settings.dashboardPort());
        // And by Web Push to the browsers where a clinician chose "Notify me on this device", through the
        // browsers' own push services (so only with Internet access), signed with the stack's VAPID key.
        P256Keys.Encoded vapid = readOrCreateVapidKeys();
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_ENABLED", "true");
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_PUBLIC_KEY", vapid.publicKey());
        alerts.put("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_PRIVATE_KEY", vapid.privateKey());
        alerts.putIfAbsent("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_SUBJECT", "mailto:cardiowatch@cardiowatch.local");

        Path logs = settings.home().resolve("logs");
        for (int node = 1; node <= settings.mqttNodes(); node++) {
            startIngestBroker(node, ingest, logs);
        }
        services.put("stream-processor", ServiceProcess.start("stream-processor", app("stream-processor"),
                settings.processorHealthPort(), processor, logs));
        services.put("alerts", ServiceProcess.start("alerts", app("alerts"),
                new ServiceProcess.Endpoint(settings.dashboardPort(), dashboardTls()), alerts, logs));
        CompletableFuture.allOf(services.values().stream()
                .map(service -> CompletableFuture.runAsync(() -> service.awaitReady(START_TIMEOUT)))
                .toArray(CompletableFuture[]::new)).join();
        LOG.info("Services ready; logs in {}", logs);

        if (settings.simulate()) {
            List<Simulator.SimulatedDevice> devices = new ArrayList<>();
            Instant start = Instant.now();
            long seed = 1;
            for (DemoCohort.DemoPatient p : cohort) {
                awaitAdmittedByBroker(p.deviceId());
                VirtualPatient patient = new VirtualPatient(p.patientId(), p.restingRate(), p.episodes(),
                        DemoCohort.CYCLE, p.ecg(), seed++, start);
                devices.add(new Simulator.SimulatedDevice(patient, connectDevice(p, start.toEpochMilli(), mqttServerUris())));
                LOG.info("Simulating {}", Simulator.describe(patient, p.episodes()));
            }
            simulator = new Simulator(devices, Clock.systemUTC()).start();
        }
    }

    /**
     * Starts ingest process {@code node} (1: {@code ingest-mqtt}, then {@code ingest-mqtt-2}, ...):
     * an MQTT broker on its own port, with the broker certificate and device authority of the local
     * brokers, keeping its sessions in its own folder.
     */
    private void startIngestBroker(int node, Map<String, String> common, Path logs) {
        int mqttPort = node == 1 && settings.mqttPort() != 0 ? settings.mqttPort() : FreePorts.next();
        int healthPort = node == 1 ? settings.ingestHealthPort() : FreePorts.next();
        Map<String, String> ingest = new HashMap<>(common);
        EmbeddedMqttBroker.Tls tls = brokers.mqttTls();
        ingest.put("CARDIOWATCH_INGEST_BROKER_BIND_ADDRESS", "127.0.0.1");
        ingest.put("CARDIOWATCH_INGEST_BROKER_PORT", String.valueOf(mqttPort));
        ingest.put("CARDIOWATCH_INGEST_BROKER_DATA_FOLDER", settings.home().resolve("mqtt-" + node).toString());
        ingest.put("CARDIOWATCH_INGEST_BROKER_KEY_STORE", tls.keyStore().toString());
        ingest.put("CARDIOWATCH_INGEST_BROKER_KEY_STORE_PASSWORD", new String(tls.keyStorePassword()));
        ingest.put("CARDIOWATCH_INGEST_BROKER_TRUST_STORE", tls.trustStore().toString());
        ingest.put("CARDIOWATCH_INGEST_BROKER_TRUST_STORE_PASSWORD", new String(tls.trustStorePassword()));
        ingestMqttPorts.add(mqttPort);
        String name = node == 1 ? "ingest-mqtt" : "ingest-mqtt-" + node;
        services.put(name, ServiceProcess.start(name, app("ingest-mqtt"), healthPort, ingest, logs));
    }

    /** The MQTT brokers devices may use, in node order. */
    public List<String> mqttServerUris() {
        return ingestMqttPorts.stream().map(port -> "ssl://127.0.0.1:" + port).toList();
    }

    private Path app(String module) {
        return settings.repository().resolve(module).resolve("target").resolve("quarkus-app");
    }

    /** Starts InfluxDB for the history when Debian's influxd is installed; the stack runs without it. */
    private java.util.Optional<String> startHistory() {
        if (!EmbeddedInfluxDb.isInstalled()) {
            LOG.info("History is off: influxd is not installed (apt-get install influxdb to keep trends)");
            return java.util.Optional.empty();
        }
        history = EmbeddedInfluxDb.start(settings.home().resolve("influx"));
        LOG.info("History in InfluxDB at {}", history.url());
        return java.util.Optional.of(history.url());
    }

    /**
     * The key that encrypts payload keys in cw.devices, made on first start and kept (owner-only)
     * beside the other local secrets, so the devices enrolled before a restart stay readable.
     */
    private String readOrCreateDeviceMasterKey() {
        return readOrCreateSecret("device-keys.master", DeviceKeyVault.MASTER_KEY_BYTES);
    }

    /**
     * Every secret the stack holds and hands to its services, for the test that no log contains
     * one: the demo accounts' password, the sign-in cookie key, the device-key master key, the
     * password of the key stores and of the local authority, the pager's webhook secret, the VAPID private key. Read again, not remembered, so a
     * secret added to the stack's home later is one to add here.
     */
    List<String> secrets() {
        return List.of(new String(settings.demoPassword()), readOrCreateSecret(SESSION_KEY_FILE, 32),
                readOrCreateDeviceMasterKey(), new String(brokers.trustStorePassword()),
                readOrCreateSecret(PAGER_SECRET_FILE, 32), readOrCreateVapidKeys().privateKey());
    }

    /**
     * The demo patients' last 7 days, simulated (see {@link DemoHistory}), on the stack's first start
     * only: written before the services start, so the processor knows which ECG is history before it
     * reads it. A file in the stack's home says when it was written.
     */
    private void writeDemoHistoryOnce(TopicWriter writer, List<DemoCohort.DemoPatient> cohort) {
        Path written = settings.home().resolve(DEMO_HISTORY_FILE);
        if (Files.exists(written)) {
            return;
        }
        Instant now = Instant.now();
        DemoHistory.Plan plan = DemoHistory.plan(cohort, now, java.time.ZoneId.of("Europe/Paris"));
        DemoHistory.write(writer, plan);
        try {
            Files.writeString(written, now + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + written, e);
        }
        LOG.info("Demo history: the last {} days of {} patients simulated ({} minutes, {} alerts, an AF episode's ECG strip),"
                + " marked \"{}\"", DemoHistory.SPAN.toDays(), plan.minutes().size(),
                plan.minutes().values().stream().mapToInt(List::size).sum(), plan.alerts().size(), DemoHistory.MARK.trim());
    }

    /**
     * A random secret (Base64), made on first start into an owner-only file of the stack's home
     * and read from it afterwards.
     */
    /**
     * The stack's VAPID key pair, made at its first start and kept: a new pair would orphan every
     * browser subscribed before.
     */
    private P256Keys.Encoded readOrCreateVapidKeys() {
        Path file = settings.home().resolve(VAPID_KEYS_FILE);
        try {
            if (!Files.exists(file)) {
                P256Keys.Encoded pair = P256Keys.newKeyPair();
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, pair.publicKey() + "\n" + pair.privateKey() + "\n");
            }
            List<String> lines = Files.readAllLines(file);
            return new P256Keys.Encoded(lines.get(0).trim(), lines.get(1).trim());
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("Cannot keep the VAPID key pair in " + file + " (delete it to make a new one)", e);
        }
    }

    private String readOrCreateSecret(String fileName, int bytes) {
        Path file = settings.home().resolve(fileName);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[bytes];
                new SecureRandom().nextBytes(key);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the secret " + file, e);
        }
    }

    /**
     * Connects an enrolled device to the brokers, in the given order, as a real one does: a broker
     * that has not read its enrolment yet refuses it, and it tries again for up to a minute.
     *
     * @param firstSequence the device's next sequence number
     */
    SealedDevicePublisher connectDevice(DemoCohort.DemoPatient patient, long firstSequence, List<String> serverUris) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            try {
                return new SealedDevicePublisher(serverUris, patient.deviceId(), patient.key(), firstSequence,
                        brokers.deviceSockets(patient.deviceId()));
            } catch (IllegalStateException refused) {
                if (Instant.now().isAfter(deadline)) {
                    throw refused;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refused;
                }
            }
        }
    }

    /** The device as cw.devices holds it, read by the stack. */
    public java.util.Optional<Device> enrolledDevice(String deviceId) {
        return enrolments.get(deviceId);
    }

    /**
     * Waits until the enrolment is in cw.devices. A broker admits the device once it has read it
     * too: the ingest processes follow that topic as closely as this view does, and a device
     * refused meanwhile connects again.
     */
    private void awaitAdmittedByBroker(String deviceId) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (enrolledDevice(deviceId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The MQTT broker did not see the enrolment of " + deviceId);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the device registry", e);
            }
        }
    }

    private Path writeUsersFile() {
        String hash = PasswordHasher.hash(settings.demoPassword());
        StringBuilder users = new StringBuilder("# Demo accounts of the local stack; rewritten on every start.\n");
        PHYSICIANS.forEach(name -> users.append(name).append(":physician:").append(hash).append('\n'));
        users.append(ADMIN).append(":admin:").append(hash).append('\n');
        users.append(AUDITOR).append(":auditor:").append(hash).append('\n');
        Path file = settings.home().resolve("users");
        try {
            Files.writeString(file, users);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's own permissions apply.
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The services' process ids by name (ingest-mqtt, stream-processor, alerts), for the load benchmark. */
    Map<String, Long> servicePids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        services.forEach((name, service) -> pids.put(name, service.pid()));
        return pids;
    }

    /** Kills a service with SIGKILL, for the fault tests. */
    void kill(String service) {
        service(service).kill();
    }

    /** Stops a service as a pod is stopped (SIGTERM: it finishes what it is doing), for the fault tests. */
    void stop(String service) {
        service(service).close();
    }

    /** Starts a killed or stopped service again with the same settings and waits until it is ready. */
    void restart(String service) {
        ServiceProcess restarted = service(service).restart();
        services.put(service, restarted);
        restarted.awaitReady(START_TIMEOUT);
    }

    /**
     * Starts one more stream processor: the same application, so Kafka shares the partitions
     * between the instances, with its own state folder and health port.
     *
     * @return its name, for {@link #kill(String)} and {@link #restart(String)}
     */
    String startAnotherProcessor() {
        String name = "stream-processor-" + (services.keySet().stream().filter(s -> s.startsWith("stream-processor")).count() + 1);
        Map<String, String> environment = new HashMap<>(processorEnvironment);
        environment.put("CW_STATE_DIR", settings.home().resolve("streams-" + name).toString());
        ServiceProcess processor = ServiceProcess.start(name, app("stream-processor"), FreePorts.next(), environment,
                settings.home().resolve("logs"));
        services.put(name, processor);
        processor.awaitReady(START_TIMEOUT);
        return name;
    }

    /** The environment that points a service at the local authority's truststore and its own client certificate. */
    private Map<String, String> kafkaTls(String serviceName, String trustStore, String trustStorePassword,
            String keyStore, String keyStorePassword) {
        String password = new String(brokers.trustStorePassword());
        Path certificate = brokers.certificateAuthority().clientKeyStore(serviceName, LocalCertificateAuthority.ClientKind.SERVICE);
        return Map.of(trustStore, brokers.trustStore().toString(), trustStorePassword, password,
                keyStore, certificate.toString(), keyStorePassword, password);
    }

    /** Kafka client settings for the stack's own clients (enrolment, tests, the benchmark). */
    public Map<String, Object> kafkaClientSettings() {
        return brokers.kafkaClientSettings(LocalBrokers.LOCAL_TOOLS);
    }

    private ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("No service " + name + "; running: " + services.keySet());
        }
        return service;
    }

    /** Enrols patients and their devices the way the demo cohort is enrolled. */
    void enrol(List<DemoCohort.DemoPatient> patients) {
        try (TopicWriter writer = new TopicWriter(brokers.bootstrapServers(), kafkaClientSettings())) {
            DemoCohort.enrol(writer, patients, DeviceKeyVault.withMasterKey(
                    Base64.getDecoder().decode(readOrCreateDeviceMasterKey())));
        }
        patients.forEach(p -> awaitAdmittedByBroker(p.deviceId()));
    }

    public LocalBrokers brokers() {
        return brokers;
    }

    public String dashboardUrl() {
        return "https://127.0.0.1:" + settings.dashboardPort() + "/";
    }

    /** The local authority's certificate, which a browser or a tool trusts to reach the dashboard. */
    public Path authorityCertificate() {
        return brokers.certificateAuthority().certificatePem();
    }

    /**
     * The dashboard certificate's public key as a browser pins it: Base64 of the SHA-256 of its
     * SubjectPublicKeyInfo.
     */
    public String dashboardKeyPin() {
        return brokers.certificateAuthority().serverKeyPin("alerts");
    }

    /**
     * The e-mail settings of the alerts service for the local mailbox, in a properties file: the
     * clinicians' addresses are map entries, which environment variables cannot name.
     */
    private Path writeMailSettings(int port) {
        Path file = settings.home().resolve("alerts-mail.properties");
        String properties = String.join("\n",
                "# Written by the local stack at each start: e-mail notifications to its local mailbox.",
                "config_ordinal=275",
                "cardiowatch.alerts.notifications.email.enabled=true",
                "cardiowatch.alerts.notifications.email.addresses.cardio1=cardio1@cardiowatch.local",
                "cardiowatch.alerts.notifications.email.addresses.cardio2=cardio2@cardiowatch.local",
                "quarkus.mailer.host=127.0.0.1",
                "quarkus.mailer.port=" + port,
                "quarkus.mailer.from=cardiowatch@cardiowatch.local",
                "quarkus.mailer.tls-configuration-name=local-mail",
                "quarkus.tls.local-mail.trust-store.pem.certs=" + brokers.certificateAuthority().certificatePem(),
                "");
        try {
            Files.writeString(file, properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** The e-mails the local mailbox took, in order. */
    List<LocalMailbox.Received> mail() {
        return mailbox.received();
    }

    /** The local mail server, for tests that turn it away. */
    LocalMailbox mailbox() {
        return mailbox;
    }

    /** The local pager, for tests that take it down. */
    LocalPager pager() {
        return pager;
    }

    /** The notifications the local pager took (JSON bodies), in order. */
    public List<com.fasterxml.jackson.databind.JsonNode> pagerMessages() {
        return pager.received();
    }

    /** TLS for a client of the dashboard and its API: trusting the local authority only. */
    public SSLContext dashboardTls() {
        return HttpsTrust.trusting(authorityCertificate());
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
        services.values().forEach(ServiceProcess::close);
        if (history != null) {
            history.close();
        }
        if (mailbox != null) {
            mailbox.close();
        }
        if (pager != null) {
            pager.close();
        }
        if (enrolments != null) {
            enrolments.close();
        }
        brokers.close();
    }
}
