package org.cardiowatch.fhir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.cardiowatch.schemas.codes.VitalSignCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The share of a patient's ECG beats that were ventricular (PVC burden) or supraventricular (SVEB
 * burden) ectopic beats over a period, as an Observation in percent with the two counts it is made
 * of as components.
 *
 * <p>Neither LOINC nor SNOMED CT has an observable for an ectopic beat burden that we could find
 * (SNOMED CT's 251175005 |Ventricular premature contraction| is the finding, not its quantity), so
 * the code is CardioWatch's own, in {@value #SYSTEM}, with a text a receiving system can show.
 */
public final class EctopicBurdenObservations {

    public static final String SYSTEM = FhirIds.BASE + "/CodeSystem/rhythm-measure";

    /** Which ectopic beats a burden counts. */
    public enum Ectopy {
        VENTRICULAR("ventricular-ectopic-burden", "Ventricular ectopic beat (PVC) burden", "ventricular-ectopic-beats",
                "Ventricular ectopic beats (AAMI class V)"),
        SUPRAVENTRICULAR("supraventricular-ectopic-burden", "Supraventricular ectopic beat (SVEB) burden",
                "supraventricular-ectopic-beats", "Supraventricular ectopic beats (AAMI class S)");

        final String code;
        final String display;
        final String countCode;
        final String countDisplay;

        Ectopy(String code, String display, String countCode, String countDisplay) {
            this.code = code;
            this.display = display;
            this.countCode = countCode;
            this.countDisplay = countDisplay;
        }
    }

    private EctopicBurdenObservations() {
    }

    /**
     * @param classifiedBeats the beats found in the patient's ECG over the period and given a class (more than 0)
     * @param ectopicBeats those of them of the given kind
     */
    public static Observation of(String patientId, Instant from, Instant to, Ectopy ectopy, long classifiedBeats,
            long ectopicBeats) {
        if (classifiedBeats <= 0 || ectopicBeats < 0 || ectopicBeats > classifiedBeats) {
            throw new IllegalArgumentException("A burden needs classified beats and at most as many ectopic ones");
        }
        Observation o = new Observation();
        o.setId(FhirIds.of("Observation", patientId, ectopy.code, Long.toString(from.toEpochMilli()),
                Long.toString(to.toEpochMilli())));
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory().addCoding(new Coding(VitalSignsObservations.VITAL_SIGNS_CATEGORY, "procedure", "Procedure"));
        o.setCode(new CodeableConcept().addCoding(new Coding(SYSTEM, ectopy.code, ectopy.display)).setText(ectopy.display));
        o.setSubject(new Reference("Patient/" + FhirIds.safe(patientId)));
        o.setEffective(new Period().setStartElement(FhirTime.of(from)).setEndElement(FhirTime.of(to)));
        o.setMethod(new CodeableConcept().setText(
                "Beats detected and classified from single-lead ECG by CardioWatch's streaming classifier (ANSI/AAMI EC57 classes)"));
        BigDecimal percent = BigDecimal.valueOf(ectopicBeats * 100.0 / classifiedBeats).setScale(1, RoundingMode.HALF_UP);
        o.setValue(new Quantity().setValue(percent).setUnit("%").setSystem(VitalSignCode.UCUM).setCode("%"));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding(SYSTEM, "classified-beats",
                "Beats classified from the ECG"))).setValue(beats(classifiedBeats));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding(SYSTEM, ectopy.countCode,
                ectopy.countDisplay))).setValue(beats(ectopicBeats));
        return o;
    }

    private static Quantity beats(long count) {
        return new Quantity().setValue(count).setUnit("beats").setSystem(VitalSignCode.UCUM).setCode("{beats}");
    }
}
