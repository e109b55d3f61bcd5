package org.cardiowatch.processor.detection.ecg;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Gives each beat the {@link QrsDetector} finds in one patient's single-lead ECG an AAMI class,
 * from what a cardiologist looks at, learned from that patient's own beats only:
 * <ul>
 * <li><b>shape</b>: the QRS (100 ms before to 150 ms after the R peak, baseline removed) against
 * the patient's templates, running averages of the beats that look alike; the template of most
 * beats that came on time is the patient's <i>dominant</i> beat, taken as normal conduction
 * (ectopic beats come early, so even frequent ones do not take its place);</li>
 * <li><b>width</b>: how long the QRS takes to draw (the span holding the middle 80 % of its total
 * slope), against the running width of the patient's normal beats;</li>
 * <li><b>timing</b>: prematurity (the interval before the beat against the running interval
 * between two normal beats), the pause after it, and how irregular the rhythm is (atrial
 * fibrillation makes every short interval look premature).</li>
 * </ul>
 * A beat shaped like the dominant beat is N, or S when it comes early (or a little early with a
 * pause after it) in a regular rhythm; but V when it is only close to that shape, somewhat wider
 * and early in a regular rhythm. A beat of another shape is V when it is wider than normal
 * beats, or early (in an irregular rhythm only if clearly different); but N when its own shape keeps
 * coming on time below 100 bpm (a bundle branch block that comes and goes). Beats before the
 * dominant beat is known (the first few seconds) are Q, unclassifiable. The thresholds were fixed on
 * the development half of MIT-BIH ({@code ./cardiowatch evaluate}), never per record.
 *
 * <p>Causal: a beat is classified once the next one is reported (the pause after it is part of the
 * picture), about one beat late, or {@value #LONGEST_WAIT_SECONDS} s after it when none comes.
 * Each beat also says whether a P wave came before it ({@link AtrialActivity}), for the AF
 * detector. State: two seconds of filtered signal and {@value #TEMPLATES} templates, a few
 * kilobytes.
 */
public final class BeatClassifier {

    /** The AAMI (ANSI/AAMI EC57) beat classes this classifier gives. */
    public enum BeatClass { N, S, V, Q }

    /**
     * A classified beat: its R peak's sample index, its class, and whether a P wave like the
     * previous beat's came before it ({@link AtrialActivity}; null when that cannot be told).
     */
    public record ClassifiedBeat(long rIndex, BeatClass beatClass, Boolean pWave) {

        public ClassifiedBeat(long rIndex, BeatClass beatClass) {
            this(rIndex, beatClass, null);
        }
    }

    static final int TEMPLATES = 8;
    static final double LONGEST_WAIT_SECONDS = 2.5;
    private static final double BEFORE_R_SECONDS = 0.10;
    private static final double AFTER_R_SECONDS = 0.15;
    private static final double ALIGN_SECONDS = 0.03;
    /** Covers the detector's report lag (a beat found by search-back comes up to about 1.5 intervals late). */
    private static final double RING_SECONDS = 2.0;
    // Fixed on the development half of MIT-BIH (../shared/data), never per record: correlations
    // with a template, ratios to the normal width, the normal interval, or the interval before.
    private static final double SAME_SHAPE = 0.92;
    private static final double NORMAL_SHAPE = 0.90;
    /** Below this (and above NORMAL_SHAPE) a beat is only close to the dominant beat: width and timing decide. */
    private static final double SAME_AS_DOMINANT = 0.96;
    private static final double SOMEWHAT_WIDER = 1.15;
    private static final double DIFFERENT_SHAPE = 0.70;
    private static final double WIDER = 1.25;
    private static final double PREMATURE = 0.85;
    private static final double SUPRAVENTRICULAR_PREMATURE = 0.80;
    private static final int DOMINANT_AFTER = 4;
    private static final int OWN_RHYTHM_BEATS = 8;
    private static final double ON_TIME_SHARE = 0.5;
    private static final double SLIGHTLY_EARLY = 0.9;
    private static final double PAUSE_AFTER = 1.2;
    private static final double IRREGULAR = 0.12;

    private final double sampleRateHz;
    private final Biquad baseline;
    private final Biquad smoothing;
    private final float[] ring;
    private final int before;
    private final int after;
    private final int align;
    private final int length;
    private long index = -1;

    private final Template[] templates = new Template[TEMPLATES];
    private double normalRr = Double.NaN;
    private double normalWidth = Double.NaN;
    private BeatClass previousClass = BeatClass.Q;
    private BeatClass classBeforePrevious = BeatClass.Q;
    // Running average of how much each interval differs from the one before (relative): high in atrial fibrillation.
    private double irregularity = 0;
    private long previousPreRr = -1;
    private long previousR = Long.MIN_VALUE;
    // The beat waiting for the next one to be classified.
    private long pendingR = Long.MIN_VALUE;
    private long pendingPreRr = -1;
    // Its QRS, taken from the ring as soon as it is complete: the ring need not span the wait.
    private float[] pendingShape;
    private Boolean pendingPWave;
    private final AtrialActivity atrialActivity;

    /**
     * A classifier joining a detector that has already taken samples up to {@code nextIndex - 1}
     * (its beats are numbered from the detector's sample 0).
     */
    public BeatClassifier(double sampleRateHz, long nextIndex) {
        this(sampleRateHz);
        this.index = nextIndex - 1;
    }

    public BeatClassifier(double sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        this.baseline = Biquad.highPass(0.7, sampleRateHz);
        this.smoothing = Biquad.lowPass(35, sampleRateHz);
        this.ring = new float[(int) Math.round(RING_SECONDS * sampleRateHz)];
        this.before = samples(BEFORE_R_SECONDS);
        this.after = samples(AFTER_R_SECONDS);
        this.align = samples(ALIGN_SECONDS);
        this.length = before + after + 1;
        this.atrialActivity = new AtrialActivity(sampleRateHz);
    }

    /** Takes the next sample, the same one the QRS detector takes. */
    public void accept(double sample, Consumer<ClassifiedBeat> classified) {
        index++;
        ring[(int) (index % ring.length)] = (float) smoothing.apply(baseline.apply(sample));
        if (pendingR != Long.MIN_VALUE && pendingShape == null && index == pendingR + after + align) {
            pendingShape = segment(pendingR);
        }
        if (pendingR != Long.MIN_VALUE && index - pendingR > LONGEST_WAIT_SECONDS * sampleRateHz) {
            classified.accept(classifyPending(-1));
        }
    }

    /** A gap in the recording: the beat waiting is classified without the pause after it. */
    public void skip(long missingSamples, Consumer<ClassifiedBeat> classified) {
        if (pendingR != Long.MIN_VALUE) {
            classified.accept(classifyPending(-1));
        }
        baseline.reset();
        smoothing.reset();
        index += missingSamples;
        previousR = Long.MIN_VALUE;
    }

    /**
     * The detector found a beat at {@code rIndex} (at or before the last sample taken): the beat
     * before it, if one waits, is classified now.
     */
    public void beat(long rIndex, Consumer<ClassifiedBeat> classified) {
        if (pendingR != Long.MIN_VALUE) {
            classified.accept(classifyPending(rIndex - pendingR));
        }
        pendingPreRr = previousR == Long.MIN_VALUE ? -1 : rIndex - previousR;
        pendingR = rIndex;
        pendingShape = index >= rIndex + after + align ? segment(rIndex) : null;
        pendingPWave = atrialActivity.check(rIndex,
                window(rIndex - atrialActivity.windowBefore(), rIndex + atrialActivity.windowAfter()));
        previousR = rIndex;
    }

    /** Classifies the beat still waiting (at the end of a recording). */
    public void flush(Consumer<ClassifiedBeat> classified) {
        if (pendingR != Long.MIN_VALUE) {
            classified.accept(classifyPending(-1));
        }
    }

    private ClassifiedBeat classifyPending(long postRr) {
        long r = pendingR;
        pendingR = Long.MIN_VALUE;
        float[] shape = pendingShape != null ? pendingShape : segment(r);
        pendingShape = null;
        Boolean pWave = pendingPWave;
        pendingPWave = null;
        if (shape == null) {
            return new ClassifiedBeat(r, BeatClass.Q, pWave);
        }
        BeatClass beatClass = classify(shape, pendingPreRr, postRr);
        // Ventricular ectopy makes a rhythm irregular without its being atrial fibrillation: the
        // intervals around a V beat are left out.
        if (pendingPreRr > 0 && previousPreRr > 0 && beatClass != BeatClass.V && previousClass != BeatClass.V
                && classBeforePrevious != BeatClass.V) {
            double change = Math.abs(pendingPreRr - previousPreRr) / (double) Math.max(pendingPreRr, previousPreRr);
            irregularity = 0.9 * irregularity + 0.1 * change;
        }
        // The normal interval is the one between two normal beats: not the pause after an ectopic beat.
        if (beatClass == BeatClass.N && previousClass == BeatClass.N && pendingPreRr > 0) {
            normalRr = Double.isNaN(normalRr) ? pendingPreRr : 0.875 * normalRr + 0.125 * pendingPreRr;
        }
        classBeforePrevious = previousClass;
        previousClass = beatClass;
        previousPreRr = pendingPreRr;
        return new ClassifiedBeat(r, beatClass, pWave);
    }

    private BeatClass classify(float[] shape, long preRr, long postRr) {
        Template dominant = dominant();
        Match best = bestMatch(shape);
        boolean onTime = preRr > 0 && !Double.isNaN(normalRr) && preRr >= 0.9 * normalRr;
        learn(shape, best, onTime);
        if (dominant == null || dominant.count < DOMINANT_AFTER) {
            if (Double.isNaN(normalRr) && preRr > 0) {
                normalRr = preRr;
            }
            return BeatClass.Q;
        }
        double correlation = alignedCorrelation(shape, dominant.shape);
        double width = width(shape);
        double widthRatio = Double.isNaN(normalWidth) ? 1 : width / normalWidth;
        double amplitudeRatio = amplitude(shape) / Math.max(1e-9, amplitude(dominant.shape));
        double prematurity = preRr > 0 && !Double.isNaN(normalRr) ? preRr / normalRr : 1;
        boolean normalShape = correlation >= NORMAL_SHAPE && amplitudeRatio > 0.5 && amplitudeRatio < 2.0;
        // Close to the normal beat without being the same, somewhat wider and early in a regular rhythm:
        // a ventricular beat whose QRS resembles the patient's own (MIT-BIH 223's), called from width and
        // timing as a cardiologist would when the shape alone does not tell.
        if (normalShape && correlation < SAME_AS_DOMINANT && widthRatio >= SOMEWHAT_WIDER
                && prematurity < SLIGHTLY_EARLY && irregularity < IRREGULAR) {
            return BeatClass.V;
        }
        if (normalShape) {
            normalWidth = Double.isNaN(normalWidth) ? width : 0.95 * normalWidth + 0.05 * width;
            // An irregular rhythm (atrial fibrillation) makes every short interval look premature.
            // Early, or a little early with a pause after it (the sinus node reset by the ectopic beat).
            boolean early = prematurity < SUPRAVENTRICULAR_PREMATURE
                    || (prematurity < SLIGHTLY_EARLY && postRr > 0 && postRr > PAUSE_AFTER * preRr);
            return early && irregularity < IRREGULAR ? BeatClass.S : BeatClass.N;
        }
        // A shape of its own that keeps coming on time, below 100 bpm, is a conduction of the
        // patient's (a bundle branch block that comes and goes), not an ectopic beat, which comes
        // early. At 100 bpm or more it stays V: a regular wide rhythm that fast may be ventricular
        // tachycardia, which must never be taken for the patient's own rhythm.
        if (best != null && best.correlation >= SAME_SHAPE && best.template.count >= OWN_RHYTHM_BEATS
                && preRr > 0.6 * sampleRateHz
                && best.template.onTime >= ON_TIME_SHARE * best.template.count) {
            return BeatClass.N;
        }
        boolean early = prematurity < PREMATURE && (irregularity < IRREGULAR || correlation < DIFFERENT_SHAPE);
        if (widthRatio >= WIDER || early) {
            return BeatClass.V;
        }
        return BeatClass.N;
    }

    /** The filtered QRS around {@code r}, or null when it is no longer (or not yet) in the ring. */
    private float[] segment(long r) {
        return window(r - before - align, r + after + align);
    }

    /** The filtered samples from {@code from} to {@code to}, or null when they are not all in the ring. */
    private float[] window(long from, long to) {
        if (from < 0 || from <= index - ring.length || to > index) {
            return null;
        }
        float[] out = new float[(int) (to - from + 1)];
        for (long i = from; i <= to; i++) {
            out[(int) (i - from)] = ring[(int) (i % ring.length)];
        }
        return out;
    }

    private record Match(Template template, double correlation) {
    }

    private Match bestMatch(float[] shape) {
        Match best = null;
        for (Template t : templates) {
            if (t == null) {
                continue;
            }
            double c = alignedCorrelation(shape, t.shape);
            double ratio = amplitude(shape) / Math.max(1e-9, amplitude(t.shape));
            if (ratio > 0.7 && ratio < 1.4 && (best == null || c > best.correlation)) {
                best = new Match(t, c);
            }
        }
        return best;
    }

    /** The beat joins the template it matches, or starts one (replacing the least used). */
    private void learn(float[] shape, Match best, boolean onTime) {
        if (best != null && best.correlation >= SAME_SHAPE) {
            best.template.add(shape, bestShift(shape, best.template.shape));
            if (onTime) {
                best.template.onTime++;
            }
            return;
        }
        int slot = 0;
        for (int i = 0; i < templates.length; i++) {
            if (templates[i] == null) {
                slot = i;
                break;
            }
            if (templates[i].count < templates[slot].count) {
                slot = i;
            }
        }
        templates[slot] = new Template(shape);
        // Old counts fade so that a patient whose normal beat changes (a new bundle branch block) gets it as dominant.
        for (Template t : templates) {
            if (t != null && t.count > 1000) {
                t.count /= 2;
                t.onTime /= 2;
            }
        }
    }

    /**
     * The patient's normal beat: the template of most beats that came on time (an ectopic beat
     * comes early, so even frequent ones, as in bigeminy, do not make their template dominant);
     * the template of most beats while the rhythm is still unknown.
     */
    private Template dominant() {
        Template best = null;
        for (Template t : templates) {
            if (t != null && (best == null || t.onTime > best.onTime
                    || (t.onTime == best.onTime && t.count > best.count))) {
                best = t;
            }
        }
        return best;
    }

    /** The best Pearson correlation of the beat's QRS with a template's, over small shifts of the beat. */
    private double alignedCorrelation(float[] shape, float[] template) {
        return correlation(shape, template, bestShift(shape, template));
    }

    private int bestShift(float[] shape, float[] template) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int shift = -align; shift <= align; shift++) {
            double c = correlation(shape, template, shift);
            if (c > bestValue) {
                bestValue = c;
                best = shift;
            }
        }
        return best;
    }

    /** Correlation of the beat's QRS (shifted by {@code shift}) with the template's centred QRS. */
    private double correlation(float[] shape, float[] template, int shift) {
        return Signals.correlation(shape, align + shift, template, align, length);
    }

    /** Peak-to-peak amplitude of the centred QRS. */
    private double amplitude(float[] shape) {
        return Signals.range(shape, align, align + length - 1);
    }

    /** The span, in samples, holding the middle 80 % of the QRS's total absolute slope. */
    private double width(float[] shape) {
        double total = 0;
        for (int i = align + 1; i < align + length; i++) {
            total += Math.abs(shape[i] - shape[i - 1]);
        }
        double running = 0;
        int start = -1;
        int end = -1;
        for (int i = align + 1; i < align + length; i++) {
            running += Math.abs(shape[i] - shape[i - 1]);
            if (start < 0 && running >= 0.1 * total) {
                start = i;
            }
            if (end < 0 && running >= 0.9 * total) {
                end = i;
            }
        }
        return Math.max(1, end - start);
    }

    /**
     * Writes the whole classifier state (the patient's learned beats included), so a stream
     * processor that restarts resumes without learning the patient again.
     */
    public void writeState(DataOutput out) throws IOException {
        out.writeDouble(sampleRateHz);
        baseline.write(out);
        smoothing.write(out);
        for (float v : ring) {
            out.writeFloat(v);
        }
        for (long l : new long[] {index, previousR, pendingR, pendingPreRr, previousPreRr}) {
            out.writeLong(l);
        }
        for (double d : new double[] {normalRr, normalWidth, irregularity}) {
            out.writeDouble(d);
        }
        out.writeByte(previousClass.ordinal());
        out.writeByte(classBeforePrevious.ordinal());
        out.writeBoolean(pendingShape != null);
        if (pendingShape != null) {
            for (float v : pendingShape) {
                out.writeFloat(v);
            }
        }
        for (Template t : templates) {
            out.writeBoolean(t != null);
            if (t != null) {
                out.writeInt(t.count);
                out.writeInt(t.onTime);
                for (float v : t.shape) {
                    out.writeFloat(v);
                }
            }
        }
        // Added with atrial activity: a state written before ends here (see readState).
        out.writeByte(pendingPWave == null ? -1 : pendingPWave ? 1 : 0);
        atrialActivity.write(out);
    }

    /** A classifier in the state {@link #writeState(DataOutput)} wrote. */
    public static BeatClassifier readState(DataInput in) throws IOException {
        BeatClassifier c = new BeatClassifier(in.readDouble());
        c.baseline.read(in);
        c.smoothing.read(in);
        for (int i = 0; i < c.ring.length; i++) {
            c.ring[i] = in.readFloat();
        }
        c.index = in.readLong();
        c.previousR = in.readLong();
        c.pendingR = in.readLong();
        c.pendingPreRr = in.readLong();
        c.previousPreRr = in.readLong();
        c.normalRr = in.readDouble();
        c.normalWidth = in.readDouble();
        c.irregularity = in.readDouble();
        c.previousClass = BeatClass.values()[in.readByte()];
        c.classBeforePrevious = BeatClass.values()[in.readByte()];
        if (in.readBoolean()) {
            c.pendingShape = new float[c.length + 2 * c.align];
            for (int k = 0; k < c.pendingShape.length; k++) {
                c.pendingShape[k] = in.readFloat();
            }
        }
        for (int i = 0; i < c.templates.length; i++) {
            if (in.readBoolean()) {
                Template t = c.new Template(new float[c.length + 2 * c.align]);
                t.count = in.readInt();
                t.onTime = in.readInt();
                for (int k = 0; k < t.shape.length; k++) {
                    t.shape[k] = in.readFloat();
                }
                c.templates[i] = t;
            }
        }
        int pWave;
        try {
            pWave = in.readByte();
        } catch (java.io.EOFException writtenBeforeAtrialActivity) {
            return c;
        }
        c.pendingPWave = pWave < 0 ? null : pWave == 1;
        c.atrialActivity.read(in);
        return c;
    }

    private int samples(double seconds) {
        return Math.max(1, (int) Math.round(seconds * sampleRateHz));
    }

    /** A running average of beats that look alike. */
    private final class Template {
        final float[] shape;
        int count;
        int onTime;

        Template(float[] first) {
            this.shape = first.clone();
            this.count = 1;
        }

        void add(float[] beat, int shift) {
            double weight = 1.0 / Math.min(count + 1, 16);
            for (int i = align; i < align + length; i++) {
                shape[i] = (float) ((1 - weight) * shape[i] + weight * beat[i + shift]);
            }
            count++;
        }
    }
}
