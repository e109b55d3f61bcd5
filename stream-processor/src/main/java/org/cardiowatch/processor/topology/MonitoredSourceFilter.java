package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.EndedMonitoring;

/**
 * Lets through only readings of a source still monitored: a reading the ingest received before
 * its device was revoked, its patient's consent withdrawn or the patient discharged, and anything
 * of an erased patient, is dropped before any analysis or state, and counted (Kafka Streams metric
 * {@code readings-ended-total}, scope {@code cardiowatch}).
 */
final class MonitoredSourceFilter<V> implements FixedKeyProcessor<String, V, V> {

    private final String stream;
    private final Function<V, String> deviceId;
    private final Function<V, Instant> receivedAt;
    private FixedKeyProcessorContext<String, V> context;
    private KeyValueStore<String, EndedMonitoring> ended;
    private Sensor dropped;

    MonitoredSourceFilter(String stream, Function<V, String> deviceId, Function<V, Instant> receivedAt) {
        this.stream = stream;
        this.deviceId = deviceId;
        this.receivedAt = receivedAt;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.ended = context.getStateStore(ProcessorTopology.ENDED_MONITORING_STORE);
        this.dropped = context.metrics().addRateTotalSensor("cardiowatch", stream + "-" + context.taskId(),
                "readings-ended", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V value = record.value();
        if (record.key() == null || value == null) {
            return;
        }
        EndedMonitoring patient = ended.get(record.key());
        if (patient != null && patient.covers(deviceId.apply(value), receivedAt.apply(value))) {
            dropped.record();
            return;
        }
        context.forward(record);
    }
}
