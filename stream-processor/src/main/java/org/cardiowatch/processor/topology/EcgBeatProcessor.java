package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.ecg.QrsDetector;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.EcgSegment;

/**
 * Runs one streaming QRS detector per patient and device over the ECG segments, in order, and
 * emits each beat found. The detector's whole state is kept in a store after every segment, so
 * a restart resumes mid-rhythm. Segments that overlap what was already analysed (a redelivered
 * segment) contribute only their new samples; a gap restarts the filters.
 */
final class EcgBeatProcessor implements Processor<String, EcgSegment, String, Beat> {

    /** A gap longer than this starts a new analysis; a shorter one only restarts the filters. */
    private static final long NEW_ANALYSIS_AFTER_MS = 10 * 60_000;

    private ProcessorContext<String, Beat> context;
    private KeyValueStore<String, EcgAnalysis> states;
    private final List<Long> found = new ArrayList<>();

    @Override
    public void init(ProcessorContext<String, Beat> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.QRS_STATE_STORE);
    }

    @Override
    public void process(Record<String, EcgSegment> record) {
        EcgSegment segment = record.value();
        if (record.key() == null || segment == null || segment.getSamplesMicroVolts().isEmpty()) {
            return;
        }
        String key = record.key() + "|" + segment.getDeviceId();
        long start = segment.getStartedAt().toEpochMilli();
        EcgAnalysis analysis = states.get(key);
        if (analysis == null || analysis.detector().sampleRateHz() != segment.getSampleRateHz()
                || start - analysis.timeOf(analysis.detector().nextIndex()) > NEW_ANALYSIS_AFTER_MS) {
            analysis = new EcgAnalysis(start, EcgAnalysis.UNKNOWN, new QrsDetector(segment.getSampleRateHz()));
        }
        QrsDetector detector = analysis.detector();
        long first = analysis.indexOf(start);
        long next = detector.nextIndex();
        int skipSamples = 0;
        long lastBeat = analysis.lastBeatMillis();
        if (first > next + 1) {
            detector.skip(first - next);
            // Beats may have been lost in the gap: the next interval is unknown, not a pause.
            lastBeat = EcgAnalysis.UNKNOWN;
        } else if (first < next) {
            skipSamples = (int) Math.min(next - first, segment.getSamplesMicroVolts().size());
        }
        found.clear();
        List<Integer> samples = segment.getSamplesMicroVolts();
        for (int i = skipSamples; i < samples.size(); i++) {
            detector.accept(samples.get(i), found::add);
        }
        for (long index : found) {
            long at = analysis.timeOf(index);
            Integer rr = lastBeat == EcgAnalysis.UNKNOWN || at - lastBeat > 20_000 ? null : (int) (at - lastBeat);
            context.forward(new Record<>(record.key(), Beat.newBuilder().setPatientId(record.key())
                    .setDeviceId(segment.getDeviceId()).setSource(BeatSource.ECG).setRPeakAt(Instant.ofEpochMilli(at))
                    .setRrMillis(rr).build(), at));
            lastBeat = at;
        }
        states.put(key, new EcgAnalysis(analysis.originMillis(), lastBeat, detector));
    }
}
