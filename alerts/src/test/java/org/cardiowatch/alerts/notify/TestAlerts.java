package org.cardiowatch.alerts.notify;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Patients and alerts for the notification tests, written to the test's Kafka as the admin API and
 * the stream processor would. Every patient's name starts "Paged ", every id "p-notify-", and every
 * alert's worst value is {@value #WORST_VALUE}: a message that names a patient is easy to find.
 */
public final class TestAlerts {

    public static final String NAME_PREFIX = "Paged ";
    public static final String ID_PREFIX = "p-notify-";
    public static final double WORST_VALUE = 148.0;
    public static final String EVIDENCE = "the test's evidence";
    private static final AtomicInteger IDS = new AtomicInteger();

    private TestAlerts() {
    }

    /** A new patient with this care team (backup may be null). */
    public static String patient(String treating, String backup) {
        return patientOfTeam(treating, backup, null);
    }

    /** A new patient with this care team, of this team (whose notification policy applies; null: the hospital's). */
    public static String patientOfTeam(String treating, String backup, String team) {
        String id = ID_PREFIX + IDS.incrementAndGet();
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, id, Patient.newBuilder().setPatientId(id)
                .setDisplayName(NAME_PREFIX + id).build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, id, CareTeam.newBuilder().setPatientId(id)
                .setTreatingPhysician(treating).setBackupPhysician(backup).setTeam(team).build());
        return id;
    }

    /** Raises an open alert of the patient, as the stream processor would; returns its id. */
    public static String raise(String patient, AlertSeverity severity, AlertKind kind) {
        String alertId = UUID.nameUUIDFromBytes(("test|" + patient + "|" + kind).getBytes()).toString();
        Instant at = Instant.now();
        KafkaWithUsersResource.writer().write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId(alertId)
                .setPatientId(patient).setKind(kind).setSeverity(severity).setState(AlertState.OPEN)
                .setOpenedAt(at).setUpdatedAt(at).setEvidence(AlertEvidence.newBuilder()
                        .setSummary(EVIDENCE).setWorstValue(WORST_VALUE).build()).build());
        return alertId;
    }
}
