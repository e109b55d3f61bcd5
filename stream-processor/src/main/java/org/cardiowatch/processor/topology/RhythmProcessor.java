package org.cardiowatch.processor.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.processor.detection.rhythm.RhythmMonitor;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.Beat;

/** Feeds each patient's beats to the rhythm monitor; its state lives in a store. */
final class RhythmProcessor implements Processor<String, Beat, String, Alert> {

    private final RhythmMonitor monitor;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, RhythmMonitor.State> states;

    RhythmProcessor(RhythmMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.RHYTHM_STATE_STORE);
    }

    @Override
    public void process(Record<String, Beat> record) {
        Beat beat = record.value();
        if (record.key() == null || beat == null) {
            return;
        }
        RhythmMonitor.State stored = states.get(record.key());
        RhythmMonitor.State state = stored == null ? new RhythmMonitor.State() : stored;
        for (Finding finding : monitor.onBeat(state, beat.getSource(), beat.getRPeakAt(), beat.getRrMillis())) {
            context.forward(new Record<>(record.key(), AlertFactory.toAlert(record.key(), beat.getDeviceId(), finding),
                    finding.at().toEpochMilli()));
        }
        states.put(record.key(), state);
    }
}
