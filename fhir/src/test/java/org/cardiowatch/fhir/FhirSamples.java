package org.cardiowatch.fhir;

import java.time.Instant;
import java.util.List;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;

/** Records as the pipeline writes them, for the FHIR tests. */
final class FhirSamples {

    static final Instant AT = Instant.parse("2026-11-26T08:15:30.250Z");

    private FhirSamples() {
    }

    static VitalSigns reading() {
        return VitalSigns.newBuilder().setPatientId("p-1001").setDeviceId("dev-1001").setSequence(42).setMeasuredAt(AT)
                .setReceivedAt(AT.plusMillis(80)).setHeartRateBpm(72.5f).setSpo2Percent(97.3f).setSystolicMmHg(128f)
                .setDiastolicMmHg(81f).build();
    }

    static VitalsMinute minute() {
        return VitalsMinute.newBuilder().setPatientId("p-1001").setMinuteStart(Instant.parse("2026-11-26T08:15:00Z"))
                .setReadings(60).setHeartRateMin(70.0).setHeartRateMean(72.4).setHeartRateMax(75.0).setSpo2Min(96.0)
                .setSpo2Mean(97.1).setSystolicMean(127.0).setDiastolicMean(80.5).build();
    }

    static EcgSegment ecg() {
        return EcgSegment.newBuilder().setPatientId("p-1001").setDeviceId("dev-1001").setSequence(43).setStartedAt(AT)
                .setReceivedAt(AT).setSampleRateHz(250).setLead("II").setSamplesMicroVolts(List.of(0, 15, 1100, -250, 30))
                .build();
    }

    static Alert alert(AlertKind kind, AlertState state) {
        return Alert.newBuilder().setAlertId("alert-" + kind).setPatientId("p-1001").setKind(kind)
                .setSeverity(AlertSeverity.CRITICAL).setState(state).setOpenedAt(AT).setUpdatedAt(AT.plusSeconds(60))
                .setResolvedAt(state == AlertState.RESOLVED ? AT.plusSeconds(600) : null)
                .setEvidence(AlertEvidence.newBuilder().setSummary(kind + " for 60 s").setDeviceId("dev-1001").build())
                .build();
    }

    static AlertAction action(AlertActionKind kind) {
        return AlertAction.newBuilder().setAlertId("alert-1").setPatientId("p-1001").setAction(kind).setActor(
                kind == AlertActionKind.ESCALATED ? "escalation-policy" : "cardio1")
                .setTarget(kind == AlertActionKind.ESCALATED ? "cardio2" : null).setAt(AT.plusSeconds(120)).build();
    }
}
