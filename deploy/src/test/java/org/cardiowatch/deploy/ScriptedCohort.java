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
 * The patients of one fault test and their wearables, which send one sealed reading a second on a
 * script: resting at 70 bpm, one tachycardia at 150 bpm from {@link #EPISODE_FROM} to
 * {@link #EPISODE_TO}, and one reading out of range that the ingest must reject. Each reading
 * carries its RR intervals, which the stream processor turns into beats: the count of beats shows
 * how many times each reading was analysed. A reading counts as sent once an MQTT broker
 * acknowledged it (QoS 1): stored, or, for the out-of-range one, refused with its reason.
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

    private final String name;
    private final List<DemoCohort.DemoPatient> patients;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<Integer, CountDownLatch> seconds = new ConcurrentHashMap<>();
    private Thread stream;
    private Instant start;

    private ScriptedCohort(String name, List<DemoCohort.DemoPatient> patients) {
        this.name = name;
        this.patients = patients;
    }

    /** Patients {@code p-fault-<name>-1..size} of cardio1, each with one wrist wearable. */
    static ScriptedCohort of(String name, int size) {
        SecureRandom random = new SecureRandom();
        List<DemoCohort.DemoPatient> patients = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String id = "fault-" + name + "-" + i;
            patients.add(new DemoCohort.DemoPatient("p-" + id, "Fault " + id, "cardio1", "cardio2", 70, false,
                    List.of(), "dev-" + id, key));
        }
        return new ScriptedCohort(name, patients);
    }

    List<DemoCohort.DemoPatient> patients() {
        return patients;
    }

    Set<String> deviceIds() {
        return Set.copyOf(patients.stream().map(DemoCohort.DemoPatient::deviceId).toList());
    }

    Set<String> patientIds() {
        return Set.copyOf(patients.stream().map(DemoCohort.DemoPatient::patientId).toList());
    }

    /** When the stream began: every record of this cohort is written after it. */
    Instant start() {
        return start;
    }

    /** Connects the devices and starts the stream in the background; {@link #awaitSecond} follows it. */
    ScriptedCohort startStream(LocalStack stack) {
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        for (int second = 0; second <= SECONDS; second++) {
            seconds.put(second, new CountDownLatch(1));
        }
        stream = new Thread(() -> run(stack), "scripted-cohort-" + name);
        stream.start();
        return this;
    }

    private void run(LocalStack stack) {
        List<SealedDevicePublisher> devices = new ArrayList<>();
        try {
            List<String> brokers = stack.mqttServerUris();
            for (int i = 0; i < patients.size(); i++) {
                DemoCohort.DemoPatient p = patients.get(i);
                // Spread over the broker set as a load balancer would: each device first tries its own broker.
                List<String> uris = new ArrayList<>(brokers);
                java.util.Collections.rotate(uris, -i);
                devices.add(stack.connectDevice(p, 1, uris));
            }
            for (int second = 0; second < SECONDS; second++) {
                Instant at = start.plusSeconds(second);
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
                seconds.get(second).countDown();
                for (SealedDevicePublisher device : devices) {
                    publish(device, second, at);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(e.toString());
        } finally {
            devices.forEach(SealedDevicePublisher::close);
            seconds.values().forEach(CountDownLatch::countDown);
            finished.countDown();
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
        if (!seconds.get(second).await(SECONDS + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The stream of " + name + " did not reach second " + second);
        }
    }

    /** Blocks until every reading of the script was published. */
    void awaitFinished() throws InterruptedException {
        if (!finished.await(SECONDS + 120, TimeUnit.SECONDS)) {
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
