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
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The end-to-end load benchmark ({@code ./cardiowatch bench pipeline short|long|soak}): simulated devices over
 * MQTT with TLS and sealed payloads, through the whole local stack on this machine, load generator
 * included. It measures, in one run: this machine's MQTT limit (the same broker, certificates,
 * extension and devices as the ingest, each publish acknowledged without Kafka); then the
 * pipeline's sustained throughput into cw.vitals, the latency from device publish to cw.vitals and
 * to the alert on the physician's WebSocket, readings lost, the consumers' lag, and each process's
 * CPU and memory. Its last line is for scripts:
 * {@code BENCH msgs-per-s=… raw-mqtt-per-s=… ratio=… p50-ms=… p99-ms=… alert-p99-ms=… lost=…}.
 */
public final class LoadBenchmark {

    private static final Pattern ALERT = Pattern.compile("\"id\":\"([^\"]+)\".*?\"patientId\":\"(p-bench-\\d+)\"");
    private static final String PASSWORD = "bench-password";
    private static final Duration DRAIN = Duration.ofSeconds(60);
    /** The consumers that must keep up with the readings: the stream processor and the history writer. */
    private static final List<String> LAGGING_GROUPS = List.of("cw-stream-processor", "cw-history");
    /** Lag may grow by this many seconds of the offered load between the middle and the end of the window. */
    private static final int LAG_TOLERANCE_SECONDS = 2;
    /** How long past the minimum warm-up the window waits for the consumers to catch up. */
    static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(2);

    /**
     * What to run: how long, how many devices, how many messages per second in all, over how many
     * MQTT brokers, and which share of the devices are ECG patches (one segment a second each; the
     * wearables send the rest of the rate).
     */
    record Options(String mode, Duration duration, Duration warmUp, Duration raw, int devices, int rate,
            int mqttBrokers, double ecgShare) {

        static Options parse(String[] args) {
            List<String> rest = new ArrayList<>(List.of(args));
            String mode = !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : "short";
            if (!List.of("short", "long", "soak", "raw", "ingest").contains(mode)) {
                throw new IllegalArgumentException("Mode: short (1 minute), long (10 minutes), soak (30 minutes, memory"
                        + " and lag sampled every 5), raw (this machine's MQTT limit alone, to profile it) or ingest (the"
                        + " ingest in the broker's publish path, alone), not " + mode);
            }
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 0; i < rest.size(); i += 2) {
                if (!List.of("--devices", "--rate", "--seconds", "--mqtt-brokers", "--ecg-share").contains(rest.get(i))
                        || i + 1 >= rest.size()) {
                    throw new IllegalArgumentException("Options: --devices N, --rate R (messages/s), --seconds S,"
                            + " --mqtt-brokers B (the ingest set, devices spread over it), --ecg-share F (the share"
                            + " of devices that are ECG patches, 0 to 1)");
                }
                flags.put(rest.get(i), rest.get(i + 1));
            }
            boolean longRun = mode.equals("long") || mode.equals("soak");
            Duration duration = Duration.ofSeconds(Integer.parseInt(flags.getOrDefault("--seconds",
                    mode.equals("soak") ? "1800" : longRun ? "600" : mode.equals("ingest") ? "30" : "60")));
            Duration raw = mode.equals("raw") ? duration : Duration.ofSeconds(longRun ? 60 : 15);
            int mqttBrokers = Integer.parseInt(flags.getOrDefault("--mqtt-brokers", "1"));
            if (mqttBrokers < 1 || (List.of("raw", "ingest").contains(mode) && mqttBrokers != 1)) {
                throw new IllegalArgumentException("--mqtt-brokers is 1 or more, and 1 in raw and ingest modes (one"
                        + " broker alone)");
            }
            int devices = Integer.parseInt(flags.getOrDefault("--devices", "1000"));
            int rate = Integer.parseInt(flags.getOrDefault("--rate", "5000"));
            double ecgShare = Double.parseDouble(flags.getOrDefault("--ecg-share", "0.1"));
            if (devices < 1 || rate < 1 || ecgShare < 0 || ecgShare >= 1) {
                throw new IllegalArgumentException("--devices and --rate are 1 or more, --ecg-share from 0 to below 1");
            }
            Options options = new Options(mode, duration, Duration.ofSeconds(10), raw, devices, rate, mqttBrokers,
                    ecgShare);
            if (options.wearables() > 0 && options.wearableRate() <= 0) {
                throw new IllegalArgumentException("--rate " + rate + " is less than the " + options.patches()
                        + " ECG patches' one segment a second each: nothing left for the wearables");
            }
            return options;
        }

