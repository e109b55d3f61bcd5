package org.cardiowatch.simulator.patient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;

/**
 * A patient at home with a wearable: plausible vitals with beat-to-beat variability, scripted
 * episodes that repeat every cycle, and, for some, single-lead ECG. Deterministic for a seed.
 */
public final class VirtualPatient {

    private static final int ECG_SAMPLE_RATE_HZ = 250;

    private final String patientId;
    private final double restingHeartRate;
    private final double restingSpo2;
    private final double restingSystolic;
    private final List<Episode> episodes;
    private final Duration cycle;
    private final boolean ecg;
    private final Random random;
    private final Instant start;
    private static final long RECENT_BEATS_MILLIS = 10_000;
    private final java.util.ArrayDeque<Long> recentBeats = new java.util.ArrayDeque<>();
    /** For each of {@link #recentBeats}: where it came from, which decides how the ECG draws it. */
    private final java.util.ArrayDeque<BeatOrigin> recentBeatOrigins = new java.util.ArrayDeque<>();

    /** Sinus (a P wave before a narrow QRS), atrial fibrillation (no P wave, fibrillatory waves), ventricular. */
    private enum BeatOrigin { SINUS, FIBRILLATING_ATRIA, VENTRICLE }
    private Instant nextBeat;
    private double currentRate;

    public VirtualPatient(String patientId, double restingHeartRate, List<Episode> episodes, Duration cycle,
            boolean ecg, long seed, Instant start) {
        this.patientId = patientId;
        this.restingHeartRate = restingHeartRate;
        this.episodes = List.copyOf(episodes);
        this.cycle = cycle;
        this.ecg = ecg;
        this.random = new Random(seed);
        this.restingSpo2 = 96 + random.nextDouble() * 2;
        this.restingSystolic = 115 + random.nextDouble() * 20;
        this.start = start;
        this.nextBeat = start;
        this.currentRate = restingHeartRate;
    }

    public String patientId() {
        return patientId;
    }

    public boolean hasEcg() {
        return ecg;
    }

    /** The episode running at {@code now}, if any. */
    public Optional<Episode.Kind> episodeAt(Instant now) {
        Duration intoCycle = Duration.ofMillis(Duration.between(start, now).toMillis() % cycle.toMillis());
        return episodes.stream().filter(e -> e.covers(intoCycle)).map(Episode::kind).findFirst();
    }

    /** The reading the device takes at {@code now}, covering the beats since the last one; empty while silent. */
    public Optional<DeviceVitals> readingAt(Instant now) {
        Optional<Episode.Kind> episode = episodeAt(now);
        List<Integer> rr = beatsUntil(now, episode);
        if (episode.filter(Episode.Kind.SILENCE::equals).isPresent()) {
            return Optional.empty();
        }
        double spo2 = episode.filter(Episode.Kind.DESATURATION::equals).isPresent()
                ? 84 + random.nextGaussian() : restingSpo2 + random.nextGaussian() * 0.5;
        double systolic = episode.filter(Episode.Kind.HYPERTENSION::equals).isPresent()
                ? 195 + random.nextGaussian() * 3 : restingSystolic + random.nextGaussian() * 3;
        DeviceVitals.Builder reading = DeviceVitals.newBuilder()
                .setMeasuredAt(now)
                .setHeartRateBpm((float) Math.round(currentRate))
                .setRrIntervalsMs(rr)
                .setSpo2Percent((float) Math.min(100, Math.round(spo2 * 10) / 10.0));
        if (now.getEpochSecond() % 10 == 0) {
            // A cuff measures blood pressure now and then, not every second.
            reading.setSystolicMmHg((float) Math.round(systolic)).setDiastolicMmHg((float) Math.round(systolic * 0.63));
        }
        return Optional.of(reading.build());
    }

