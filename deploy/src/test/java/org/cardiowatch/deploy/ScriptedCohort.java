package org.cardiowatch.deploy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.simulator.device.SealedDevicePublisher;

/**
 * The patients of one fault test and their wearables. The scripted ones send one sealed reading a
 * second: resting at 70 bpm, one tachycardia at 150 bpm from {@link #EPISODE_FROM} to
 * {@link #EPISODE_TO}, and one reading out of range that the ingest must reject. Beside them, the
 * {@link Load}: resting patients whose wearables send several readings a second each, so that a
 * fault lands while readings are between their write to Kafka and their PUBACK. Readings carry
 * their RR intervals, which the stream processor turns into beats: the count of beats shows how
 * many times each reading was analysed. A reading counts as sent once an MQTT broker acknowledged
 * it (QoS 1): stored, or, for the out-of-range one, refused with its reason.
 */
final class ScriptedCohort implements AutoCloseable {

    static final int SECONDS = 30;
    static final int EPISODE_FROM = 6;
    static final int EPISODE_TO = 18;
    static final int OUT_OF_RANGE_AT = 3;
    /** The PUBACK reason code of a reading refused as OUT_OF_RANGE. */
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;

    /** What one device sent: its sequence number and the beats the reading carried. */
    record Sent(String deviceId, long sequence, int beats, boolean valid) {
    }

    /**
     * Resting patients streaming beside the script: {@code devices} wearables each sending
     * {@code readingsPerSecond} readings a second, a beat every {@link #BEAT_MS} or so.
     */
    record Load(int devices, int readingsPerSecond) {
        /** About 75 bpm. */
        private static final int BEAT_MS = 800;

        Load {
            if (devices < 0 || readingsPerSecond < 1 || readingsPerSecond > 20) {
                throw new IllegalArgumentException("A load of " + devices + " devices at " + readingsPerSecond
                        + " readings/s: each device may send at most the ingest's 20 messages a second");
            }
        }

        long periodMs() {
            return 1000L / readingsPerSecond;
        }

        /** How many readings apart two beats are: the readings between carry none. */
        int readingsPerBeat() {
            return (int) Math.max(1, Math.round((double) BEAT_MS / periodMs()));
        }

        int rrMs() {
            return (int) (readingsPerBeat() * periodMs());
        }

        int readingsPerDevice(int seconds) {
            return seconds * readingsPerSecond;
        }
    }

    private final String name;
    private final List<DemoCohort.DemoPatient> patients;
    private final Load load;
    private final List<DemoCohort.DemoPatient> loadPatients;
    private final int seconds;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<Integer, CountDownLatch> secondsReached = new ConcurrentHashMap<>();
    private Thread stream;
    private volatile Instant start;
    private volatile Instant end;

    private ScriptedCohort(String name, List<DemoCohort.DemoPatient> patients, Load load,
            List<DemoCohort.DemoPatient> loadPatients, int seconds) {
        this.name = name;
        this.patients = patients;
        this.load = load;
        this.loadPatients = loadPatients;
        this.seconds = seconds;
    }

    /**
     * Scripted patients {@code p-fault-<name>-1..size} of cardio1 and the load's resting patients
     * {@code p-fault-<name>-load-1..}, each with one wrist wearable, streaming for {@code seconds}
     * (at least {@link #SECONDS}, the script's length).
     */
    static ScriptedCohort of(String name, int size, Load load, int seconds) {
        if (seconds < SECONDS) {
            throw new IllegalArgumentException("A fault test streams at least the script's " + SECONDS + " s");
        }
        return new ScriptedCohort(name, patients("fault-" + name + "-", size),
                load, patients("fault-" + name + "-load-", load.devices()), seconds);
    }

