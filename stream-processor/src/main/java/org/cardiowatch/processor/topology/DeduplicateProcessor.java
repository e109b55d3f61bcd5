package org.cardiowatch.processor.topology;

import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.SequenceWindow;

/**
 * Lets each device message through once, by device id and sequence number, before any analysis.
 * Copies are counted (Kafka Streams metrics {@code readings-duplicate-total}, scope
 * {@code cardiowatch}) and dropped: the original went through. A message older than the window (64
 * sequence numbers behind the device's highest) cannot be told from a copy, so it is dropped too
 * and counted apart ({@code readings-too-old-total}): the protocol has a device's sequence numbers
 * increase across restarts, and the ingest refuses a number that far behind as {@code REPLAYED}.
 */
final class DeduplicateProcessor<V> implements FixedKeyProcessor<String, V, V> {

    private final String stream;
    private final Function<V, String> deviceId;
    private final Function<V, Long> sequence;
    private FixedKeyProcessorContext<String, V> context;
    private KeyValueStore<String, SequenceWindow> windows;
    private Sensor duplicates;
    private Sensor tooOld;

    DeduplicateProcessor(String stream, Function<V, String> deviceId, Function<V, Long> sequence) {
        this.stream = stream;
        this.deviceId = deviceId;
        this.sequence = sequence;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.windows = context.getStateStore(ProcessorTopology.SEQUENCE_STORE);
        this.duplicates = sensor(context, "duplicate");
        this.tooOld = sensor(context, "too-old");
    }

    /** A rate and a total in Kafka Streams' metrics, group {@code stream-cardiowatch-metrics}. */
    private Sensor sensor(FixedKeyProcessorContext<String, V> context, String kind) {
        return context.metrics().addRateTotalSensor("cardiowatch", stream + "-" + context.taskId(),
                "readings-" + kind, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V value = record.value();
        if (record.key() == null || value == null) {
            return;
        }
        // Under the patient, so the end of the patient's monitoring deletes it with the rest.
        String key = ProcessorTopology.deviceKey(record.key(), deviceId.apply(value)) + "|" + stream;
        long number = sequence.apply(value);
        SequenceWindow stored = windows.get(key);
        SequenceWindow window = stored == null ? SequenceWindow.EMPTY : stored;
        switch (window.check(number)) {
            case DUPLICATE -> duplicates.record();
            case TOO_OLD -> tooOld.record();
            case NEW -> {
                windows.put(key, window.accept(number));
                context.forward(record);
            }
        }
    }
}
