package org.cardiowatch.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cardiowatch.embedded.DashboardSocket;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.MqttMessageSink;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The end-to-end load benchmark ({@code ./benchmark-pipeline short|long}): simulated devices over
 * MQTT with TLS and sealed payloads, through the whole local stack on this machine, load generator
 * included. It measures, in one run: the raw MQTT QoS 1 pass-through of the same broker software
 * and settings without the pipeline; then the pipeline's sustained throughput into cw.vitals, the
 * latency from device publish to cw.vitals and to the alert on the physician's WebSocket, readings
 * lost, and each process's CPU and memory. Its last line is for scripts:
 * {@code BENCH msgs-per-s=… raw-mqtt-per-s=… ratio=… p50-ms=… p99-ms=… alert-p99-ms=… lost=…}.
 */
public final class LoadBenchmark {

    private static final Pattern ALERT = Pattern.compile("\"id\":\"([^\"]+)\".*?\"patientId\":\"(p-bench-\\d+)\"");
    private static final String PASSWORD = "bench-password";
    private static final Duration DRAIN = Duration.ofSeconds(60);

    /** What to run: how long, how many devices, how many readings per second in all, over how many MQTT brokers. */
    record Options(String mode, Duration duration, Duration warmUp, Duration raw, int devices, int rate,
            int mqttBrokers, boolean ingestInBroker) {

        static Options parse(String[] args) {
            List<String> rest = new ArrayList<>(List.of(args));
            String mode = !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : "short";
            if (!List.of("short", "long", "raw", "ingest").contains(mode)) {
                throw new IllegalArgumentException("Mode: short (1 minute), long (10 minutes), raw (the MQTT broker"
                        + " alone, to profile it) or ingest (the ingest in the broker's publish path, alone), not " + mode);
            }
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 0; i < rest.size(); i += 2) {
                if (!List.of("--devices", "--rate", "--seconds", "--mqtt-brokers", "--ingest").contains(rest.get(i))
                        || i + 1 >= rest.size()) {
                    throw new IllegalArgumentException("Options: --devices N, --rate R (readings/s), --seconds S,"
                            + " --mqtt-brokers B (the broker set, devices spread over it), --ingest broker|bridge"
                            + " (the ingest in the broker's publish path, the default, or the subscribing bridge)");
                }
                flags.put(rest.get(i), rest.get(i + 1));
            }
            boolean longRun = mode.equals("long");
            Duration duration = Duration.ofSeconds(Integer.parseInt(flags.getOrDefault("--seconds", longRun ? "600"
                    : mode.equals("ingest") ? "30" : "60")));
            Duration raw = mode.equals("raw") ? duration : Duration.ofSeconds(longRun ? 60 : 15);
            int mqttBrokers = Integer.parseInt(flags.getOrDefault("--mqtt-brokers", "1"));
            if (mqttBrokers < 1 || (List.of("raw", "ingest").contains(mode) && mqttBrokers != 1)) {
                throw new IllegalArgumentException("--mqtt-brokers is 1 or more, and 1 in raw and ingest modes (one"
                        + " broker alone)");
            }
            String ingest = flags.getOrDefault("--ingest", "broker");
            if (!List.of("bridge", "broker").contains(ingest)) {
                throw new IllegalArgumentException("--ingest is broker or bridge, not " + ingest);
            }
            return new Options(mode, duration, Duration.ofSeconds(10), raw,
                    Integer.parseInt(flags.getOrDefault("--devices", "100")),
                    Integer.parseInt(flags.getOrDefault("--rate", "5000")), mqttBrokers, ingest.equals("broker"));
        }

