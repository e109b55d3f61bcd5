package org.cardiowatch.alerts.ecg;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.topics.Topic;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Cuts an ECG strip out of cw.ecg, with the beats of cw.beats marked, for any stretch still in
 * the topics' retention. It reads only the patient's partition, found from the key as the
 * producers' partitioner placed it, from a little before the stretch (Kafka's time index of the
 * partition: records carry their arrival time, devices their own clock) to a little after it, so
 * one strip costs the partition's traffic of a few minutes, whatever the topic's size.
 *
 * <p>Strips are read by a pool of at most {@value #READERS} consumers, made once and reused, not
 * one per request: a burst of strip requests queues for a reader (up to {@link #WAIT_FOR_READER})
 * and is then refused with {@link BusyException} (HTTP 503) rather than opening a consumer each.
 */
public final class EcgStripReader implements AutoCloseable {

    /** How far device time and arrival time may differ and the strip still be found whole. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(2);
    static final int READERS = 2;
    static final Duration WAIT_FOR_READER = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration GIVE_UP = Duration.ofSeconds(20);

    private final Properties consumerProps = new Properties();
    private final Duration waitForReader;
    /** Idle readers; {@link #permits} bounds those in use. */
    private final BlockingQueue<KafkaConsumer<String, byte[]>> idle = new LinkedBlockingQueue<>();
    private final Semaphore permits;
    private final AtomicInteger made = new AtomicInteger();
    private volatile boolean closed;

    /** Every reader is busy: the caller answers 503 and the clinician tries again. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("Every ECG strip reader is busy: try again in a few seconds");
        }
    }

    public EcgStripReader(String bootstrapServers, Map<String, Object> clientConfig) {
        this(bootstrapServers, clientConfig, READERS, WAIT_FOR_READER);
    }

    EcgStripReader(String bootstrapServers, Map<String, Object> clientConfig, int readers, Duration waitForReader) {
        this.permits = new Semaphore(readers);
        this.waitForReader = waitForReader;
        consumerProps.putAll(clientConfig);
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    }

    /** The patient's ECG over [from, to): the device with most samples there, and its detected beats. */
    public EcgStrip read(String patientId, Instant from, Instant to) {
        List<EcgSegment> segments = new ArrayList<>();
        List<Beat> beats = new ArrayList<>();
        KafkaConsumer<String, byte[]> consumer = borrow();
        boolean healthy = false;
        try {
            readPartition(consumer, Topics.ECG, patientId, from, to, segment -> overlaps(segment, from, to), segments);
            readPartition(consumer, Topics.BEATS, patientId, from, to, beat -> beat.getSource() == BeatSource.ECG
                    && !beat.getRPeakAt().isBefore(from) && beat.getRPeakAt().isBefore(to), beats);
            healthy = true;
        } finally {
            giveBack(consumer, healthy);
        }
        return cut(segments, beats, from, to);
    }

    private KafkaConsumer<String, byte[]> borrow() {
        try {
            if (!permits.tryAcquire(waitForReader.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
        KafkaConsumer<String, byte[]> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        try {
            consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        made.incrementAndGet();
        return consumer;
    }

    /** How many Kafka consumers this reader has made so far (for the tests). */
    int consumersMade() {
        return made.get();
    }

    /** Readers in use now (for the tests). */
    int inUse(int readers) {
        return readers - permits.availablePermits();
    }

    /** A reader that failed mid-way is closed rather than reused: its position and assignment are unknown. */
    private void giveBack(KafkaConsumer<String, byte[]> consumer, boolean healthy) {
        if (healthy && !closed) {
            consumer.assign(List.of());
            idle.add(consumer);
        } else {
            consumer.close(Duration.ofSeconds(5));
        }
        permits.release();
    }

    @Override
    public void close() {
        closed = true;
        for (KafkaConsumer<String, byte[]> consumer = idle.poll(); consumer != null; consumer = idle.poll()) {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Lays the segments of the busiest device on the strip's sample grid. */
    static EcgStrip cut(List<EcgSegment> segments, List<Beat> beats, Instant from, Instant to) {
        Map<String, Long> samplesByDevice = new HashMap<>();
        segments.forEach(s -> samplesByDevice.merge(s.getDeviceId(), (long) s.getSamplesMicroVolts().size(), Long::sum));
        String device = samplesByDevice.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(null);
        if (device == null) {
            return EcgStrip.empty(from, to);
        }
        List<EcgSegment> ofDevice = segments.stream().filter(s -> s.getDeviceId().equals(device))
                .sorted(Comparator.comparing(EcgSegment::getStartedAt)).toList();
        int rate = ofDevice.get(0).getSampleRateHz();
        Integer[] grid = new Integer[(int) (Duration.between(from, to).toMillis() * rate / 1000)];
        for (EcgSegment segment : ofDevice) {
            if (segment.getSampleRateHz() != rate) {
                continue;
            }
            long offsetMillis = Duration.between(from, segment.getStartedAt()).toMillis();
            List<Integer> samples = segment.getSamplesMicroVolts();
            for (int i = 0; i < samples.size(); i++) {
                long index = Math.round(offsetMillis * rate / 1000.0) + i;
                if (index >= 0 && index < grid.length) {
                    grid[(int) index] = samples.get(i);
                }
            }
        }
        Map<Instant, EcgStrip.StripBeat> byTime = new java.util.TreeMap<>();
        beats.stream().filter(b -> b.getDeviceId().equals(device)).forEach(b -> byTime.putIfAbsent(b.getRPeakAt(),
                new EcgStrip.StripBeat(b.getRPeakAt(), b.getBeatClass() == null ? null : b.getBeatClass().name())));
        return new EcgStrip(from, to, device, rate, ofDevice.get(0).getLead(), Arrays.asList(grid),
                List.copyOf(byTime.values()));
    }

    private static boolean overlaps(EcgSegment segment, Instant from, Instant to) {
        Instant end = segment.getStartedAt().plusMillis(
                segment.getSamplesMicroVolts().size() * 1000L / Math.max(1, segment.getSampleRateHz()));
        return segment.getStartedAt().isBefore(to) && end.isAfter(from);
    }

    private static <V> void readPartition(KafkaConsumer<String, byte[]> consumer, Topic<String, V> topic,
            String patientId, Instant from, Instant to, java.util.function.Predicate<V> wanted, List<V> into) {
        int partitions = consumer.partitionsFor(topic.name()).size();
        // The default partitioner's choice for the key: the only partition holding the patient.
        TopicPartition partition = new TopicPartition(topic.name(),
                Utils.toPositive(Utils.murmur2(patientId.getBytes(StandardCharsets.UTF_8))) % partitions);
        consumer.assign(List.of(partition));
        OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, from.minus(CLOCK_SLACK).toEpochMilli()))
                .get(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        if (start == null || start.offset() >= end) {
            return;
        }
        consumer.seek(partition, start.offset());
        long stopAfter = to.plus(CLOCK_SLACK).toEpochMilli();
        Instant giveUp = Instant.now().plus(GIVE_UP);
        while (consumer.position(partition) < end && Instant.now().isBefore(giveUp)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.timestamp() > stopAfter) {
                    return;
                }
                if (patientId.equals(record.key()) && record.value() != null) {
                    V value = topic.decode(record.value());
                    if (wanted.test(value)) {
                        into.add(value);
                    }
                }
            }
        }
    }
}
