package org.cardiowatch.processor.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * Event time is the device's measurement time, not the time of arrival: a reading that a device
 * buffered while offline lands in the minute it was measured.
 */
public final class DeviceTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof VitalSigns vitals) {
            return vitals.getMeasuredAt().toEpochMilli();
        }
        if (record.value() instanceof EcgSegment ecg) {
            return ecg.getStartedAt().toEpochMilli();
        }
        return record.timestamp();
    }
}
