package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.VitalSigns;

/**
 * The beats a wearable reports as RR intervals. A reading carries the intervals since the
 * previous reading, oldest first; the last one ends at the measurement time.
 */
final class DeviceRrBeats {

    private DeviceRrBeats() {
    }

    static List<Beat> of(VitalSigns reading) {
        List<Integer> rr = reading.getRrIntervalsMs();
        List<Beat> beats = new ArrayList<>(rr.size());
        long at = reading.getMeasuredAt().toEpochMilli();
        for (int i = rr.size() - 1; i >= 0; i--) {
            beats.add(0, Beat.newBuilder().setPatientId(reading.getPatientId()).setDeviceId(reading.getDeviceId())
                    .setSource(BeatSource.DEVICE_RR).setRPeakAt(Instant.ofEpochMilli(at)).setRrMillis(rr.get(i)).build());
            at -= rr.get(i);
        }
        return beats;
    }
}
