package org.cardiowatch.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.simulator.patient.VirtualPatient;

/**
 * The load benchmark's devices as a hospital's monitoring programme has them: wrist wearables
 * sending vitals with the RR intervals of each beat, several readings a second, and chest patches
 * sending a one-second ECG segment at 250 Hz every second, so QRS detection, beat classification
 * and rhythm analysis carry their share of the load. Each device is a resting virtual patient
 * (the local stack's simulator), so its beats and ECG tell one regular rhythm.
 */
final class BenchFleet implements AutoCloseable {

    static final Duration ECG_SEGMENT = Duration.ofSeconds(1);

    /** One device and the patient whose heart it measures. */
    record Member(BenchDevice device, VirtualPatient patient) {
    }

    private final List<Member> wearables;
    private final List<Member> patches;

    private BenchFleet(List<Member> wearables, List<Member> patches) {
        this.wearables = wearables;
        this.patches = patches;
    }

    /** Connects every device, spread over the broker set; each measures its own virtual patient's heart from {@code start}. */
    static BenchFleet connect(List<String> uris, LocalBrokers brokers, List<DemoCohort.DemoPatient> patients,
            Instant start) throws InterruptedException {
        List<BenchDevice> devices = BenchDevice.connectAll(uris, brokers, patients);
        List<Member> wearables = new ArrayList<>();
        List<Member> patches = new ArrayList<>();
        for (int i = 0; i < patients.size(); i++) {
            DemoCohort.DemoPatient p = patients.get(i);
            VirtualPatient heart = new VirtualPatient(p.patientId(), p.restingRate(), List.of(), Duration.ofHours(1),
                    p.ecg(), i, start);
            (p.ecg() ? patches : wearables).add(new Member(devices.get(i), heart));
        }
        return new BenchFleet(List.copyOf(wearables), List.copyOf(patches));
    }

    List<Member> wearables() {
        return wearables;
    }

    List<Member> patches() {
        return patches;
    }

    /** The wearable's reading now, with the beats since its last one; {@code heartRate} overrides the rate it reports. */
    static DeviceVitals reading(Member wearable, Instant now, Float heartRate) {
        DeviceVitals reading = wearable.patient().readingAt(now).orElseThrow();
        if (heartRate != null) {
            reading.setHeartRateBpm(heartRate);
        }
        return reading;
    }

    /** The patch's ECG of the second that ended now. */
    static DeviceEcg segment(Member patch, Instant now) {
        // The patient's heart must have beaten up to the segment's end before it is drawn.
        patch.patient().readingAt(now);
        return patch.patient().ecgSegment(now.minus(ECG_SEGMENT), ECG_SEGMENT);
    }

    /** Publishes the clients or the broker failed, on every device. */
    long failed() {
        return all().stream().mapToLong(m -> m.device().failed()).sum();
    }

    private List<Member> all() {
        List<Member> all = new ArrayList<>(wearables);
        all.addAll(patches);
        return all;
    }

    @Override
    public void close() {
        BenchDevice.closeAll(all().stream().map(Member::device).toList());
    }
}
