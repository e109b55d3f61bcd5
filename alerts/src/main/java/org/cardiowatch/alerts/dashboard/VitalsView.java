package org.cardiowatch.alerts.dashboard;

import java.time.Instant;
import java.util.List;
import org.cardiowatch.schemas.avro.VitalSigns;

/** One reading for the recent-vitals view. */
public record VitalsView(Instant measuredAt, String deviceId, Float heartRateBpm, List<Integer> rrIntervalsMs,
        Float spo2Percent, Float systolicMmHg, Float diastolicMmHg) {

    static VitalsView of(VitalSigns reading) {
        return new VitalsView(reading.getMeasuredAt(), reading.getDeviceId(), reading.getHeartRateBpm(),
                reading.getRrIntervalsMs(), reading.getSpo2Percent(), reading.getSystolicMmHg(),
                reading.getDiastolicMmHg());
    }
}
