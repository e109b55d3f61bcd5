package org.cardiowatch.fhir;

import java.time.Instant;
import java.util.Map;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Alerts as FHIR: the alert is a DetectedIssue (its kind coded in CardioWatch's code system and,
 * where one fits, SNOMED CT; its episode as the identified period; an acknowledgement as a
 * mitigation). Who was told and who acknowledged are Communications about it.
 */
public final class AlertResources {

    static final String SNOMED = "http://snomed.info/sct";
    /** SNOMED CT findings for the alert kinds that have an exact one. */
    private static final Map<AlertKind, Coding> SNOMED_FINDINGS = Map.of(
            AlertKind.ATRIAL_FIBRILLATION, new Coding(SNOMED, "49436004", "Atrial fibrillation"),
            AlertKind.BRADYCARDIA, new Coding(SNOMED, "48867003", "Bradycardia"),
            AlertKind.TACHYCARDIA, new Coding(SNOMED, "3424008", "Tachycardia"),
            AlertKind.VENTRICULAR_TACHYCARDIA, new Coding(SNOMED, "25569003", "Ventricular tachycardia"),
            AlertKind.LOW_SPO2, new Coding(SNOMED, "389087006", "Hypoxemia"));

    private AlertResources() {
    }

    /**
     * @param acknowledgedBy the clinician who acknowledged it, or null
     * @param acknowledgedAt when, or null
     */
    public static DetectedIssue detectedIssue(Alert alert, String acknowledgedBy, Instant acknowledgedAt) {
        DetectedIssue issue = new DetectedIssue();
        issue.setId(FhirIds.safe(alert.getAlertId()));
        issue.setStatus(alert.getState() == AlertState.RESOLVED ? DetectedIssue.DetectedIssueStatus.FINAL
                : DetectedIssue.DetectedIssueStatus.PRELIMINARY);
        CodeableConcept code = new CodeableConcept().addCoding(new Coding(FhirIds.ALERT_KIND_SYSTEM,
                alert.getKind().name(), alert.getKind().name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT)));
        if (SNOMED_FINDINGS.containsKey(alert.getKind())) {
            code.addCoding(SNOMED_FINDINGS.get(alert.getKind()).copy());
        }
        issue.setCode(code.setText(alert.getEvidence().getSummary()));
        issue.setSeverity(switch (alert.getSeverity()) {
            case CRITICAL -> DetectedIssue.DetectedIssueSeverity.HIGH;
            case WARNING -> DetectedIssue.DetectedIssueSeverity.MODERATE;
            default -> DetectedIssue.DetectedIssueSeverity.LOW;
        });
        issue.setPatient(new Reference("Patient/" + FhirIds.safe(alert.getPatientId())));
        Period episode = new Period().setStartElement(FhirTime.of(alert.getOpenedAt()));
        if (alert.getResolvedAt() != null) {
            episode.setEndElement(FhirTime.of(alert.getResolvedAt()));
        }
        issue.setIdentified(episode);
        issue.setDetail(alert.getEvidence().getSummary());
        if (alert.getEvidence().getDeviceId() != null) {
            issue.addImplicated(new Reference("Device/" + FhirIds.safe(alert.getEvidence().getDeviceId())));
        }
        if (acknowledgedBy != null) {
            issue.addMitigation().setAction(actionCode(AlertActionKind.ACKNOWLEDGED))
                    .setDateElement(FhirTime.of(acknowledgedAt)).setAuthor(practitioner(acknowledgedBy));
        }
        return issue;
    }

    /**
     * What someone did with an alert as a Communication about its DetectedIssue: an acknowledgement
     * is sent by the clinician; an escalation is sent to the backup physician.
     */
    public static Communication communication(AlertAction action) {
        Communication communication = new Communication();
        communication.setId(FhirIds.of("Communication", action.getAlertId(), action.getAction().name(),
                Long.toString(action.getAt().toEpochMilli())));
        communication.setStatus(Communication.CommunicationStatus.COMPLETED);
        communication.addCategory(actionCode(action.getAction()));
        communication.setSubject(new Reference("Patient/" + FhirIds.safe(action.getPatientId())));
        communication.addAbout(new Reference("DetectedIssue/" + FhirIds.safe(action.getAlertId())));
        communication.setSentElement(FhirTime.of(action.getAt()));
        if (action.getAction() == AlertActionKind.ESCALATED && action.getTarget() != null) {
            communication.addRecipient(practitioner(action.getTarget()));
            communication.addPayload().setContent(new StringType("Alert escalated: not acknowledged in time"));
        } else {
            communication.setSender(practitioner(action.getActor()));
            communication.addPayload().setContent(new StringType("Alert acknowledged"));
        }
        return communication;
    }

    private static CodeableConcept actionCode(AlertActionKind kind) {
        return new CodeableConcept().addCoding(new Coding(FhirIds.ALERT_ACTION_SYSTEM, kind.name(),
                kind.name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static Reference practitioner(String username) {
        return new Reference("Practitioner/" + FhirIds.safe(username)).setDisplay(username);
    }
}
