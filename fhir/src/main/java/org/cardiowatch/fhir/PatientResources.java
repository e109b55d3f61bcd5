package org.cardiowatch.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/** A monitored patient as a FHIR Patient: CardioWatch's id and the display name, nothing more. */
public final class PatientResources {

    private PatientResources() {
    }

    public static Patient of(org.cardiowatch.schemas.avro.Patient patient) {
        Patient fhir = new Patient();
        fhir.setId(FhirIds.safe(patient.getPatientId()));
        fhir.addIdentifier(new Identifier().setSystem(FhirIds.PATIENT_ID_SYSTEM).setValue(patient.getPatientId()));
        fhir.setActive(true);
        fhir.addName().setText(patient.getDisplayName());
        return fhir;
    }
}