    /**
     * A segment of synthetic single-lead ECG from {@code from}, {@code length} long: one P-QRS-T
     * complex at each beat the patient's heart made (the same beats as the reported RR intervals),
     * so ECG and RR tell the same rhythm; in atrial fibrillation no P wave but fibrillatory waves. Call after {@link #readingAt(Instant)} has covered the
     * segment's end.
     */
    public DeviceEcg ecgSegment(Instant from, Duration length) {
        int samples = (int) (length.toMillis() * ECG_SAMPLE_RATE_HZ / 1000);
        List<Integer> microVolts = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            long t = from.toEpochMilli() + Math.round(i * 1000.0 / ECG_SAMPLE_RATE_HZ);
            double value = random.nextGaussian() * 15;
            java.util.Iterator<BeatOrigin> origins = recentBeatOrigins.iterator();
            BeatOrigin nearest = null;
            double nearestOffset = Double.MAX_VALUE;
            for (long beat : recentBeats) {
                BeatOrigin origin = origins.next();
                double offset = (t - beat) / 1000.0;
                if (Math.abs(offset) < Math.abs(nearestOffset)) {
                    nearest = origin;
                    nearestOffset = offset;
                }
                if (Math.abs(offset) < 0.6) {
                    value += switch (origin) {
                        // From the ventricle: no P wave, a wide QRS, the T wave opposite to it.
                        case VENTRICLE -> wave(offset, -0.02, 0.030, -900) + wave(offset, 0.05, 0.030, 700)
                                + wave(offset, 0.30, 0.060, -400);
                        // Atrial fibrillation: no P wave before the QRS (the fibrillatory waves are added below).
                        case FIBRILLATING_ATRIA -> wave(offset, -0.025, 0.008, -120) + wave(offset, 0, 0.010, 1100)
                                + wave(offset, 0.025, 0.008, -250) + wave(offset, 0.25, 0.040, 300);
                        case SINUS -> wave(offset, -0.16, 0.025, 150) + wave(offset, -0.025, 0.008, -120)
                                + wave(offset, 0, 0.010, 1100) + wave(offset, 0.025, 0.008, -250)
                                + wave(offset, 0.25, 0.040, 300);
                    };
                }
            }
            if (nearest == BeatOrigin.FIBRILLATING_ATRIA) {
                // Fibrillatory waves: fast, small and unrelated to the ventricles' beats.
                double seconds = t / 1000.0;
                value += 30 * Math.sin(2 * Math.PI * 5.7 * seconds) + 20 * Math.sin(2 * Math.PI * 7.3 * seconds + 1);
            }
            microVolts.add((int) Math.round(value));
        }
        return DeviceEcg.newBuilder().setStartedAt(from).setSampleRateHz(ECG_SAMPLE_RATE_HZ).setLead("I")
                .setSamplesMicroVolts(microVolts).build();
    }

    /** One beat the simulated heart made: its R peak, whether it came from the ventricle, whether a P wave came before it. */
    public record SimulatedBeat(Instant at, boolean ventricular, boolean pWave) {
    }

    /**
     * The beats the heart made from {@code from} (inclusive) to {@code to}, among the last 10 s of
     * beats it remembers (call after {@link #readingAt(Instant)} has covered {@code to}): the truth
     * of the ECG {@link #ecgSegment(Instant, Duration)} draws, for history that no detector analysed.
     */
    public List<SimulatedBeat> beatsBetween(Instant from, Instant to) {
        List<SimulatedBeat> beats = new ArrayList<>();
        java.util.Iterator<BeatOrigin> origins = recentBeatOrigins.iterator();
        for (long beat : recentBeats) {
            BeatOrigin origin = origins.next();
            if (beat >= from.toEpochMilli() && beat < to.toEpochMilli()) {
                beats.add(new SimulatedBeat(Instant.ofEpochMilli(beat), origin == BeatOrigin.VENTRICLE,
                        origin == BeatOrigin.SINUS));
            }
        }
        return beats;
    }

    private static double wave(double t, double centre, double width, double amplitude) {
        double d = (t - centre) / width;
        return amplitude * Math.exp(-d * d / 2);
    }

    private List<Integer> beatsUntil(Instant now, Optional<Episode.Kind> episode) {
        double target = episode.map(kind -> switch (kind) {
            case TACHYCARDIA -> 150.0;
            case BRADYCARDIA -> 36.0;
            case VENTRICULAR_TACHYCARDIA -> 160.0;
            default -> restingHeartRate;
        }).orElse(restingHeartRate);
        // The rate drifts toward the target over a few seconds, as a real heart does.
        currentRate += (target - currentRate) * 0.5 + random.nextGaussian();
        List<Integer> rr = new ArrayList<>();
        boolean fibrillating = episode.filter(Episode.Kind.ATRIAL_FIBRILLATION::equals).isPresent();
        while (!nextBeat.isAfter(now)) {
            // In AF the ventricles follow no rhythm: intervals spread widely and independently.
            int interval = fibrillating ? 380 + random.nextInt(620)
                    : (int) Math.round(60_000 / currentRate * (1 + random.nextGaussian() * 0.03));
            rr.add(interval);
            recentBeats.addLast(nextBeat.toEpochMilli());
            recentBeatOrigins.addLast(fibrillating ? BeatOrigin.FIBRILLATING_ATRIA
                    : episode.filter(Episode.Kind.VENTRICULAR_TACHYCARDIA::equals).isPresent() ? BeatOrigin.VENTRICLE
                    : BeatOrigin.SINUS);
            nextBeat = nextBeat.plusMillis(interval);
        }
        while (!recentBeats.isEmpty() && recentBeats.peekFirst() < now.toEpochMilli() - RECENT_BEATS_MILLIS) {
            recentBeats.removeFirst();
            recentBeatOrigins.removeFirst();
        }
        return rr;
    }
}
