package org.cardiowatch.processor.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private static final long UNKNOWN = -1;

    private ProcessorContext<String, Beat> context;
    private KeyValueStore<String, byte[]> states;
    private final List<Long> found = new ArrayList<>();

    @Override
    public void init(ProcessorContext<String, Beat> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.QRS_STATE_STORE);
    }

    /** What is kept per patient and device between segments. */
    private record Analysis(long originMillis, long lastBeatMillis, QrsDetector detector) {
        long timeOf(long sampleIndex) {
            return originMillis + Math.round(sampleIndex * 1000 / detector.sampleRateHz());
        }

        long indexOf(long millis) {
            return Math.round((millis - originMillis) * detector.sampleRateHz() / 1000);
        }
    }

    @Override
    public void process(Record<String, EcgSegment> record) {
        EcgSegment segment = record.value();
        if (record.key() == null || segment == null || segment.getSamplesMicroVolts().isEmpty()) {
            return;
        }
        String key = record.key() + "|" + segment.getDeviceId();
        long start = segment.getStartedAt().toEpochMilli();
        Analysis analysis = load(key);
        if (analysis == null || analysis.detector().sampleRateHz() != segment.getSampleRateHz()
                || start - analysis.timeOf(analysis.detector().nextIndex()) > NEW_ANALYSIS_AFTER_MS) {
            analysis = new Analysis(start, UNKNOWN, new QrsDetector(segment.getSampleRateHz(), found::add));
        }
        QrsDetector detector = analysis.detector();
        long first = analysis.indexOf(start);
        long next = detector.nextIndex();
        int skipSamples = 0;
        long lastBeat = analysis.lastBeatMillis();
        if (first > next + 1) {
            detector.skip(first - next);
            // Beats may have been lost in the gap: the next interval is unknown, not a pause.
            lastBeat = UNKNOWN;
        } else if (first < next) {
            skipSamples = (int) Math.min(next - first, segment.getSamplesMicroVolts().size());
        }
        found.clear();
        List<Integer> samples = segment.getSamplesMicroVolts();
        for (int i = skipSamples; i < samples.size(); i++) {
            detector.accept(samples.get(i));
        }
        for (long index : found) {
            long at = analysis.timeOf(index);
            Integer rr = lastBeat == UNKNOWN || at - lastBeat > 20_000 ? null : (int) (at - lastBeat);
            context.forward(new Record<>(record.key(), Beat.newBuilder().setPatientId(record.key())
                    .setDeviceId(segment.getDeviceId()).setSource(BeatSource.ECG).setRPeakAt(Instant.ofEpochMilli(at))
                    .setRrMillis(rr).build(), at));
            lastBeat = at;
        }
        save(key, new Analysis(analysis.originMillis(), lastBeat, detector));
    }

    private Analysis load(String key) {
        byte[] bytes = states.get(key);
        if (bytes == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long origin = in.readLong();
            long lastBeat = in.readLong();
            return new Analysis(origin, lastBeat, QrsDetector.readState(in, found::add));
        } catch (IOException e) {
            // An unreadable state (older format) starts a fresh analysis rather than stopping the stream.
            return null;
        }
    }

    private void save(String key, Analysis analysis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(analysis.originMillis());
            out.writeLong(analysis.lastBeatMillis());
            analysis.detector().writeState(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        states.put(key, bytes.toByteArray());
    }
}
