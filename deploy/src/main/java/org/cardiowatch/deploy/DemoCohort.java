package org.cardiowatch.deploy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.wire.DeviceKeyVault;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.patient.Episode;
import org.cardiowatch.simulator.patient.Episode.Kind;

/**
 * The demo's patients, their care teams and devices. Episodes start within the first minutes and
 * repeat every ten minutes, so a demo shows alerts early and keeps showing them.
 */
final class DemoCohort {

    static final Duration CYCLE = Duration.ofMinutes(10);

    /** One demo patient and the device they wear. */
    record DemoPatient(String patientId, String name, String physician, String backup, double restingRate,
            boolean ecg, List<Episode> episodes, String deviceId, byte[] key) {
    }

    private DemoCohort() {
    }

    static List<DemoPatient> patients() {
        SecureRandom random = new SecureRandom();
        List<DemoPatient> patients = new ArrayList<>();
        patients.add(patient("p-1001", "Ada Byrne", "cardio1", "cardio2", 72, true,
                List.of(episode(Kind.TACHYCARDIA, 20, 180)), random));
        patients.add(patient("p-1002", "Bruno Costa", "cardio1", "cardio2", 64, true,
                List.of(episode(Kind.DESATURATION, 60, 150)), random));
        patients.add(patient("p-1003", "Chiara Dietz", "cardio1", "cardio2", 80, false,
                List.of(episode(Kind.ATRIAL_FIBRILLATION, 100, 240)), random));
        patients.add(patient("p-2001", "Dmitri Egan", "cardio2", "cardio1", 58, false,
                List.of(episode(Kind.BRADYCARDIA, 40, 150)), random));
        patients.add(patient("p-2002", "Elif Farouk", "cardio2", "cardio1", 75, false,
                List.of(episode(Kind.SILENCE, 90, 150)), random));
        patients.add(patient("p-2003", "Fatima Gallo", "cardio2", "cardio1", 68, true,
                List.of(episode(Kind.HYPERTENSION, 120, 120)), random));
        return patients;
    }

    /** Writes patients, care teams, consents and devices (fresh payload keys on every start). */
    static void enrol(TopicWriter writer, List<DemoPatient> patients, DeviceKeyVault deviceKeys) {
        for (DemoPatient p : patients) {
            writer.write(Topics.PATIENTS, p.patientId(), Patient.newBuilder().setPatientId(p.patientId())
                    .setDisplayName(p.name()).build());
            writer.write(Topics.CARE_TEAMS, p.patientId(), CareTeam.newBuilder().setPatientId(p.patientId())
                    .setTreatingPhysician(p.physician()).setBackupPhysician(p.backup()).build());
            writer.write(Topics.CONSENTS, p.patientId(), Consent.newBuilder().setPatientId(p.patientId())
                    .setStatus(ConsentStatus.ACTIVE).setRecordedBy("local-stack").setRecordedAt(Instant.now()).build());
            writer.write(Topics.DEVICES, p.deviceId(), Device.newBuilder().setDeviceId(p.deviceId())
                    .setPatientId(p.patientId()).setStatus(DeviceStatus.ACTIVE).setPayloadKey(ByteBuffer.wrap(deviceKeys.seal(p.deviceId(), p.key())))
                    .setModel(p.ecg() ? "simulated chest ECG patch" : "simulated wrist wearable")
                    .setEnrolledAt(Instant.now()).build());
        }
    }

    private static DemoPatient patient(String id, String name, String physician, String backup, double rate,
            boolean ecg, List<Episode> episodes, SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new DemoPatient(id, name, physician, backup, rate, ecg, episodes, "dev-" + id.substring(2), key);
    }

    private static Episode episode(Kind kind, int fromSecond, int seconds) {
        return new Episode(kind, Duration.ofSeconds(fromSecond), Duration.ofSeconds(seconds));
    }
}
