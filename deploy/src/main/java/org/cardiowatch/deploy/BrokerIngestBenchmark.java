package org.cardiowatch.deploy;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.embedded.PublishPath;
import org.cardiowatch.ingest.broker.IngestInterceptor;
import org.cardiowatch.ingest.broker.SuccessPuback;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.wire.DeviceKeyVault;

/**
 * {@code ./cardiowatch bench pipeline ingest}: the ingest in the MQTT broker's publish path, alone, on one
 * broker with mutual TLS and sealed payloads, devices and Kafka on this machine. In one run and on
 * one broker: the MQTT limit (an interceptor that acknowledges each publish at once, without Kafka),
 * then the ingest at full speed (checks, Kafka write, PUBACK after Kafka's acknowledgement), then
 * the ingest at the offered rate with its publish-to-PUBACK latency, which is publish to stored in
 * cw.vitals. Every reading acknowledged as stored is then looked for in cw.vitals. Last line:
 * {@code INGEST ingest-per-s=… raw-per-s=… ratio=… puback-p50-ms=… puback-p99-ms=… lost=…}.
 */
final class BrokerIngestBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration FIND_TIMEOUT = Duration.ofSeconds(60);

    private BrokerIngestBenchmark() {
    }

    static void run(Path folder, LoadBenchmark.Options options) throws Exception {
        withIngest(folder, options, (kafka, clients, phased) -> {
            measure(kafka, clients, phased, options);
            return 0;
        });
    }

    /**
     * This machine's MQTT limit: the same broker, TLS listener, certificates, device-access
     * extension and devices as the ingest, with an interceptor that acknowledges each publish at
     * once, without Kafka; publishes acknowledged per second.
     */
    static double mqttLimit(Path folder, LoadBenchmark.Options options) throws Exception {
        return withIngest(folder, options, (kafka, clients, phased) -> flatOut(clients, options.raw(), new Acks()));
    }

    private interface Measurement {
        double run(LocalBrokers kafka, List<BenchDevice> clients, Phased phased) throws Exception;
    }

    /** A Kafka node and the ingest in a broker in this JVM, the devices enrolled and connected. */
    private static double withIngest(Path folder, LoadBenchmark.Options options, Measurement measurement)
            throws Exception {
        try (LocalBrokers kafka = LocalBrokers.start(folder, FreePorts.next(), 1, 0, 0, 12, false, null)) {
            List<DemoCohort.DemoPatient> patients = LoadBenchmark.patients(options.devices());
            enrol(kafka, patients);
            Phased[] phased = new Phased[1];
            try (InBrokerIngest broker = InBrokerIngest.start(kafka, DeviceKeyVault.clear(), Map.of(
                    // A benchmark device sends far more than a patient's would.
                    "CARDIOWATCH_INGEST_VALIDATION_MAX_MESSAGES_PER_SECOND", "1000000",
                    "CARDIOWATCH_INGEST_VALIDATION_MAX_BURST", "1000000",
                    "CARDIOWATCH_INGEST_VALIDATION_REPLAY_WINDOW", "4096"), folder.resolve("mqtt"), 0,
                    ingest -> phased[0] = new Phased(ingest))) {
                for (DemoCohort.DemoPatient p : patients) {
                    while (broker.enrolledDevice(p.deviceId()).isEmpty()) {
                        Thread.sleep(20);
                    }
                }
                List<BenchDevice> clients = BenchDevice.connectAll(List.of(broker.serverUri()), kafka, patients);
                try {
                    return measurement.run(kafka, clients, phased[0]);
                } finally {
                    BenchDevice.closeAll(clients);
                }
            }
        }
    }

    private static void measure(LocalBrokers kafka, List<BenchDevice> clients, Phased ingest,
            LoadBenchmark.Options options) throws Exception {
        Acks acks = new Acks();
        ingest.throughKafka.set(false);
        double raw = flatOut(clients, options.raw(), acks);
        System.out.printf("MQTT limit (acknowledged at once, no Kafka): %.0f publishes/s%n", raw);

        ingest.throughKafka.set(true);
        acks.recording.set(true);
        double full = flatOut(clients, options.raw(), acks);
        System.out.printf("Ingest at full speed (checks, Kafka acks=all, PUBACK after Kafka): %.0f readings/s%n", full);

        acks.latency.reset();
        double paced = paced(clients, options, acks);
        acks.recording.set(false);
        long failed = clients.stream().mapToLong(BenchDevice::failed).sum();
        System.out.printf("Ingest at %d readings/s offered: %.0f/s stored; publish to PUBACK (= stored in cw.vitals)"
                + " p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d failure PUBACKs%n", options.rate(), paced,
                acks.latency.getValueAtPercentile(50) / 1e3, acks.latency.getValueAtPercentile(99) / 1e3,
                acks.latency.getMaxValue() / 1e3, failed);
        long lost = acks.missingFrom(kafka.bootstrapServers());
        System.out.printf("Acknowledged as stored: %d; not found in cw.vitals: %d%n", acks.count(), lost);
        System.out.printf("INGEST ingest-per-s=%.0f raw-per-s=%.0f ratio=%.2f puback-p50-ms=%.1f puback-p99-ms=%.1f"
                + " lost=%d%n", full, raw, full / raw, acks.latency.getValueAtPercentile(50) / 1e3,
                acks.latency.getValueAtPercentile(99) / 1e3, lost);
    }

    /** Every device publishes as fast as its in-flight window lets it; returns acknowledgements per second. */
    private static double flatOut(List<BenchDevice> clients, Duration window, Acks acks) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            int next = 0;
            while (running.get()) {
                BenchDevice device = clients.get(next++ % clients.size());
                if (!device.offer(LoadBenchmark.reading(72f), acks.listener(device.deviceId()))) {
                    // Every window full: wait for acknowledgements without taking a core from the broker.
                    LockSupport.parkNanos(50_000);
                }
            }
        }, "ingest-load");
        load.start();
        Thread.sleep(WARM_UP.toMillis());
        long from = acks.count();
        long started = System.nanoTime();
        Thread.sleep(window.toMillis());
        double perSecond = (acks.count() - from) / ((System.nanoTime() - started) / 1e9);
        running.set(false);
        load.join();
        Thread.sleep(1_000);
        return perSecond;
    }

    /** The offered rate, spread over the devices; returns acknowledgements per second. */
    private static double paced(List<BenchDevice> clients, LoadBenchmark.Options options, Acks acks)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long offered = 0;
        long from = acks.count();
        int next = 0;
        while (System.nanoTime() < end) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * options.rate());
            while (offered < due) {
                BenchDevice device = clients.get(next++ % clients.size());
                device.offer(LoadBenchmark.reading(72f), acks.listener(device.deviceId()));
                offered++;
            }
            Thread.sleep(1);
        }
        double perSecond = (acks.count() - from) / ((System.nanoTime() - start) / 1e9);
        Thread.sleep(2_000);
        return perSecond;
    }

    private static void enrol(LocalBrokers kafka, List<DemoCohort.DemoPatient> patients) {
        try (TopicWriter writer = new TopicWriter(kafka.bootstrapServers())) {
            // Keys in the clear: the ingest here opens them with DeviceKeyVault.clear().
            DemoCohort.enrol(writer, patients, DeviceKeyVault.clear());
        }
    }

    /** The ingest, or in the first phase an interceptor that acknowledges each publish at once: the MQTT limit. */
    private static final class Phased implements PublishPath {
        private final IngestInterceptor ingest;
        private final AtomicBoolean throughKafka = new AtomicBoolean();

        Phased(IngestInterceptor ingest) {
            this.ingest = ingest;
        }

        @Override
        public PublishInboundInterceptor forConnection(String clientId, Runnable disconnect) {
            PublishInboundInterceptor throughIngest = ingest.forConnection(clientId, disconnect);
            return (input, output) -> {
                if (throughKafka.get()) {
                    throughIngest.onInboundPublish(input, output);
                } else {
                    SuccessPuback.answer(output);
                }
            };
        }
    }

    /** The readings acknowledged as stored, per device, and their publish-to-PUBACK times. */
    private static final class Acks {
        private final Map<String, BitSet> stored = new ConcurrentHashMap<>();
        private final AtomicLong count = new AtomicLong();
        private final AtomicBoolean recording = new AtomicBoolean();
        private final Histogram latency = new Histogram(60_000_000, 3);

        BenchDevice.Acknowledged listener(String deviceId) {
            return (sequence, nanos) -> {
                count.incrementAndGet();
                if (recording.get()) {
                    BitSet sequences = stored.computeIfAbsent(deviceId, d -> new BitSet());
                    synchronized (sequences) {
                        sequences.set((int) sequence);
                    }
                    synchronized (latency) {
                        latency.recordValue(Math.min(nanos / 1_000, latency.getHighestTrackableValue()));
                    }
                }
            };
        }

        long count() {
            return count.get();
        }

        /** Reads cw.vitals until every reading acknowledged as stored is found, or the timeout; returns those not found. */
        long missingFrom(String bootstrap) {
            Map<String, BitSet> missing = new ConcurrentHashMap<>();
            stored.forEach((device, sequences) -> missing.put(device, (BitSet) sequences.clone()));
            long remaining = missing.values().stream().mapToLong(BitSet::cardinality).sum();
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.VITALS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + FIND_TIMEOUT.toNanos();
                while (remaining > 0 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        VitalSigns reading = Topics.VITALS.decode(record.value());
                        BitSet sequences = missing.get(reading.getDeviceId());
                        if (sequences != null && sequences.get((int) reading.getSequence())) {
                            sequences.clear((int) reading.getSequence());
                            remaining--;
                        }
                    }
                }
            }
            return remaining;
        }
    }
}
