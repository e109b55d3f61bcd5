package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.QrsDetector;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.EcgSegment;

/**
 * Runs one streaming QRS detector and beat classifier per patient and device over the ECG
 * segments, in order, and emits each beat found with its class (one beat after it was found: the
 * pause after a beat is part of its class). Their whole state is kept in a store after every
 * segment, so a restart resumes mid-rhythm. Segments that overlap what was already analysed (a redelivered
 * segment) contribute only their new samples; a gap restarts the filters. The key (the patient)
 * stays: the beats are counted per patient and minute without a repartition.
 */
final class EcgBeatProcessor implements FixedKeyProcessor<String, EcgSegment, Beat> {

    /** A gap longer than this starts a new analysis; a shorter one only restarts the filters. */
    private static final long NEW_ANALYSIS_AFTER_MS = 10 * 60_000;

    private FixedKeyProcessorContext<String, Beat> context;
    private KeyValueStore<String, EcgAnalysis> states;
    private final List<BeatClassifier.ClassifiedBeat> found = new ArrayList<>();

    @Override
    public void init(FixedKeyProcessorContext<String, Beat> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.QRS_STATE_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, EcgSegment> record) {
        EcgSegment segment = record.value();
        if (record.key() == null || segment == null || segment.getSamplesMicroVolts().isEmpty()) {
            return;
        }
        String key = record.key() + "|" + segment.getDeviceId();
        long start = segment.getStartedAt().toEpochMilli();
        EcgAnalysis analysis = states.get(key);
        if (analysis == null || analysis.detector().sampleRateHz() != segment.getSampleRateHz()
                || start - analysis.timeOf(analysis.detector().nextIndex()) > NEW_ANALYSIS_AFTER_MS) {
            analysis = fresh(start, segment.getSampleRateHz());
        }
        long first = analysis.indexOf(start);
        long next = analysis.detector().nextIndex();
        long lastBeat = analysis.lastBeatMillis();
        found.clear();
        if (first > next + 1) {
            // The beat waiting for its class goes out with what came before the gap.
            analysis.classifier().skip(first - next, found::add);
            forward(record, analysis, lastBeat);
            found.clear();
            if (analysis.detector().learned()) {
                analysis.detector().skip(first - next);
            } else {
                // A gap within the first seconds: the peaks the detector held to learn from are dropped and
                // it learns again from here (it would otherwise report them after the gap, out of their time).
                analysis = fresh(start, segment.getSampleRateHz());
                first = 0;
            }
            next = first;
            // Beats may have been lost in the gap: the next interval is unknown, not a pause.
            lastBeat = EcgAnalysis.UNKNOWN;
        }
        int skipSamples = first < next ? (int) Math.min(next - first, segment.getSamplesMicroVolts().size()) : 0;
        QrsDetector detector = analysis.detector();
        BeatClassifier classifier = analysis.classifier();
        List<Integer> samples = segment.getSamplesMicroVolts();
        for (int i = skipSamples; i < samples.size(); i++) {
            int sample = samples.get(i);
            classifier.accept(sample, found::add);
            detector.accept(sample, r -> classifier.beat(r, found::add));
        }
        lastBeat = forward(record, analysis, lastBeat);
        states.put(key, new EcgAnalysis(analysis.originMillis(), lastBeat, detector, classifier));
    }

    /** A new analysis whose sample 0 is at {@code startMillis}. */
    private static EcgAnalysis fresh(long startMillis, double sampleRateHz) {
        return new EcgAnalysis(startMillis, EcgAnalysis.UNKNOWN, new QrsDetector(sampleRateHz),
                new BeatClassifier(sampleRateHz));
    }

    /** Emits the beats found, each with its interval from the one before; the last one's time. */
    private long forward(FixedKeyRecord<String, EcgSegment> record, EcgAnalysis analysis, long lastBeat) {
        String patientId = record.key();
        String deviceId = record.value().getDeviceId();
        for (BeatClassifier.ClassifiedBeat beat : found) {
            long at = analysis.timeOf(beat.rIndex());
            Integer rr = lastBeat == EcgAnalysis.UNKNOWN || at - lastBeat > 20_000 ? null : (int) (at - lastBeat);
            context.forward(record.withValue(Beat.newBuilder().setPatientId(patientId).setDeviceId(deviceId)
                    .setSource(BeatSource.ECG).setRPeakAt(Instant.ofEpochMilli(at)).setRrMillis(rr)
                    .setBeatClass(BeatClass.valueOf(beat.beatClass().name())).setPWave(beat.pWave()).build())
                    .withTimestamp(at));
            lastBeat = at;
        }
        return lastBeat;
    }
}
