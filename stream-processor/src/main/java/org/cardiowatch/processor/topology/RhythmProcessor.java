package org.cardiowatch.processor.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.processor.detection.rhythm.RhythmMonitor;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.PatientThresholds;

/**
 * Feeds each device's beats to its own rhythm monitor (two devices' beats interleaved are no
 * rhythm at all); the monitors' state lives in a store, one entry per patient and device. The
 * limit of frequent ventricular beats is the patient's own when their physician set one.
 */
final class RhythmProcessor implements Processor<String, Beat, String, SourceFinding> {

    private final RhythmMonitor monitor;
    private ProcessorContext<String, SourceFinding> context;
    private KeyValueStore<String, RhythmMonitor.State> states;
    private TimestampedKeyValueStore<String, PatientThresholds> thresholds;

    RhythmProcessor(RhythmMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.RHYTHM_STATE_STORE);
        this.thresholds = context.getStateStore(ProcessorTopology.THRESHOLDS_STORE);
    }

    @Override
    public void process(Record<String, Beat> record) {
        Beat beat = record.value();
        if (record.key() == null || beat == null) {
            return;
        }
        String key = ProcessorTopology.deviceKey(record.key(), beat.getDeviceId());
        RhythmMonitor.State stored = states.get(key);
        RhythmMonitor.State state = stored == null ? new RhythmMonitor.State() : stored;
        for (Finding finding : monitor.onBeat(state, beat.getSource(), beat.getRPeakAt(), beat.getRrMillis(),
                beat.getBeatClass(), beat.getPWave(), frequentPvcPercent(record.key()))) {
            context.forward(new Record<>(record.key(), SourceFinding.ofDevice(beat.getDeviceId(), finding),
                    finding.at().toEpochMilli()));
        }
        states.put(key, state);
    }

    private double frequentPvcPercent(String patientId) {
        PatientThresholds own = ThresholdProcessor.ownThresholds(thresholds, patientId);
        return own == null || own.getFrequentPvcPercent() == null ? RhythmMonitor.FREQUENT_PVC_PERCENT
                : own.getFrequentPvcPercent();
    }
}
