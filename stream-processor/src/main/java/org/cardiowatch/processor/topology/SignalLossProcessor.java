package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.SignalLossMonitor;
import org.cardiowatch.processor.detection.SignalLossMonitor.SignalState;
import org.cardiowatch.processor.detection.SourceFinding;

/**
 * Watches each device's last arrival (vitals or ECG), one entry per patient and device: a device
 * that falls silent is noticed even while another device of the patient keeps sending. A
 * wall-clock punctuation opens the signal-loss findings.
 */
final class SignalLossProcessor implements Processor<String, String, String, SourceFinding> {

    private final SignalLossMonitor monitor;
    private final Duration checkInterval;
    private ProcessorContext<String, SourceFinding> context;
    private KeyValueStore<String, SignalState> states;

    SignalLossProcessor(SignalLossMonitor monitor, Duration checkInterval) {
        this.monitor = monitor;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.SIGNAL_STATE_STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
    }

    /** One arrival: the key is the patient, the value the device that sent. */
    @Override
    public void process(Record<String, String> record) {
        String patientId = record.key();
        String deviceId = record.value();
        if (patientId == null || deviceId == null) {
            return;
        }
        String key = ProcessorTopology.deviceKey(patientId, deviceId);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        SignalLossMonitor.Step step = monitor.onReading(states.get(key), now, deviceId);
        states.put(key, step.state());
        step.finding().ifPresent(finding -> context.forward(new Record<>(patientId,
                SourceFinding.ofDevice(deviceId, finding), now.toEpochMilli())));
    }

    private void checkSilence(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<KeyValue<String, SignalLossMonitor.Step>> changes = new ArrayList<>();
        try (KeyValueIterator<String, SignalState> all = states.all()) {
            all.forEachRemaining(entry -> {
                SignalLossMonitor.Step step = monitor.onTick(entry.value, now);
                if (step.finding().isPresent()) {
                    changes.add(KeyValue.pair(entry.key, step));
                }
            });
        }
        for (KeyValue<String, SignalLossMonitor.Step> change : changes) {
            states.put(change.key, change.value.state());
            String deviceId = change.value.state().deviceId();
            context.forward(new Record<>(ProcessorTopology.patientOf(change.key),
                    SourceFinding.ofDevice(deviceId, change.value.finding().orElseThrow()), wallClockMillis));
        }
    }
}
