package org.cardiowatch.simulator.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.cardiowatch.simulator.patient.Episode;
import org.cardiowatch.simulator.patient.VirtualPatient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs virtual patients in real time: one vitals reading per second per device, and a two-second
 * ECG segment every two seconds for patients with a home ECG monitor. Logs a summary each minute.
 */
public final class Simulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    private static final Duration ECG_SEGMENT = Duration.ofSeconds(2);

    /** A virtual patient wearing an enrolled device. */
    public record SimulatedDevice(VirtualPatient patient, SealedDevicePublisher publisher) {
    }

    private final List<SimulatedDevice> devices;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulator");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong segments = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private long ticks;

    public Simulator(List<SimulatedDevice> devices, Clock clock) {
        this.devices = List.copyOf(devices);
        this.clock = clock;
    }

    public Simulator start() {
        scheduler.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    private void tick() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (SimulatedDevice device : devices) {
            try {
                Optional<DeviceVitals> reading = device.patient().readingAt(now);
                if (reading.isPresent()) {
                    device.publisher().publish(reading.get());
                    readings.incrementAndGet();
                    if (device.patient().hasEcg() && ticks % ECG_SEGMENT.toSeconds() == 0) {
                        device.publisher().publish(device.patient().ecgSegment(now.minus(ECG_SEGMENT), ECG_SEGMENT));
                        segments.incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn("Device {} could not publish: {}", device.publisher().deviceId(), e.getMessage());
            }
        }
        if (++ticks % 60 == 0) {
            LOG.info("Simulator: {} devices, {} readings and {} ECG segments published, {} failures",
                    devices.size(), readings.get(), segments.get(), failures.get());
        }
    }

    /** What each patient is doing now, for the start-up banner. */
    public static String describe(VirtualPatient patient, List<Episode> episodes) {
        StringBuilder text = new StringBuilder(patient.patientId());
        for (Episode episode : episodes) {
            text.append(", ").append(episode.kind().name().toLowerCase()).append(" from ")
                    .append(episode.from().toSeconds()).append(" s for ").append(episode.lasting().toSeconds()).append(" s");
        }
        return text.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        devices.forEach(device -> device.publisher().close());
    }
}
