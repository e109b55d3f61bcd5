package org.cardiowatch.fhir;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.codes.VitalSignCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Readings as FHIR R4 Observations following the vital-signs profiles (heart rate, oxygen
 * saturation, blood pressure): LOINC codes with their IEEE 11073 equivalents, UCUM units.
 * A reading with several measurements gives one Observation per measurement; systolic and
 * diastolic together give one blood-pressure panel.
 */
public final class VitalSignsObservations {

    static final String VITAL_SIGNS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String HEART_RATE_PROFILE = "http://hl7.org/fhir/StructureDefinition/heartrate";
    static final String OXYGEN_SATURATION_PROFILE = "http://hl7.org/fhir/StructureDefinition/oxygensat";
    static final String BLOOD_PRESSURE_PROFILE = "http://hl7.org/fhir/StructureDefinition/bp";

    private VitalSignsObservations() {
    }

    /** One device reading, timed at its measurement, with the device that took it. */
    public static List<Observation> of(VitalSigns reading) {
        return observations(reading.getPatientId(), reading.getDeviceId(), reading.getMeasuredAt(), null,
                toDouble(reading.getHeartRateBpm()), toDouble(reading.getSpo2Percent()),
                toDouble(reading.getSystolicMmHg()), toDouble(reading.getDiastolicMmHg()));
    }

    /**
     * A minute's means, timed at the minute's start with a note that says so. (An effective period
     * would say it better, but HAPI's validator fails the vital-signs profile's vs-1 on a period.)
     */
    public static List<Observation> of(VitalsMinute minute) {
        List<Observation> observations = observations(minute.getPatientId(), null, minute.getMinuteStart(),
                "minute", minute.getHeartRateMean(), minute.getSpo2Mean(), minute.getSystolicMean(),
                minute.getDiastolicMean());
        observations.forEach(o -> o.addNote().setText("Mean of " + minute.getReadings()
                + " readings over the minute from " + minute.getMinuteStart()));
        return observations;
    }

    /** One reading as the history store keeps it; null for what it did not measure. */
    public static List<Observation> of(String patientId, String deviceId, Instant at, Double heartRate, Double spo2,
            Double systolic, Double diastolic) {
        return observations(patientId, deviceId, at, null, heartRate, spo2, systolic, diastolic);
    }

    /**
     * @param deviceId null for aggregates
     * @param aggregate null for one reading; what the values aggregate ("minute") otherwise
     */
    static List<Observation> observations(String patientId, String deviceId, Instant at, String aggregate,
            Double heartRate, Double spo2, Double systolic, Double diastolic) {
        List<Observation> observations = new ArrayList<>();
        String when = at.toEpochMilli() + (aggregate == null ? "" : "-" + aggregate);
        if (heartRate != null) {
            Observation o = base(patientId, deviceId, at, HEART_RATE_PROFILE, VitalSignCode.HEART_RATE, when);
            o.setValue(quantity(heartRate, VitalSignCode.HEART_RATE));
            observations.add(o);
        }
        if (spo2 != null) {
            Observation o = base(patientId, deviceId, at, OXYGEN_SATURATION_PROFILE,
                    VitalSignCode.OXYGEN_SATURATION, when);
            o.getCode().addCoding(new Coding(VitalSignCode.LOINC, VitalSignCode.LOINC_OXYGEN_SATURATION_GENERIC,
                    "Oxygen saturation in Arterial blood"));
            o.setValue(quantity(spo2, VitalSignCode.OXYGEN_SATURATION));
            observations.add(o);
        }
        if (systolic != null && diastolic != null) {
            Observation o = base(patientId, deviceId, at, BLOOD_PRESSURE_PROFILE,
                    VitalSignCode.BLOOD_PRESSURE_PANEL, when);
            o.addComponent().setCode(code(VitalSignCode.SYSTOLIC)).setValue(quantity(systolic, VitalSignCode.SYSTOLIC));
            o.addComponent().setCode(code(VitalSignCode.DIASTOLIC)).setValue(quantity(diastolic, VitalSignCode.DIASTOLIC));
            observations.add(o);
        }
        return observations;
    }

    private static Observation base(String patientId, String deviceId, Instant at, String profile,
            VitalSignCode code, String when) {
        Observation o = new Observation();
        o.setId(FhirIds.of("Observation", patientId, deviceId == null ? "" : deviceId, code.name(), when));
        o.getMeta().addProfile(profile);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory().addCoding(new Coding(VITAL_SIGNS_CATEGORY, "vital-signs", "Vital Signs"));
        o.setCode(code(code));
        o.setSubject(new Reference("Patient/" + FhirIds.safe(patientId)));
        o.setEffective(FhirTime.of(at));
        if (deviceId != null) {
            o.setDevice(new Reference("Device/" + FhirIds.safe(deviceId)));
        }
        return o;
    }

    static CodeableConcept code(VitalSignCode code) {
        CodeableConcept concept = new CodeableConcept().addCoding(new Coding(VitalSignCode.LOINC, code.loinc(),
                code.display()));
        if (code.mdcCode() != null) {
            concept.addCoding(new Coding(VitalSignCode.MDC, code.mdcCode(), code.mdcReference()));
        }
        return concept.setText(code.display());
    }

    private static Quantity quantity(double value, VitalSignCode code) {
        return new Quantity().setValue(BigDecimal.valueOf(value)).setUnit(code.unitDisplay()).setSystem(VitalSignCode.UCUM)
                .setCode(code.ucum());
    }

    /** The float as written (97.3, not 97.30000305), which is what the device meant. */
    private static Double toDouble(Float value) {
        return value == null ? null : Double.valueOf(Float.toString(value));
    }
}