    private static List<DemoCohort.DemoPatient> patients(String prefix, int size) {
        SecureRandom random = new SecureRandom();
        List<DemoCohort.DemoPatient> patients = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String id = prefix + i;
            patients.add(new DemoCohort.DemoPatient("p-" + id, "Fault " + id, "cardio1", "cardio2", 70, false,
                    List.of(), "dev-" + id, key));
        }
        return patients;
    }

    /** Every patient of the cohort, scripted and load. */
    List<DemoCohort.DemoPatient> patients() {
        List<DemoCohort.DemoPatient> all = new ArrayList<>(patients);
        all.addAll(loadPatients);
        return all;
    }

    Set<String> deviceIds() {
        return Set.copyOf(patients().stream().map(DemoCohort.DemoPatient::deviceId).toList());
    }

    Set<String> patientIds() {
        return Set.copyOf(patients().stream().map(DemoCohort.DemoPatient::patientId).toList());
    }

    /** The patients with a scripted tachycardia, each expecting one alert; the load's expect none. */
    Set<String> scriptedPatientIds() {
        return Set.copyOf(patients.stream().map(DemoCohort.DemoPatient::patientId).toList());
    }

    /** The readings every device together sends: the script's, each load device's. */
    int readingsToSend() {
        return patients.size() * SECONDS + load.devices() * load.readingsPerDevice(seconds);
    }

    /** The readings that are out of range, refused by the ingest with a reason: one per scripted device. */
    int readingsOutOfRange() {
        return patients.size();
    }

    /** When the stream began: every record of this cohort is written after it. */
    Instant start() {
        return start;
    }

    /** Readings acknowledged per second from the stream's start to its last acknowledgement. */
    double readingsPerSecond() {
        long millis = Duration.between(start, end == null ? Instant.now() : end).toMillis();
        return millis <= 0 ? 0 : sent.size() * 1000.0 / millis;
    }

    /**
     * Connects the devices and starts the stream in the background; {@link #awaitSecond} follows
     * it. Returns once every device is connected, so a fault cannot land before the stream.
     */
    ScriptedCohort startStream(LocalStack stack) throws InterruptedException {
        for (int second = 0; second <= seconds; second++) {
            secondsReached.put(second, new CountDownLatch(1));
        }
        List<String> brokers = stack.mqttServerUris();
        List<SealedDevicePublisher> scripted = connect(stack, patients, brokers, 0);
        List<SealedDevicePublisher> loadDevices = connect(stack, loadPatients, brokers, patients.size());
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        List<Thread> threads = new ArrayList<>();
        for (SealedDevicePublisher device : loadDevices) {
            Thread thread = new Thread(() -> streamLoad(device), "load-" + device.deviceId());
            thread.start();
            threads.add(thread);
        }
        stream = new Thread(() -> run(scripted, loadDevices, threads), "scripted-cohort-" + name);
        stream.start();
        return this;
    }

    /** Connects in parallel, spread over the broker set as a load balancer would: each first tries its own broker. */
    private static List<SealedDevicePublisher> connect(LocalStack stack, List<DemoCohort.DemoPatient> patients,
            List<String> brokers, int offset) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<SealedDevicePublisher>> connecting = new ArrayList<>();
            for (int i = 0; i < patients.size(); i++) {
                DemoCohort.DemoPatient p = patients.get(i);
                List<String> uris = new ArrayList<>(brokers);
                java.util.Collections.rotate(uris, -(offset + i));
                connecting.add(pool.submit(() -> stack.connectDevice(p, 1, uris)));
            }
            List<SealedDevicePublisher> devices = new ArrayList<>();
            for (java.util.concurrent.Future<SealedDevicePublisher> device : connecting) {
                devices.add(device.get());
            }
            return devices;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("A device of the cohort could not connect", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void run(List<SealedDevicePublisher> devices, List<SealedDevicePublisher> loadDevices,
            List<Thread> loadThreads) {
        try {
            for (int second = 0; second < seconds; second++) {
                Instant at = start.plusSeconds(second);
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
                secondsReached.get(second).countDown();
                if (second < SECONDS) {
                    for (SealedDevicePublisher device : devices) {
                        publish(device, second, at);
                    }
                }
            }
            for (Thread thread : loadThreads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            loadThreads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(e.toString());
        } finally {
            end = Instant.now();
            devices.forEach(SealedDevicePublisher::close);
            loadDevices.forEach(SealedDevicePublisher::close);
            secondsReached.values().forEach(CountDownLatch::countDown);
            finished.countDown();
        }
    }

    /**
     * One load device: a reading every period on its schedule, a beat every few readings. Behind
     * its schedule (its broker lost, Kafka away), it sends what it kept as fast as it is
     * acknowledged, each reading with the time it was measured, as a real device catches up.
     */
    private void streamLoad(SealedDevicePublisher device) {
        int readings = load.readingsPerDevice(seconds);
        try {
            for (int i = 0; i < readings; i++) {
                Instant at = start.plusMillis(i * load.periodMs());
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
                boolean beat = i % load.readingsPerBeat() == 0;
                List<Integer> rr = beat ? List.of(load.rrMs()) : List.of();
                DeviceVitals reading = DeviceVitals.newBuilder().setMeasuredAt(at)
                        .setHeartRateBpm(60_000f / load.rrMs()).setSpo2Percent(97f).setRrIntervalsMs(rr).build();
                long sequence = device.nextSequence();
                device.publish(reading);
                sent.put(device.deviceId() + "/" + sequence, new Sent(device.deviceId(), sequence, rr.size(), true));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException notAcknowledged) {
            // Not acknowledged even after moving broker or waiting for Kafka: the device stops here.
            failures.add(device.deviceId() + ": " + notAcknowledged.getMessage());
        }
    }

    private void publish(SealedDevicePublisher device, int second, Instant at) {
        boolean tachycardic = second >= EPISODE_FROM && second < EPISODE_TO;
        boolean outOfRange = second == OUT_OF_RANGE_AT;
        // RR intervals of the second: one beat at rest, two at 150 bpm.
        List<Integer> rr = tachycardic ? List.of(400, 400) : List.of(857);
        DeviceVitals reading = DeviceVitals.newBuilder().setMeasuredAt(at)
                .setHeartRateBpm(outOfRange ? 400f : tachycardic ? 150f : 70f)
                .setSpo2Percent(97f).setRrIntervalsMs(rr).build();
        long sequence = device.nextSequence();
        try {
            device.publish(reading);
            sent.put(device.deviceId() + "/" + sequence, new Sent(device.deviceId(), sequence, rr.size(), !outOfRange));
        } catch (SealedDevicePublisher.RefusedMessageException refused) {
            // The ingest tells the device why in its PUBACK, once the refusal is in cw.ingest.rejected.
            if (outOfRange && refused.reasonCode() == PAYLOAD_FORMAT_INVALID) {
                sent.put(device.deviceId() + "/" + sequence, new Sent(device.deviceId(), sequence, rr.size(), false));
            } else {
                failures.add(device.deviceId() + " at second " + second + ": " + refused.getMessage());
            }
        } catch (IllegalStateException notAcknowledged) {
            // Not acknowledged by the broker: the device would keep it and retry; it was not sent.
            failures.add(device.deviceId() + " at second " + second + ": " + notAcknowledged.getMessage());
        }
    }

    /** Blocks until the script reaches the given second. */
    void awaitSecond(int second) throws InterruptedException {
        if (!secondsReached.get(second).await(seconds + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The stream of " + name + " did not reach second " + second);
        }
    }

    /** Blocks until every reading of the script was published. */
    void awaitFinished() throws InterruptedException {
        if (!finished.await(seconds + 180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The stream of " + name + " did not finish");
        }
    }

    /** The readings the broker acknowledged, by device id and sequence number. */
    Map<String, Sent> sent() {
        return new HashMap<>(sent);
    }

    /** Publishes no broker acknowledged, even after moving to another (none expected). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        if (stream != null) {
            stream.interrupt();
            stream.join(10_000);
        }
    }
}
