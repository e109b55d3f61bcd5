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
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.SignalLossMonitor;
import org.cardiowatch.processor.detection.SignalLossMonitor.SignalState;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.VitalSigns;

/** Watches each patient's last arrival; a wall-clock punctuation opens signal-loss alerts. */
final class SignalLossProcessor implements Processor<String, VitalSigns, String, Alert> {

    private final SignalLossMonitor monitor;
    private final Duration checkInterval;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, SignalState> states;

    SignalLossProcessor(SignalLossMonitor monitor, Duration checkInterval) {
        this.monitor = monitor;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.SIGNAL_STATE_STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
    }

    @Override
    public void process(Record<String, VitalSigns> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        SignalLossMonitor.Step step = monitor.onReading(states.get(record.key()), now, record.value().getDeviceId());
        states.put(record.key(), step.state());
        step.finding().ifPresent(finding -> context.forward(new Record<>(record.key(),
                AlertFactory.toAlert(record.key(), step.state().deviceId(), finding), now.toEpochMilli())));
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
            context.forward(new Record<>(change.key, AlertFactory.toAlert(change.key, change.value.state().deviceId(),
                    change.value.finding().orElseThrow()), wallClockMillis));
        }
    }
}
