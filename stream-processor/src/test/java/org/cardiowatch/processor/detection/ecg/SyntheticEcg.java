package org.cardiowatch.processor.detection.ecg;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** ECG made by the tests: known R-peak times, P-QRS-T shapes, baseline wander and noise. */
public final class SyntheticEcg {

    public final double sampleRateHz;
    public final List<Long> beats = new ArrayList<>();
    public final double[] samples;

    /**
     * @param rrSeconds the interval before each beat, in order
     * @param wanderMicroVolts amplitude of a 0.3 Hz baseline wander
     * @param noiseMicroVolts standard deviation of white noise
     */
    public SyntheticEcg(double sampleRateHz, double[] rrSeconds, double wanderMicroVolts, double noiseMicroVolts, long seed) {
        this(sampleRateHz, rrSeconds, null, wanderMicroVolts, noiseMicroVolts, seed);
    }

    /**
     * @param kinds each beat's kind, in order: 'N' a normal beat, 'S' the same conducted QRS (an
     *        early one is an atrial premature beat), 'V' a wide ventricular QRS without P wave and
     *        with an opposite T wave; null: all normal
     */
    public SyntheticEcg(double sampleRateHz, double[] rrSeconds, char[] kinds, double wanderMicroVolts,
            double noiseMicroVolts, long seed) {
        this.sampleRateHz = sampleRateHz;
        double total = 1.5;
        for (double rr : rrSeconds) {
            total += rr;
        }
        samples = new double[(int) (total * sampleRateHz)];
        double t = 0.5;
        for (int b = 0; b < rrSeconds.length; b++) {
            t += rrSeconds[b];
            beats.add(Math.round(t * sampleRateHz));
            if (kinds != null && kinds[b] == 'V') {
                addVentricularBeat(t);
            } else if (kinds != null && kinds[b] == 'f') {
                addBeatWithoutPWave(t);
            } else {
                addBeat(t);
            }
        }
        Random random = new Random(seed);
        for (int i = 0; i < samples.length; i++) {
            double seconds = i / sampleRateHz;
            samples[i] += wanderMicroVolts * Math.sin(2 * Math.PI * 0.3 * seconds) + noiseMicroVolts * random.nextGaussian();
        }
    }

    /** Regular rhythm at the given rate for the given number of beats. */
    public static double[] regular(double bpm, int beats) {
        double[] rr = new double[beats];
        java.util.Arrays.fill(rr, 60 / bpm);
        return rr;
    }

    private void addBeat(double r) {
        wave(r - 0.16, 0.025, 120);
        wave(r - 0.025, 0.008, -100);
        wave(r, 0.010, 1200);
        wave(r + 0.025, 0.008, -250);
        wave(r + 0.25, 0.045, 300);
    }

    /** A narrow beat with no P wave before it, as in atrial fibrillation (kind 'f'). */
    private void addBeatWithoutPWave(double r) {
        wave(r - 0.025, 0.008, -100);
        wave(r, 0.010, 1200);
        wave(r + 0.025, 0.008, -250);
        wave(r + 0.25, 0.045, 300);
    }

    private void addVentricularBeat(double r) {
        wave(r - 0.02, 0.030, -900);
        wave(r + 0.05, 0.030, 700);
        wave(r + 0.32, 0.060, -400);
    }

    private void wave(double centreSeconds, double widthSeconds, double microVolts) {
        int from = Math.max(0, (int) ((centreSeconds - 5 * widthSeconds) * sampleRateHz));
        int to = Math.min(samples.length - 1, (int) ((centreSeconds + 5 * widthSeconds) * sampleRateHz));
        for (int i = from; i <= to; i++) {
            double d = (i / sampleRateHz - centreSeconds) / widthSeconds;
            samples[i] += microVolts * Math.exp(-d * d / 2);
        }
    }
}
