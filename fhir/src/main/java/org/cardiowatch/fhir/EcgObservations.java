package org.cardiowatch.fhir;

import java.math.BigDecimal;
import java.util.stream.Collectors;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.codes.VitalSignCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;

/**
 * An ECG segment as a FHIR Observation with SampledData, coded by its lead's IEEE 11073 term
 * (as FHIR's own ECG example does): samples in microvolts, one every 1000/rate ms.
 */
public final class EcgObservations {

    private EcgObservations() {
    }

    public static Observation of(EcgSegment segment) {
        Observation o = new Observation();
        o.setId(FhirIds.of("Observation", segment.getPatientId(), segment.getDeviceId(), "ECG",
                Long.toString(segment.getStartedAt().toEpochMilli())));
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory().addCoding(new Coding(VitalSignsObservations.VITAL_SIGNS_CATEGORY, "procedure", "Procedure"));
        String lead = segment.getLead();
        o.setCode(new CodeableConcept().addCoding(new Coding(VitalSignCode.MDC, VitalSignCode.ecgLead(lead),
                "MDC_ECG_ELEC_POTL_" + lead)).setText("ECG lead " + lead));
        o.setSubject(new Reference("Patient/" + FhirIds.safe(segment.getPatientId())));
        o.setDevice(new Reference("Device/" + FhirIds.safe(segment.getDeviceId())));
        o.setEffective(FhirTime.of(segment.getStartedAt()));
        SampledData samples = new SampledData()
                .setOrigin(new Quantity().setValue(0).setUnit("microvolt").setSystem(VitalSignCode.UCUM).setCode("uV"))
                .setPeriod(BigDecimal.valueOf(1000.0 / segment.getSampleRateHz()))
                .setFactor(BigDecimal.ONE)
                .setDimensions(1)
                .setData(segment.getSamplesMicroVolts().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        o.setValue(samples);
        return o;
    }
}
