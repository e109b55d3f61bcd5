package org.cardiowatch.processor.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * Event time is the device's measurement time, not the time of arrival: a reading that a device
 * buffered while offline lands in the minute it was measured. But never later than the ingest
 * received it: the ingest accepts clocks up to 5 minutes fast, and a fast device's time would
 * otherwise move the stream time of its whole task ahead, closing the other patients' minutes
 * (30 s of grace) before their readings arrive.
 */
public final class DeviceTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof VitalSigns vitals) {
            return Math.min(vitals.getMeasuredAt().toEpochMilli(), vitals.getReceivedAt().toEpochMilli());
        }
        if (record.value() instanceof EcgSegment ecg) {
            return Math.min(ecg.getStartedAt().toEpochMilli(), ecg.getReceivedAt().toEpochMilli());
        }
        return record.timestamp();
    }
}
