package org.cardiowatch.processor.detection;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertState;

/** Turns a finding into the alert lifecycle event published on cw.alerts. */
public final class AlertFactory {

    private AlertFactory() {
    }

    /**
     * The alert id is derived from patient, kind and onset, so every event of one episode carries
     * the same id, and reprocessing after a restart produces the same id rather than a new alert.
     */
    public static String alertId(String patientId, Finding finding) {
        String episode = patientId + "|" + finding.kind() + "|" + finding.onset().toEpochMilli();
        return UUID.nameUUIDFromBytes(episode.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static Alert toAlert(String patientId, PatientFinding change) {
        Finding finding = change.finding();
        AlertEvidence.Builder evidence = AlertEvidence.newBuilder()
                .setSummary(finding.summary())
                .setMeasure(finding.measure())
                .setThreshold(finding.threshold())
                .setLastValue(finding.lastValue())
                .setWorstValue(finding.worstValue())
                .setWorstAt(finding.worstValue() == null ? null : change.worstAt())
                .setDeviceId(change.deviceId())
                .setSources(change.sources())
                .setResolution(change.resolution());
        BeatEvidence beats = finding.beats();
        if (beats != null) {
            evidence.setRateBpm(beats.rateBpm()).setIrregularity(beats.irregularity()).setBeatsFrom(beats.from())
                    .setBeatsTo(beats.to()).setBeatCount(beats.count());
        }
        return Alert.newBuilder()
                .setAlertId(alertId(patientId, finding))
                .setPatientId(patientId)
                .setKind(finding.kind())
                .setSeverity(finding.severity())
                .setState(finding.state())
                .setOpenedAt(finding.onset())
                .setUpdatedAt(finding.at())
                .setResolvedAt(finding.state() == AlertState.RESOLVED ? finding.at() : null)
                .setEvidence(evidence.build())
                .build();
    }
}