        /** The devices that are ECG patches. */
        int patches() {
            return (int) Math.round(devices * ecgShare);
        }

        int wearables() {
            return devices - patches();
        }

        /** The wearables' readings per second, all together: the rate less the patches' segments. */
        int wearableRate() {
            return rate - patches();
        }

        boolean brokerOnly() {
            return mode.equals("raw");
        }

        /** How often the soak samples memory and lag; none in the other modes. */
        Duration soakSampleEvery() {
            return mode.equals("soak") ? Duration.ofSeconds(Math.max(60, duration.toSeconds() / 6)) : Duration.ZERO;
        }
    }

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path home = Files.createTempDirectory("cardiowatch-bench");
        System.out.printf("CardioWatch load benchmark, %s mode: %d devices over %d ingest(s), %d"
                + " messages/s offered for %d s; %d cores, %s %s, Java %s%n", options.mode(), options.devices(),
                options.mqttBrokers(), options.rate(), options.duration().toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        if (!options.brokerOnly() && !options.mode().equals("ingest")) {
            System.out.printf("The devices: %d wearables sending %d readings/s in all (vitals with the RR interval of"
                    + " each beat), %d chest patches sending a 1 s ECG segment at 250 Hz every second%n",
                    options.wearables(), options.wearableRate(), options.patches());
        }
        try {
            if (options.mode().equals("ingest")) {
                BrokerIngestBenchmark.run(home.resolve("ingest"), options);
                return;
            }
            double raw = BrokerIngestBenchmark.mqttLimit(home.resolve("raw"), options);
            System.out.printf("Raw MQTT QoS 1, TLS, %d devices, the same broker, extension and devices as the ingest,"
                    + " each publish acknowledged at once without Kafka (this machine's MQTT limit): %.0f msgs/s%n",
                    options.devices(), raw);
            if (options.brokerOnly()) {
                System.out.printf("RAW raw-mqtt-per-s=%.0f%n", raw);
                return;
            }
            Result result = pipeline(home.resolve("stack"), options);
            result.print(raw);
        } finally {
            Folders.delete(home);
            System.exit(0);
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
                        "CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT1H"), 1, options.mqttBrokers());
        try (LocalStack stack = LocalStack.start(settings)) {
            List<DemoCohort.DemoPatient> patients = patients(options.devices(), options.patches());
            stack.enrol(patients);
            Thread.sleep(3_000);
            Result result = new Result();
            Arrivals arrivals = new Arrivals(stack.brokers().bootstrapServers(), stack.kafkaClientSettings(), result).start();
            if (!options.soakSampleEvery().isZero()) {
                // Half an hour of readings is too many to read back after the window: the soak reads as it goes.
                arrivals.follow();
            }
            java.net.URI socket = java.net.URI.create("wss://127.0.0.1:" + httpPort + "/ws/alerts");
            try (DashboardSocket dashboard = DashboardSocket.open(socket, stack.dashboardTls(), "cardio1", PASSWORD,
                    result::onDashboardMessage)) {
                BenchFleet devices = BenchFleet.connect(stack.mqttServerUris(), stack.brokers(), patients, Instant.now());
                Map<String, Long> pids = new LinkedHashMap<>(stack.servicePids());
                pids.put("kafka+load generator", ProcessHandle.current().pid());
                try (ConsumerLag lag = new ConsumerLag(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
                    if (options.soakSampleEvery().isZero()) {
                        offer(devices, options, result, pids, () -> lag.of(LAGGING_GROUPS));
                    } else {
                        soak(devices, options, result, pids, lag);
                    }
                }
                arrivals.follow();
                result.awaitDrained(DRAIN);
                result.publishFailures(devices.failed());
                result.alertsNotShown(stack.brokers().bootstrapServers(), stack.kafkaClientSettings());
                devices.close();
            } finally {
                arrivals.close();
            }
            return result;
        }
    }

    /**
     * The offered load, with memory and lag sampled on a thread of its own (a full collection and
     * jcmd take a second or two, which must not stall the load) from the end of the warm-up, every
     * {@link Options#soakSampleEvery()} and once more at the end.
     */
    private static void soak(BenchFleet devices, Options options, Result result, Map<String, Long> pids,
            ConsumerLag lag) throws InterruptedException {
        SoakRecord soak = new SoakRecord();
        long windowStart = System.nanoTime() + options.warmUp().toNanos();
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        long every = options.soakSampleEvery().toMillis();
        sampler.scheduleAtFixedRate(() -> soak.take(Duration.ofNanos(System.nanoTime() - windowStart), pids,
                lag.of(LAGGING_GROUPS)), options.warmUp().toMillis(), every, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            offer(devices, options, result, pids, () -> lag.of(LAGGING_GROUPS));
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        soak.take(Duration.ofNanos(System.nanoTime() - windowStart), pids, lag.of(LAGGING_GROUPS));
        soak.printVerdict(options.rate(), LAG_TOLERANCE_SECONDS);
    }

    /**
     * Offers the wearables' readings at their rate, round robin, and each patch's ECG segment once a
     * second; one alert trigger every 5 s in the window, on a wearable. The window opens after the
     * warm-up: at least {@link Options#warmUp()}, and (but in the soak, which samples from a fixed
     * start) until the consumers have caught up with what a cold stack could not analyse at first
     * ({@link CatchUp}), at most {@link #CATCH_UP_LIMIT} more; the alerts then measure the running
     * pipeline, and the warm-up's length is printed as what a cold start costs.
     *
     * @param lag the consumer groups' lag now, sampled in the middle of the window and at its end
     */
    private static void offer(BenchFleet devices, Options options, Result result, Map<String, Long> pids,
            java.util.function.Supplier<Map<String, Long>> lag) throws InterruptedException {
        List<BenchFleet.Member> wearables = devices.wearables();
        List<BenchFleet.Member> patches = devices.patches();
        long start = System.nanoTime();
        long warmUpAtLeast = start + options.warmUp().toNanos();
        long warmUpAtMost = warmUpAtLeast + (options.soakSampleEvery().isZero() ? CATCH_UP_LIMIT.toNanos() : 0);
        long end = Long.MAX_VALUE;
        long middle = Long.MAX_VALUE;
        long offered = 0;
        long segmentsOffered = 0;
        int next = 0;
        long nextTrigger = Long.MAX_VALUE;
        int triggers = 0;
        boolean measuring = false;
        boolean sampledMiddle = false;
        try (CatchUp catchUp = CatchUp.watch(lag, (long) LAG_TOLERANCE_SECONDS * options.rate())) {
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (!measuring && now >= warmUpAtLeast) {
                    catchUp.startCounting();
                }
                if (!measuring && now >= warmUpAtLeast && (catchUp.caughtUp() || now >= warmUpAtMost)) {
                    measuring = true;
                    result.warmedUp(Duration.ofNanos(now - start), warmUpAtMost > warmUpAtLeast, catchUp.caughtUp(),
                            catchUp.lastLag());
                    result.startWindow(pids);
                    end = now + options.duration().toNanos();
                    middle = now + options.duration().toNanos() / 2;
                    nextTrigger = now;
                }
                if (!sampledMiddle && now >= middle) {
                    sampledMiddle = true;
                    result.lagInMiddle(catchUp.lastLag());
                }
                long due = wearables.isEmpty() ? 0 : (long) ((now - start) / 1e9 * options.wearableRate());
                if (due - offered > options.wearableRate()) {
                    // More than a second behind (the generator shares the machine): what it could not send in time
                    // is not sent late in a burst, as no device would, but counted.
                    result.generatorBehind(due - offered - options.wearableRate());
                    offered = due - options.wearableRate();
                }
                while (offered < due) {
                    BenchFleet.Member device = wearables.get(next++ % wearables.size());
                    boolean trigger = measuring && now >= nextTrigger && triggers < wearables.size()
                            && device == wearables.get(triggers);
                    // Each message's time is when it is sent: the latencies then start at the device, not at the loop.
                    DeviceVitals reading = BenchFleet.reading(device, Instant.now(), trigger ? 150f : null);
                    if (!device.device().offer(reading, (sequence, nanos) -> result.stored(nanos))) {
                        // Not sent (the device's window is full): a trigger waits for the device's next turn.
                        result.notOffered();
                    } else if (trigger) {
                        triggers++;
                        nextTrigger += 5_000_000_000L;
                        result.triggered(device.device().deviceId(), reading.getMeasuredAt().toEpochMilli());
                    }
                    offered++;
                }
                long segmentsDue = (now - start) / BenchFleet.ECG_SEGMENT.toNanos() * patches.size();
                if (segmentsDue - segmentsOffered > patches.size()) {
                    result.generatorBehind(segmentsDue - segmentsOffered - patches.size());
                    segmentsOffered = segmentsDue - patches.size();
                }
                while (segmentsOffered < segmentsDue) {
                    BenchFleet.Member patch = patches.get((int) (segmentsOffered++ % patches.size()));
                    if (!patch.device().offer(BenchFleet.segment(patch, Instant.now()),
                            (sequence, nanos) -> result.segmentStored(nanos))) {
                        result.notOffered();
                    }
                }
                Thread.sleep(1);
            }
        }
        result.endWindow(pids);
        result.lagAtEnd(lag.get(), options.rate());
    }

    static DeviceVitals reading(float heartRate) {
        return DeviceVitals.newBuilder().setMeasuredAt(Instant.now()).setHeartRateBpm(heartRate).setSpo2Percent(97f)
                .build();
    }

    static List<DemoCohort.DemoPatient> patients(int count) {
        return patients(count, 0);
    }

    /** The benchmark's patients, the first {@code patches} of them with an ECG patch, the others a wearable. */
    static List<DemoCohort.DemoPatient> patients(int count, int patches) {
        SecureRandom random = new SecureRandom();
        List<DemoCohort.DemoPatient> patients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String id = String.format("%04d", i);
            patients.add(new DemoCohort.DemoPatient("p-bench-" + id, "Bench " + id, "cardio1", "cardio2", 72,
                    i < patches, List.of(), "dev-bench-" + id, key));
        }
        return patients;
    }

    /**
     * Reads cw.vitals, cw.ecg and cw.ingest.rejected from where they ended before the load, to find
     * every message acknowledged. It starts reading once the window closed (but in the soak): it
     * decodes every record, and during the window that would take the processor's CPU on this
     * machine (a JFR profile of the benchmark's JVM: about half as many samples as the load
     * generator itself).
     */
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
            for (String topic : List.of(Topics.VITALS.name(), Topics.ECG.name(), Topics.INGEST_REJECTED.name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return this;
        }

        /** Starts reading, once. */
        void follow() {
            if (thread.getState() == Thread.State.NEW) {
                thread.start();
            }
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(Topics.VITALS.name())) {
                        VitalSigns reading = Topics.VITALS.decode(record.value());
                        result.arrived(reading.getDeviceId(), reading.getSequence(), false);
                    } else if (record.topic().equals(Topics.ECG.name())) {
                        EcgSegment segment = Topics.ECG.decode(record.value());
                        result.arrived(segment.getDeviceId(), segment.getSequence(), true);
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
        /**
         * Publish to PUBACK of a reading, in microseconds: the ingest acknowledges once Kafka has it
         * in cw.vitals, so this is publish to stored, without the delay of a consumer reading it back.
         */
        private final Histogram storedLatency = new Histogram(60_000_000, 3);
        /** The same for the patches' ECG segments, into cw.ecg. */
        private final Histogram segmentStoredLatency = new Histogram(60_000_000, 3);
        private final AtomicLong segments = new AtomicLong();
        private final Histogram alertLatency = new Histogram(60_000, 3);
        private final Map<String, Long> triggeredAt = new ConcurrentHashMap<>();
        private final Map<String, java.util.Set<String>> alertsByPatient = new ConcurrentHashMap<>();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong notOffered = new AtomicLong();
        private final AtomicLong generatorBehind = new AtomicLong();
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
        private Map<String, Long> lagInMiddle = Map.of();
        private Map<String, Long> lagAtEnd = Map.of();
        private Duration warmUp = Duration.ZERO;
        private boolean awaitedCatchUp;
        private boolean caughtUp;
        private Map<String, Long> lagAfterWarmUp = Map.of();
        private boolean keptUp = true;
        /** Scripted alerts the dashboard did not show, each with whether cw.alerts has it. */
        private final Map<String, Boolean> notShown = new LinkedHashMap<>();

        /** Looks in cw.alerts for the scripted alerts the dashboard did not show: lost before or after the processor. */
        void alertsNotShown(String bootstrap, Map<String, Object> clientSettings) {
            for (String patient : triggeredAt.keySet()) {
                if (!alertsByPatient.containsKey(patient)) {
                    notShown.put(patient, !TopicScan.read(bootstrap, clientSettings, Topics.ALERTS, Instant.EPOCH,
                            alert -> alert.getPatientId().equals(patient) && alert.getKind() == AlertKind.TACHYCARDIA, 1)
                            .isEmpty());
                }
            }
        }

        /**
         * The warm-up ended after {@code took}; whether it waited for the consumers (not in the soak) and
         * they caught up with the load, with this lag.
         */
        void warmedUp(Duration took, boolean awaitedCatchUp, boolean caughtUp, Map<String, Long> lag) {
            this.warmUp = took;
            this.awaitedCatchUp = awaitedCatchUp;
            this.caughtUp = caughtUp;
            this.lagAfterWarmUp = lag;
        }

        void lagInMiddle(Map<String, Long> lag) {
            lagInMiddle = lag;
        }

        /** A group whose lag grew by more than a few seconds of the offered load did not keep up. */
        void lagAtEnd(Map<String, Long> lag, int rate) {
            lagAtEnd = lag;
            lag.forEach((group, end) -> {
                long middle = lagInMiddle.getOrDefault(group, -1L);
                if (end < 0 || middle < 0 || end - middle > (long) LAG_TOLERANCE_SECONDS * rate) {
                    keptUp = false;
                }
            });
        }

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

        /** A reading acknowledged: stored in cw.vitals {@code nanos} after its publish. */
        void stored(long nanos) {
            acknowledged(storedLatency, nanos);
        }

        /** A segment acknowledged: stored in cw.ecg {@code nanos} after its publish. */
        void segmentStored(long nanos) {
            acknowledged(segmentStoredLatency, nanos);
        }

        /** Stored in Kafka (the ingest acknowledges nothing before): in the window, it counts as throughput. */
        private void acknowledged(Histogram latency, long nanos) {
            sent.incrementAndGet();
            if (windowOpen) {
                inWindow.incrementAndGet();
                synchronized (latency) {
                    latency.recordValue(Math.max(0, Math.min(nanos / 1000, 60_000_000)));
                }
            }
        }

        /** Publishes the client or the broker failed: not sent, so not counted as lost. */
        void publishFailures(long failures) {
            publishFailures = failures;
        }

        /** Messages the generator could not offer in time (over a second behind), not sent at all. */
        void generatorBehind(long messages) {
            generatorBehind.addAndGet(messages);
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

        synchronized void arrived(String deviceId, long sequence, boolean ecg) {
            BitSet seen = arrivedByDevice.computeIfAbsent(deviceId, d -> new BitSet());
            if (seen.get((int) sequence)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set((int) sequence);
            unique.incrementAndGet();
            if (ecg) {
                segments.incrementAndGet();
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

        /** Waits for every message and alert to be read back, as long as they keep coming: {@code quiet} without any ends it. */
        void awaitDrained(Duration quiet) throws InterruptedException {
            long seen = -1;
            Instant deadline = Instant.now().plus(quiet);
            while (Instant.now().isBefore(deadline) && (unique.get() + rejected.get() < sent.get()
                    || alertsReceived() < triggeredAt.size())) {
                long now = unique.get() + rejected.get() + duplicates.get() + alertsReceived();
                if (now != seen) {
                    seen = now;
                    deadline = Instant.now().plus(quiet);
                }
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
            System.out.printf("Warm-up: %d s, %s (consumer lag then: %s); the alerts below are measured after it%n",
                    warmUp.toSeconds(), !awaitedCatchUp ? "fixed (the soak samples from a fixed start)"
                            : caughtUp ? "until the consumers had caught up with what the cold stack could not analyse"
                                    + " at first (that backlog is how late alerts are after a cold start)"
                            : "the consumers had NOT caught up: the window starts behind", lagAfterWarmUp);
            System.out.printf("Pipeline: sent %d messages (acknowledged by the broker), %d in cw.vitals and cw.ecg (%d of"
                    + " them ECG segments; %d more as at-least-once duplicates), %d rejected, %d lost; %d offers skipped"
                    + " with the device's window full, %d publishes failed%n", sent.get(), unique.get(), segments.get(),
                    duplicates.get(), rejected.get(), lost, notOffered.get(), publishFailures);
            if (generatorBehind.get() > 0) {
                System.out.printf("The load generator fell over a second behind its schedule and left %d messages"
                        + " unsent (it shares the machine's cores with the stack): the offered rate was not reached%n",
                        generatorBehind.get());
            }
            System.out.printf("Sustained throughput into cw.vitals and cw.ecg over %.0f s: %.0f msgs/s (%.2f of raw MQTT)%n",
                    seconds, throughput, throughput / raw);
            System.out.printf("Publish -> stored in cw.vitals (its PUBACK, sent once Kafka has it) ms: p50 %.1f, p90 %.1f,"
                    + " p99 %.1f, max %.1f%n", storedLatency.getValueAtPercentile(50) / 1000.0,
                    storedLatency.getValueAtPercentile(90) / 1000.0, storedLatency.getValueAtPercentile(99) / 1000.0,
                    storedLatency.getMaxValue() / 1000.0);
            if (segmentStoredLatency.getTotalCount() > 0) {
                System.out.printf("Publish -> stored in cw.ecg (an ECG segment's PUBACK) ms: p50 %.1f, p90 %.1f, p99 %.1f,"
                        + " max %.1f%n", segmentStoredLatency.getValueAtPercentile(50) / 1000.0,
                        segmentStoredLatency.getValueAtPercentile(90) / 1000.0,
                        segmentStoredLatency.getValueAtPercentile(99) / 1000.0, segmentStoredLatency.getMaxValue() / 1000.0);
            }
            System.out.printf("Publish -> alert on the physician's WebSocket ms (%d scripted, %d arrived, %d duplicated):"
                    + " p50 %d, p99 %d, max %d%n", triggeredAt.size(), alertsReceived(), duplicatedAlerts,
                    alertLatency.getValueAtPercentile(50), alertLatency.getValueAtPercentile(99), alertLatency.getMaxValue());
            notShown.forEach((patient, inTopic) -> System.out.printf("Alert of %s not shown on the dashboard; %s%n",
                    patient, inTopic ? "it is in cw.alerts" : "it is not in cw.alerts either"));
            lagAtEnd.forEach((group, end) -> System.out.printf("Consumer lag of %s (records still to read): %d in the"
                    + " middle of the window, %d at its end%n", group, lagInMiddle.getOrDefault(group, -1L), end));
            System.out.println(keptUp ? "Sustained: every consumer kept up (its lag did not grow by more than "
                    + LAG_TOLERANCE_SECONDS + " s of the load)"
                    : "NOT SUSTAINED: a consumer's lag grew during the window (or could not be read)");
            statsAtEnd.forEach((name, end) -> {
                ProcessStats start = statsAtStart.get(name);
                System.out.printf("  %-24s CPU %.2f cores, resident %d MB%n", name, start.coresUntil(end, seconds),
                        end.residentKb() / 1024);
            });
            System.out.printf("BENCH msgs-per-s=%.0f raw-mqtt-per-s=%.0f ratio=%.2f p50-ms=%d p99-ms=%d alert-p99-ms=%d lost=%d%n",
                    throughput, raw, throughput / raw, Math.round(storedLatency.getValueAtPercentile(50) / 1000.0),
                    Math.round(storedLatency.getValueAtPercentile(99) / 1000.0), alertLatency.getValueAtPercentile(99), lost);
        }
    }
}