        boolean brokerOnly() {
            return mode.equals("raw");
        }
    }

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path home = Files.createTempDirectory("cardiowatch-bench");
        System.out.printf("CardioWatch load benchmark, %s mode, ingest %s: %d devices over %d MQTT broker(s), %d"
                + " readings/s offered for %d s; %d cores, %s %s, Java %s%n", options.mode(),
                options.ingestInBroker() ? "in the broker's publish path" : "by the subscribing bridge", options.devices(),
                options.mqttBrokers(), options.rate(), options.duration().toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        if (options.mode().equals("ingest")) {
            BrokerIngestBenchmark.run(home.resolve("ingest"), options);
            System.exit(0);
        }
        double raw = rawMqtt(home.resolve("raw"), options);
        System.out.printf("Raw MQTT QoS 1, TLS, %d devices to one subscriber, same broker and extension: %.0f msgs/s%n",
                options.devices(), raw);
        if (options.brokerOnly()) {
            System.out.printf("RAW raw-mqtt-per-s=%.0f%n", raw);
            System.exit(0);
        }
        Result result = pipeline(home.resolve("stack"), options);
        result.print(raw);
        System.exit(0);
    }

    /** The broker alone: devices publish as fast as they can, one subscriber receives. */
    static double rawMqtt(Path folder, Options options) throws Exception {
        try (LocalBrokers brokers = LocalBrokers.start(folder, FreePorts.next(), FreePorts.next(), 6)) {
            List<DemoCohort.DemoPatient> patients = patients(options.devices());
            try (TopicWriter writer = new TopicWriter(brokers.bootstrapServers())) {
                for (DemoCohort.DemoPatient p : patients) {
                    writer.write(Topics.DEVICES, p.deviceId(), Device.newBuilder().setDeviceId(p.deviceId())
                            .setPatientId(p.patientId()).setStatus(DeviceStatus.ACTIVE)
                            .setPayloadKey(java.nio.ByteBuffer.wrap(p.key())).setEnrolledAt(Instant.now()).build());
                }
            }
            for (DemoCohort.DemoPatient p : patients) {
                while (brokers.enrolledDevice(p.deviceId()).isEmpty()) {
                    Thread.sleep(20);
                }
            }
            AtomicLong received = new AtomicLong();
            AtomicLong acknowledged = new AtomicLong();
            MqttAsyncClient subscriber = new MqttAsyncClient(brokers.mqttServerUri(), "bench-raw-subscriber",
                    new MemoryPersistence());
            MqttConnectionOptions connection = new MqttConnectionOptions();
            connection.setSocketFactory(brokers.serviceSockets("bench-subscriber"));
            subscriber.setCallback(new MqttMessageSink((topic, message) -> received.incrementAndGet()));
            subscriber.connect(connection).waitForCompletion(30_000);
            subscriber.subscribe(new MqttSubscription("cw/v1/+/vitals", 1)).waitForCompletion(30_000);
            List<BenchDevice> devices = connect(brokers.mqttServerUris(), brokers, patients);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = new Thread(() -> {
                int next = 0;
                while (running.get()) {
                    if (!devices.get(next++ % devices.size()).offer(reading(72f), (sequence, nanos) -> acknowledged.incrementAndGet())) {
                        // Every device's window full: wait for acknowledgements without taking a core from the broker.
                        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                    }
                }
            }, "raw-load");
            load.start();
            Thread.sleep(3_000);
            long from = received.get();
            long acknowledgedFrom = acknowledged.get();
            long started = System.nanoTime();
            Thread.sleep(options.raw().toMillis());
            double seconds = (System.nanoTime() - started) / 1e9;
            double perSecond = (received.get() - from) / seconds;
            // The broker may acknowledge faster than it delivers: the difference piles up in the subscriber's queue.
            System.out.printf("Raw MQTT: the broker acknowledged %.0f publishes/s to the devices and delivered %.0f/s"
                    + " to the subscriber%n", (acknowledged.get() - acknowledgedFrom) / seconds, perSecond);
            running.set(false);
            load.join();
            devices.forEach(BenchDevice::close);
            subscriber.disconnect().waitForCompletion(5_000);
            subscriber.close();
            return perSecond;
        }
    }

    /** The whole pipeline under the offered load, with scripted alerts. */
    static Result pipeline(Path home, Options options) throws Exception {
        Files.createDirectories(home);
        int httpPort = FreePorts.next();
        LocalStack.Settings settings = new LocalStack.Settings(LocalStackMain.repository(), home, FreePorts.next(),
                FreePorts.next(), httpPort, FreePorts.next(), FreePorts.next(), PASSWORD.toCharArray(), false, Map.of(
                        // An alert on the first breaching reading, so its latency is the pipeline's alone.
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_SUSTAIN", "PT0S",
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_CLEAR_AFTER", "PT2S",
                        // A benchmark device sends far more than a patient's would.
                        "CARDIOWATCH_INGEST_VALIDATION_MAX_MESSAGES_PER_SECOND", "100000",
                        "CARDIOWATCH_INGEST_VALIDATION_MAX_BURST", "100000",
                        "CARDIOWATCH_INGEST_VALIDATION_REPLAY_WINDOW", "4096",
                        "CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT1H"), 1, options.mqttBrokers(),
                options.ingestInBroker());
        try (LocalStack stack = LocalStack.start(settings)) {
            List<DemoCohort.DemoPatient> patients = patients(options.devices());
            stack.enrol(patients);
            Thread.sleep(3_000);
            Result result = new Result();
            Arrivals arrivals = new Arrivals(stack.brokers().bootstrapServers(), stack.kafkaClientSettings(), result).start();
            java.net.URI socket = java.net.URI.create("ws://127.0.0.1:" + httpPort + "/ws/alerts");
            try (DashboardSocket dashboard = DashboardSocket.open(socket, "cardio1", PASSWORD, result::onDashboardMessage)) {
                List<BenchDevice> devices = connect(stack.mqttServerUris(), stack.brokers(), patients);
                Map<String, Long> pids = new LinkedHashMap<>(stack.servicePids());
                pids.put(options.ingestInBroker() ? "kafka+load generator" : "brokers+load generator",
                        ProcessHandle.current().pid());
                List<Long> otherBrokers = stack.brokers().otherMqttPids();
                for (int node = 0; node < otherBrokers.size(); node++) {
                    pids.put("mqtt broker " + (node + 2), otherBrokers.get(node));
                }
                offer(devices, options, result, pids);
                result.awaitDrained(DRAIN);
                result.publishFailures(devices.stream().mapToLong(BenchDevice::failed).sum());
                devices.forEach(BenchDevice::close);
            } finally {
                arrivals.close();
            }
            return result;
        }
    }

    /** Offers the readings at the target rate, one alert trigger every 5 s after the warm-up. */
    private static void offer(List<BenchDevice> devices, Options options, Result result, Map<String, Long> pids)
            throws InterruptedException {
        long start = System.nanoTime();
        long warmUpEnd = start + options.warmUp().toNanos();
        long end = warmUpEnd + options.duration().toNanos();
        long offered = 0;
        int next = 0;
        long nextTrigger = warmUpEnd;
        int triggers = 0;
        boolean measuring = false;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (!measuring && now >= warmUpEnd) {
                measuring = true;
                result.startWindow(pids);
            }
            long due = (long) ((now - start) / 1e9 * options.rate());
            while (offered < due) {
                BenchDevice device = devices.get(next++ % devices.size());
                boolean trigger = measuring && now >= nextTrigger && triggers < devices.size()
                        && device == devices.get(triggers);
                DeviceVitals reading = reading(trigger ? 150f : 72f);
                if (trigger) {
                    triggers++;
                    nextTrigger += 5_000_000_000L;
                    result.triggered(device.deviceId(), reading.getMeasuredAt().toEpochMilli());
                }
                if (!device.offer(reading, (sequence, nanos) -> result.sent())) {
                    result.notOffered();
                }
                offered++;
            }
            Thread.sleep(1);
        }
        result.endWindow(pids);
    }

    static DeviceVitals reading(float heartRate) {
        return DeviceVitals.newBuilder().setMeasuredAt(Instant.now()).setHeartRateBpm(heartRate).setSpo2Percent(97f)
                .build();
    }

    static List<DemoCohort.DemoPatient> patients(int count) {
        SecureRandom random = new SecureRandom();
        List<DemoCohort.DemoPatient> patients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String id = String.format("%04d", i);
            patients.add(new DemoCohort.DemoPatient("p-bench-" + id, "Bench " + id, "cardio1", "cardio2", 72, false,
                    List.of(), "dev-bench-" + id, key));
        }
        return patients;
    }

    private static List<BenchDevice> connect(List<String> uris, LocalBrokers brokers,
            List<DemoCohort.DemoPatient> patients) throws Exception {
        List<BenchDevice> devices = new ArrayList<>();
        for (int i = 0; i < patients.size(); i++) {
            // Spread over the broker set, as the devices' load balancer would.
            DemoCohort.DemoPatient p = patients.get(i);
            devices.add(new BenchDevice(uris.get(i % uris.size()), p.deviceId(), p.key(), brokers.deviceSockets(p.deviceId())));
        }
        return devices;
    }

    /** Follows cw.vitals and cw.ingest.rejected from their end, as readings arrive. */
    private static final class Arrivals implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Result result;
        private final Thread thread;
        private volatile boolean running = true;

        Arrivals(String bootstrap, Map<String, Object> clientSettings, Result result) {
            Properties props = new Properties();
            props.putAll(clientSettings);
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            this.result = result;
            this.thread = new Thread(this::run, "bench-arrivals");
        }

        Arrivals start() {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.VITALS.name(), Topics.INGEST_REJECTED.name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread.start();
            return this;
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (record.topic().equals(Topics.VITALS.name())) {
                        VitalSigns reading = Topics.VITALS.decode(record.value());
                        result.arrived(reading.getDeviceId(), reading.getSequence(), now - reading.getMeasuredAt().toEpochMilli());
                    } else {
                        result.rejected();
                    }
                }
            }
            consumer.close();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }

    /** What the run measured; written by the generator, the arrivals thread and the dashboard socket. */
    static final class Result {
        private final Map<String, BitSet> arrivedByDevice = new ConcurrentHashMap<>();
        private final Histogram vitalsLatency = new Histogram(60_000, 3);
        private final Histogram alertLatency = new Histogram(60_000, 3);
        private final Map<String, Long> triggeredAt = new ConcurrentHashMap<>();
        private final Map<String, java.util.Set<String>> alertsByPatient = new ConcurrentHashMap<>();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong notOffered = new AtomicLong();
        private final AtomicLong unique = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong inWindow = new AtomicLong();
        private long publishFailures;
        private volatile boolean windowOpen;
        private volatile long windowStart;
        private volatile long windowEnd;
        private Map<String, ProcessStats> statsAtStart = Map.of();
        private Map<String, ProcessStats> statsAtEnd = Map.of();

        void startWindow(Map<String, Long> pids) {
            statsAtStart = sample(pids);
            windowStart = System.nanoTime();
            windowOpen = true;
        }

        void endWindow(Map<String, Long> pids) {
            windowOpen = false;
            windowEnd = System.nanoTime();
            statsAtEnd = sample(pids);
        }

        private static Map<String, ProcessStats> sample(Map<String, Long> pids) {
            Map<String, ProcessStats> stats = new LinkedHashMap<>();
            pids.forEach((name, pid) -> stats.put(name, ProcessStats.of(pid)));
            return stats;
        }

        void sent() {
            sent.incrementAndGet();
        }

        /** Publishes the client or the broker failed: not sent, so not counted as lost. */
        void publishFailures(long failures) {
            publishFailures = failures;
        }

        void notOffered() {
            notOffered.incrementAndGet();
        }

        void rejected() {
            rejected.incrementAndGet();
        }

        void triggered(String deviceId, long publishedAtMillis) {
            triggeredAt.put("p-bench-" + deviceId.substring("dev-bench-".length()), publishedAtMillis);
        }

        synchronized void arrived(String deviceId, long sequence, long latencyMillis) {
            BitSet seen = arrivedByDevice.computeIfAbsent(deviceId, d -> new BitSet());
            if (seen.get((int) sequence)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set((int) sequence);
            unique.incrementAndGet();
            if (windowOpen) {
                inWindow.incrementAndGet();
                vitalsLatency.recordValue(Math.max(0, Math.min(latencyMillis, 60_000)));
            }
        }

        void onDashboardMessage(String message) {
            long now = System.currentTimeMillis();
            if (!message.contains("\"type\":\"alert\"") || !message.contains("TACHYCARDIA")) {
                return;
            }
            Matcher m = ALERT.matcher(message);
            if (m.find() && alertsByPatient.computeIfAbsent(m.group(2), p -> ConcurrentHashMap.newKeySet()).add(m.group(1))) {
                Long triggered = triggeredAt.get(m.group(2));
                if (triggered != null && alertsByPatient.get(m.group(2)).size() == 1) {
                    synchronized (alertLatency) {
                        alertLatency.recordValue(Math.max(0, Math.min(now - triggered, 60_000)));
                    }
                }
            }
        }

        void awaitDrained(Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline) && (unique.get() + rejected.get() < sent.get()
                    || alertsReceived() < triggeredAt.size())) {
                Thread.sleep(200);
            }
        }

        private long alertsReceived() {
            return triggeredAt.keySet().stream().filter(alertsByPatient::containsKey).count();
        }

        void print(double raw) {
            double seconds = (windowEnd - windowStart) / 1e9;
            double throughput = inWindow.get() / seconds;
            long lost = Math.max(0, sent.get() - unique.get() - rejected.get());
            long duplicatedAlerts = alertsByPatient.values().stream().filter(ids -> ids.size() > 1).count();
            System.out.printf("Pipeline: sent %d readings (acknowledged by the broker), %d in cw.vitals (%d more as"
                    + " at-least-once duplicates), %d rejected, %d lost; %d offers skipped with the device's window full,"
                    + " %d publishes failed%n", sent.get(), unique.get(), duplicates.get(), rejected.get(), lost,
                    notOffered.get(), publishFailures);
            System.out.printf("Sustained throughput into cw.vitals over %.0f s: %.0f msgs/s (%.2f of raw MQTT)%n", seconds,
                    throughput, throughput / raw);
            System.out.printf("Publish -> cw.vitals ms: p50 %d, p90 %d, p99 %d, max %d%n",
                    vitalsLatency.getValueAtPercentile(50), vitalsLatency.getValueAtPercentile(90),
                    vitalsLatency.getValueAtPercentile(99), vitalsLatency.getMaxValue());
            System.out.printf("Publish -> alert on the physician's WebSocket ms (%d scripted, %d arrived, %d duplicated):"
                    + " p50 %d, p99 %d, max %d%n", triggeredAt.size(), alertsReceived(), duplicatedAlerts,
                    alertLatency.getValueAtPercentile(50), alertLatency.getValueAtPercentile(99), alertLatency.getMaxValue());
            statsAtEnd.forEach((name, end) -> {
                ProcessStats start = statsAtStart.get(name);
                System.out.printf("  %-24s CPU %.2f cores, resident %d MB%n", name, start.coresUntil(end, seconds),
                        end.residentKb() / 1024);
            });
            System.out.printf("BENCH msgs-per-s=%.0f raw-mqtt-per-s=%.0f ratio=%.2f p50-ms=%d p99-ms=%d alert-p99-ms=%d lost=%d%n",
                    throughput, raw, throughput / raw, vitalsLatency.getValueAtPercentile(50),
                    vitalsLatency.getValueAtPercentile(99), alertLatency.getValueAtPercentile(99), lost);
        }
    }
}
