package org.cardiowatch.processor.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.EndedMonitoring;

/**
 * Drops a closed minute of an erased patient on its way out. The erasure deletes the patient's
 * open minutes, and with the store cache on (the default) the deletion also reaches the
 * suppression buffer where a closed minute waits; with the cache off it does not, and this step
 * is what keeps that minute from being produced.
 */
final class ErasedPatientFilter<V> implements FixedKeyProcessor<String, V, V> {

    private FixedKeyProcessorContext<String, V> context;
    private KeyValueStore<String, EndedMonitoring> ended;

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.ended = context.getStateStore(ProcessorTopology.ENDED_MONITORING_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        EndedMonitoring patient = record.key() == null ? null : ended.get(record.key());
        if (patient == null || !patient.isErased()) {
            context.forward(record);
        }
    }
}
