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
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.processor.detection.UnanalysedRecords;
import org.cardiowatch.schemas.avro.DeadLetter;

/**
 * Turns the records set aside on cw.dead-letters ({@link DeadLetters}) into the patient's technical
 * alert ({@link UnanalysedRecords}), one source per topic the records came from ("vitals", "ecg"),
 * one entry per patient and source; a wall-clock punctuation resolves it. The dead letters are
 * keyed by patient and partitioned like the readings, so the alert folds with the patient's others.
 */
final class UnanalysedRecordsProcessor implements Processor<String, DeadLetter, String, SourceFinding> {

    private final UnanalysedRecords rule;
    private final Duration checkInterval;
    private ProcessorContext<String, SourceFinding> context;
    private KeyValueStore<String, UnanalysedRecords.State> states;

    UnanalysedRecordsProcessor(UnanalysedRecords rule, Duration checkInterval) {
        this.rule = rule;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.UNANALYSED_STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::resolveQuietOnes);
    }

    @Override
    public void process(Record<String, DeadLetter> record) {
        String patientId = record.key();
        DeadLetter letter = record.value();
        if (patientId == null || letter == null) {
            return;
        }
        String source = sourceOf(letter.getSourceTopic());
        String key = ProcessorTopology.deviceKey(patientId, source);
        UnanalysedRecords.Step step = rule.onSetAside(states.get(key), letter.getFailedAt());
        states.put(key, step.state());
        step.finding().ifPresent(finding -> context.forward(new Record<>(patientId,
                new SourceFinding(source, null, finding), context.currentSystemTimeMs())));
    }

    /** "cw.vitals" → "vitals": what the care team reads in the alert. */
    static String sourceOf(String topic) {
        String name = topic == null || topic.isEmpty() ? "unknown" : topic;
        return (name.startsWith("cw.") ? name.substring(3) : name).replace('|', '_');
    }

    private void resolveQuietOnes(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<KeyValue<String, UnanalysedRecords.Step>> resolved = new ArrayList<>();
        try (KeyValueIterator<String, UnanalysedRecords.State> all = states.all()) {
            all.forEachRemaining(entry -> {
                UnanalysedRecords.Step step = rule.onTick(entry.value, now);
                if (step.finding().isPresent()) {
                    resolved.add(KeyValue.pair(entry.key, step));
                }
            });
        }
        for (KeyValue<String, UnanalysedRecords.Step> entry : resolved) {
            states.delete(entry.key);
            String source = entry.key.substring(entry.key.lastIndexOf('|') + 1);
            context.forward(new Record<>(ProcessorTopology.patientOf(entry.key),
                    new SourceFinding(source, null, entry.value.finding().orElseThrow()), wallClockMillis));
        }
    }
}
