package org.cardiowatch.processor.detection.ecg;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * A causal, streaming QRS detector for one single-lead ECG (125 to 1000 Hz), after Pan and
 * Tompkins (1985) with the search-back (at 1.5 average RR) and T-wave rules of Hamilton and
 * Tompkins (1986): band-pass 8 to 15 Hz, derivative, squaring, 200 ms moving-window integration;
 * peaks of the integrated signal are classified against adaptive signal and noise levels.
 *
 * <p>Feed samples in order with {@link #accept(double, LongConsumer)}; each detected beat is reported once, as
 * the sample index of its R peak, within about half a second (a beat found by search-back, when
 * the rhythm has a gap, is reported at the search-back). Beats are reported in increasing order.
 * State is a few kilobytes per patient and nothing is allocated per sample.
 */
public final class QrsDetector {

    private static final double LEARNING_SECONDS = 2.0;
    private static final double REFRACTORY_SECONDS = 0.2;
    private static final double T_WAVE_WINDOW_SECONDS = 0.36;
    private static final double SEARCH_BACK_FACTOR = 1.5;
    private static final int RR_HISTORY = 8;
    private static final int MAX_LEARNING_PEAKS = 32;
    // Tuned on the development half of MIT-BIH (see docs/detectors.md), within the ranges the literature
    // uses: an 8 to 15 Hz band keeps QRS energy and drops P and T waves; 200 ms integration
    // spans a wide (ventricular) QRS.
    private static final double HIGH_PASS_HZ = 8;
    private static final double LOW_PASS_HZ = 15;
    private static final double INTEGRATION_SECONDS = 0.2;
    private static final double SEARCH_BACK_LEVEL = 0.35;
    private static final double T_WAVE_RATIO = 0.3;

    private final double sampleRateHz;
    private final Biquad highPass;
    private final Biquad lowPass;
    private final int window;
    private final int history;
    private final int refractory;
    private final int tWaveWindow;
    private final int confirmLag;
    private final int bandPassDelay;
    private final int learningSamples;

    // Signal history (rings indexed by sample number modulo length).
    private final float[] bandPassed;
    private final float[] slope;
    private final float[] integrationWindow;
    private final double[] derivativeInputs = new double[4];
    private double integrationSum;
    private long index = -1;
    // The first sample after a start or a gap: subtracted so the filters see no step (whose
    // ringing would look like a huge QRS and blind the adaptive levels for minutes).
    private double offset = Double.NaN;

    // Peak picking on the integrated signal.
    private double previousIntegrated;
    private double candidateValue = Double.NEGATIVE_INFINITY;
    private long candidateIndex = -1;

    // Adaptive levels and rhythm.
    private double signalLevel;
    private double noiseLevel;
    private double learningMax;
    private double learningSum;
    private final long[] learningPeakR = new long[MAX_LEARNING_PEAKS];
    private final double[] learningPeakValue = new double[MAX_LEARNING_PEAKS];
    private final double[] learningPeakSlope = new double[MAX_LEARNING_PEAKS];
    private int learningPeaks;
    private boolean learned;
    private long lastBeatR = Long.MIN_VALUE;
    private long lastBeatPeak = Long.MIN_VALUE;
    private double lastBeatSlope;
    private double lastBeatValue;
    private long lastDecay = Long.MIN_VALUE;
    private final long[] rrIntervals = new long[RR_HISTORY];
    private int rrCount;
    private double rrAverage;
    private long searchBackR = -1;
    private double searchBackValue;
    private double searchBackSlope;
    private long searchBackPeak;

    public QrsDetector(double sampleRateHz) {
        if (sampleRateHz < 100 || sampleRateHz > 1000) {
            throw new IllegalArgumentException("sample rate must be 100 to 1000 Hz");
        }
        this.sampleRateHz = sampleRateHz;
        this.highPass = Biquad.highPass(HIGH_PASS_HZ, sampleRateHz);
        this.lowPass = Biquad.lowPass(LOW_PASS_HZ, sampleRateHz);
        this.window = samples(INTEGRATION_SECONDS);
        this.history = samples(0.6);
        this.refractory = samples(REFRACTORY_SECONDS);
        this.tWaveWindow = samples(T_WAVE_WINDOW_SECONDS);
        this.confirmLag = samples(0.2);
        this.learningSamples = samples(LEARNING_SECONDS);
        this.bandPassed = new float[history];
        this.slope = new float[history];
        this.integrationWindow = new float[window];
        this.bandPassDelay = measureBandPassDelay();
        this.rrAverage = sampleRateHz;
    }

    /** The sample index of the next sample {@link #accept(double, LongConsumer)} takes. */
    public long nextIndex() {
        return index + 1;
    }

    /**
     * Whether the first 2 s ({@code LEARNING_SECONDS}) have set the detector's levels. Until then it
     * holds the peaks it found, to report them once it has learned: a gap before that would have them
     * reported after the gap, out of their time, so a caller starts a new detector instead of
     * {@link #skip(long)}.
     */
    public boolean learned() {
        return learned;
    }

    /**
     * Signal a gap in the recording: the filters start afresh, the learned levels are kept. Only
     * once {@link #learned()}.
     *
     * @param missingSamples how many samples were not received
     */
    public void skip(long missingSamples) {
        if (!learned) {
            throw new IllegalStateException("a gap before the detector has learned the signal: start a new detector");
        }
        highPass.reset();
        lowPass.reset();
        java.util.Arrays.fill(derivativeInputs, 0);
        java.util.Arrays.fill(integrationWindow, 0);
        java.util.Arrays.fill(bandPassed, 0);
        java.util.Arrays.fill(slope, 0);
        integrationSum = 0;
        offset = Double.NaN;
        candidateValue = Double.NEGATIVE_INFINITY;
        searchBackR = -1;
        index += missingSamples;
        // The rhythm before the gap says nothing about the next beat's timing.
        lastBeatPeak = Long.MIN_VALUE;
    }

    /**
     * Takes the next sample (any unit: microvolts, ADC units).
     *
     * @param beats told the sample index of each R peak this sample confirms (usually none)
     */
    public void accept(double sample, LongConsumer beats) {
        index++;
        if (Double.isNaN(offset)) {
            offset = sample;
        }
        double filtered = lowPass.apply(highPass.apply(sample - offset));
        int ring = (int) (index % history);
        bandPassed[ring] = (float) filtered;
        double derivative = (2 * filtered + derivativeInputs[0] - derivativeInputs[2] - 2 * derivativeInputs[3]) / 8;
        derivativeInputs[3] = derivativeInputs[2];
        derivativeInputs[2] = derivativeInputs[1];
        derivativeInputs[1] = derivativeInputs[0];
        derivativeInputs[0] = filtered;
        double squared = derivative * derivative;
        slope[ring] = (float) squared;
        int slot = (int) (index % window);
        integrationSum += squared - integrationWindow[slot];
        integrationWindow[slot] = (float) squared;
        double integrated = Math.max(0, integrationSum / window);

        pickPeak(integrated, beats);
        previousIntegrated = integrated;
        if (learned) {
            searchBackIfOverdue(beats);
        }
    }

    private void pickPeak(double integrated, LongConsumer beats) {
        if (index < learningSamples) {
            learningMax = Math.max(learningMax, integrated);
            learningSum += integrated;
        } else if (!learned) {
            finishLearning(beats);
        }
        if (integrated > candidateValue && integrated > previousIntegrated) {
            candidateValue = integrated;
            candidateIndex = index;
        } else if (candidateIndex >= 0 && candidateValue > 0
                && (integrated < candidateValue / 2 || index - candidateIndex >= confirmLag)) {
            peak(candidateIndex, candidateValue, beats);
            candidateValue = Double.NEGATIVE_INFINITY;
            candidateIndex = -1;
        }
    }

    /** A local maximum of the integrated signal: find its R peak and slope, then classify it. */
    private void peak(long peakIndex, double value, LongConsumer beats) {
        long from = Math.max(0, Math.max(peakIndex - window - samples(0.05), index - history + 1));
        long rBandPass = from;
        double best = -1;
        double steepest = 0;
        for (long i = from; i <= peakIndex; i++) {
            int ring = (int) (i % history);
            double magnitude = Math.abs(bandPassed[ring]);
            if (magnitude > best) {
                best = magnitude;
                rBandPass = i;
            }
            steepest = Math.max(steepest, slope[ring]);
        }
        long r = rBandPass - bandPassDelay;
        if (!learned) {
            if (learningPeaks < MAX_LEARNING_PEAKS) {
                learningPeakR[learningPeaks] = r;
                learningPeakValue[learningPeaks] = value;
                learningPeakSlope[learningPeaks] = steepest;
                learningPeaks++;
            }
            return;
        }
        classify(r, peakIndex, value, steepest, beats);
    }

    private void classify(long r, long peakIndex, double value, double steepest, LongConsumer beats) {
        double threshold = noiseLevel + 0.25 * (signalLevel - noiseLevel);
        boolean refractoryOver = lastBeatPeak == Long.MIN_VALUE || peakIndex - lastBeatPeak > refractory;
        // A T wave is soft and small next to the QRS before it; an early ectopic beat may be soft
        // (wide) but is not small, so both must hold.
        boolean tWave = lastBeatPeak != Long.MIN_VALUE && peakIndex - lastBeatPeak < tWaveWindow
                && steepest < T_WAVE_RATIO * lastBeatSlope && value < T_WAVE_RATIO * lastBeatValue;
        if (value > threshold && refractoryOver && !tWave) {
            signalLevel = 0.125 * value + 0.875 * signalLevel;
            beat(r, peakIndex, steepest, value, beats);
        } else {
            noiseLevel = 0.125 * value + 0.875 * noiseLevel;
            if (refractoryOver && !tWave && value > SEARCH_BACK_LEVEL * threshold && value > searchBackValue) {
                searchBackR = r;
                searchBackValue = value;
                searchBackSlope = steepest;
                searchBackPeak = peakIndex;
            }
        }
    }

    /** No beat for 1.66 average RR intervals: the best peak above half the threshold was one. */
    private void searchBackIfOverdue(LongConsumer beats) {
        if (lastBeatPeak == Long.MIN_VALUE || index - lastBeatPeak < SEARCH_BACK_FACTOR * rrAverage) {
            return;
        }
        if (searchBackR >= 0) {
            signalLevel = 0.25 * searchBackValue + 0.75 * signalLevel;
            beat(searchBackR, searchBackPeak, searchBackSlope, searchBackValue, beats);
        } else if (index - Math.max(lastBeatPeak, lastDecay) >= SEARCH_BACK_FACTOR * rrAverage) {
            // Nothing even at half the threshold: the signal got smaller (electrode, posture).
            // Lower the expected level step by step, never below twice the noise, so a real pause
            // still shows as a pause and not as noise taken for beats.
            signalLevel = Math.max(0.7 * signalLevel, 2 * noiseLevel);
            lastDecay = index;
        }
    }

    private void beat(long r, long peakIndex, double steepest, double value, LongConsumer beats) {
        if (lastBeatR != Long.MIN_VALUE) {
            if (r <= lastBeatR) {
                return;
            }
            if (lastBeatPeak != Long.MIN_VALUE) {
                rrIntervals[rrCount % RR_HISTORY] = peakIndex - lastBeatPeak;
                rrCount++;
                long sum = 0;
                int n = Math.min(rrCount, RR_HISTORY);
                for (int i = 0; i < n; i++) {
                    sum += rrIntervals[i];
                }
                rrAverage = (double) sum / n;
            }
        }
        lastBeatR = r;
        lastBeatPeak = peakIndex;
        lastBeatSlope = steepest;
        lastBeatValue = value;
        lastDecay = Long.MIN_VALUE;
        searchBackR = -1;
        searchBackValue = 0;
        beats.accept(Math.max(0, r));
    }

    private void finishLearning(LongConsumer beats) {
        learned = true;
        signalLevel = learningMax / 3;
        noiseLevel = learningSum / Math.max(1, learningSamples) / 2;
        for (int i = 0; i < learningPeaks; i++) {
            classify(learningPeakR[i], learningPeakR[i] + bandPassDelay, learningPeakValue[i], learningPeakSlope[i],
                    beats);
        }
        learningPeaks = 0;
    }

    /**
     * Writes the whole detector state, so a stream processor that restarts (or a patient whose
     * partition moves to another instance) resumes mid-rhythm rather than learning again.
     */
    public void writeState(DataOutput out) throws IOException {
        out.writeDouble(sampleRateHz);
        highPass.write(out);
        lowPass.write(out);
        writeFloats(out, bandPassed);
        writeFloats(out, slope);
        writeFloats(out, integrationWindow);
        for (double d : derivativeInputs) {
            out.writeDouble(d);
        }
        for (double d : new double[] {integrationSum, offset, previousIntegrated, candidateValue, signalLevel,
                noiseLevel, learningMax, learningSum, lastBeatSlope, lastBeatValue, rrAverage, searchBackValue,
                searchBackSlope}) {
            out.writeDouble(d);
        }
        for (long l : new long[] {index, candidateIndex, lastBeatR, lastBeatPeak, lastDecay, searchBackR, searchBackPeak}) {
            out.writeLong(l);
        }
        out.writeBoolean(learned);
        out.writeInt(learningPeaks);
        for (int i = 0; i < learningPeaks; i++) {
            out.writeLong(learningPeakR[i]);
            out.writeDouble(learningPeakValue[i]);
            out.writeDouble(learningPeakSlope[i]);
        }
        out.writeInt(rrCount);
        for (long rr : rrIntervals) {
            out.writeLong(rr);
        }
    }

    /** A detector in the state {@link #writeState(DataOutput)} wrote. */
    public static QrsDetector readState(DataInput in) throws IOException {
        QrsDetector d = new QrsDetector(in.readDouble());
        d.highPass.read(in);
        d.lowPass.read(in);
        readFloats(in, d.bandPassed);
        readFloats(in, d.slope);
        readFloats(in, d.integrationWindow);
        for (int i = 0; i < d.derivativeInputs.length; i++) {
            d.derivativeInputs[i] = in.readDouble();
        }
        d.integrationSum = in.readDouble();
        d.offset = in.readDouble();
        d.previousIntegrated = in.readDouble();
        d.candidateValue = in.readDouble();
        d.signalLevel = in.readDouble();
        d.noiseLevel = in.readDouble();
        d.learningMax = in.readDouble();
        d.learningSum = in.readDouble();
        d.lastBeatSlope = in.readDouble();
        d.lastBeatValue = in.readDouble();
        d.rrAverage = in.readDouble();
        d.searchBackValue = in.readDouble();
        d.searchBackSlope = in.readDouble();
        d.index = in.readLong();
        d.candidateIndex = in.readLong();
        d.lastBeatR = in.readLong();
        d.lastBeatPeak = in.readLong();
        d.lastDecay = in.readLong();
        d.searchBackR = in.readLong();
        d.searchBackPeak = in.readLong();
        d.learned = in.readBoolean();
        d.learningPeaks = in.readInt();
        for (int i = 0; i < d.learningPeaks; i++) {
            d.learningPeakR[i] = in.readLong();
            d.learningPeakValue[i] = in.readDouble();
            d.learningPeakSlope[i] = in.readDouble();
        }
        d.rrCount = in.readInt();
        for (int i = 0; i < d.rrIntervals.length; i++) {
            d.rrIntervals[i] = in.readLong();
        }
        return d;
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    private static void writeFloats(DataOutput out, float[] values) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static void readFloats(DataInput in, float[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
    }

    /** The band-pass filter's delay for a QRS-like pulse, measured once on a synthetic pulse. */
    private int measureBandPassDelay() {
        Biquad hp = Biquad.highPass(HIGH_PASS_HZ, sampleRateHz);
        Biquad lp = Biquad.lowPass(LOW_PASS_HZ, sampleRateHz);
        int length = samples(1.0);
        int centre = samples(0.3);
        double sigma = 0.012 * sampleRateHz;
        int peakAt = 0;
        double best = -1;
        for (int i = 0; i < length; i++) {
            double d = (i - centre) / sigma;
            double y = Math.abs(lp.apply(hp.apply(Math.exp(-d * d / 2))));
            if (y > best) {
                best = y;
                peakAt = i;
            }
        }
        return peakAt - centre;
    }

    private int samples(double seconds) {
        return Math.max(1, (int) Math.round(seconds * sampleRateHz));
    }
}
