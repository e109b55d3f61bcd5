package org.cardiowatch.processor.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.cardiowatch.processor.detection.BeatRate;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.QrsDetector;
import org.cardiowatch.processor.detection.ecg.SyntheticEcg;
import org.cardiowatch.processor.detection.rhythm.AfDetector;
import org.cardiowatch.schemas.avro.BeatSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the detectors on one core: samples per second through the QRS detector (250 Hz
 * ECG with wander and noise), through the QRS detector and the beat classifier together (with
 * ventricular premature beats), and beats per second through the AF detector. Run with
 * {@code ./cardiowatch bench detectors}; it also prints the detectors' state size per patient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DetectorBenchmark {

    static final int SAMPLES = 250 * 60;
    static final int BEATS = 1000;

    private double[] ecg;
    private int[] rr;
    private double[] ecgWithEctopy;
    private QrsDetector qrs;
    private QrsDetector classifiedQrs;
    private BeatClassifier classifier;
    private final java.util.function.Consumer<BeatClassifier.ClassifiedBeat> countClass = beat -> count();
    private AfDetector af;
    private long beatsFound;
    private final LongConsumer countBeat = beat -> beatsFound++;

    private void count() {
        beatsFound++;
    }

    @Setup(Level.Trial)
    public void signals() {
        ecg = new SyntheticEcg(250, SyntheticEcg.regular(75, 75), 400, 40, 1).samples;
        Random random = new Random(2);
        rr = new int[BEATS];
        for (int i = 0; i < BEATS; i++) {
            rr[i] = i % 200 < 100 ? 800 + (int) (random.nextGaussian() * 20) : 380 + random.nextInt(620);
        }
        qrs = new QrsDetector(250);
        // One ventricular premature beat in six, with its compensatory pause.
        double[] intervals = SyntheticEcg.regular(75, 75);
        char[] kinds = new char[intervals.length];
        for (int i = 0; i < intervals.length; i++) {
            kinds[i] = i % 6 == 5 ? 'V' : 'N';
            intervals[i] = i % 6 == 5 ? 0.48 : i % 6 == 0 && i > 0 ? 1.12 : 0.8;
        }
        ecgWithEctopy = new SyntheticEcg(250, intervals, kinds, 400, 40, 1).samples;
        classifiedQrs = new QrsDetector(250);
        classifier = new BeatClassifier(250);
        af = AfDetector.withDefaults();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void qrsSamples(Blackhole hole) {
        for (int i = 0; i < ecg.length && i < SAMPLES; i++) {
            qrs.accept(ecg[i], countBeat);
        }
        hole.consume(beatsFound);
    }

    /** The QRS detector and the beat classifier together, as the topology runs them on a patient's ECG. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void classifiedSamples(Blackhole hole) {
        for (int i = 0; i < ecgWithEctopy.length && i < SAMPLES; i++) {
            classifier.accept(ecgWithEctopy[i], countClass);
            classifiedQrs.accept(ecgWithEctopy[i], r -> classifier.beat(r, countClass));
        }
        hole.consume(beatsFound);
    }

    @Benchmark
    @OperationsPerInvocation(BEATS)
    public void afBeats(Blackhole hole) {
        long time = 0;
        for (int interval : rr) {
            time += interval;
            hole.consume(af.accept(time, interval));
        }
    }

    /** Prints the serialized state of each detector for one patient. */
    public static void main(String[] args) throws IOException {
        for (int rate : new int[] {250, 500}) {
            QrsDetector detector = new QrsDetector(rate);
            for (double sample : new SyntheticEcg(rate, SyntheticEcg.regular(75, 20), 100, 10, 3).samples) {
                detector.accept(sample, beat -> { });
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            detector.writeState(new DataOutputStream(bytes));
            System.out.println("QRS detector state at " + rate + " Hz: " + bytes.size() + " bytes per patient");
        }
        for (int rate : new int[] {250, 500}) {
            BeatClassifier classifier = new BeatClassifier(rate);
            QrsDetector detector = new QrsDetector(rate);
            for (double sample : new SyntheticEcg(rate, SyntheticEcg.regular(75, 20), 100, 10, 3).samples) {
                classifier.accept(sample, beat -> { });
                detector.accept(sample, r -> classifier.beat(r, beat -> { }));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classifier.writeState(new DataOutputStream(bytes));
            System.out.println("Beat classifier state at " + rate + " Hz: " + bytes.size() + " bytes per patient");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AfDetector.withDefaults().writeState(new DataOutputStream(bytes));
        System.out.println("AF detector state: " + bytes.size() + " bytes per patient and beat source");
        BeatRate rate = new BeatRate();
        long at = 0;
        for (int beat = 0; beat < 20; beat++) {
            at += 800;
            rate.accept(BeatSource.ECG, java.time.Instant.ofEpochMilli(at), 800);
        }
        ByteArrayOutputStream rateBytes = new ByteArrayOutputStream();
        rate.write(new DataOutputStream(rateBytes));
        System.out.println("Beat rate state: " + rateBytes.size() + " bytes per patient with one beat source");
    }
}
