package org.cardiowatch.schemas.codes;

/**
 * The standard codes of each measurement CardioWatch carries, in one place: LOINC for the
 * observation (what FHIR's vital-signs profile asks for), UCUM for its unit, and the IEEE
 * 11073-10101 (MDC) term a medical device reports it with. Each field of {@code VitalSigns},
 * {@code VitalsMinute} and {@code EcgSegment} maps one to one to a constant here.
 */
public enum VitalSignCode {

    HEART_RATE("8867-4", "Heart rate", "/min", "beats/minute", "147842", "MDC_ECG_HEART_RATE"),
    /** Pulse oximetry; FHIR's oxygen-saturation profile also asks for the generic 2708-6. */
    OXYGEN_SATURATION("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "%", "150456",
            "MDC_PULS_OXIM_SAT_O2"),
    BLOOD_PRESSURE_PANEL("85354-9", "Blood pressure panel with all children optional", null, null, null, null),
    SYSTOLIC("8480-6", "Systolic blood pressure", "mm[Hg]", "mmHg", "150021", "MDC_PRESS_BLD_NONINV_SYS"),
    DIASTOLIC("8462-4", "Diastolic blood pressure", "mm[Hg]", "mmHg", "150022", "MDC_PRESS_BLD_NONINV_DIA"),
    /** A single-lead ECG waveform; lead I here, other leads by {@link #ecgLead(String)}. */
    ECG_LEAD_I(null, "ECG lead I", "uV", "microvolt", "131329", "MDC_ECG_ELEC_POTL_I");

    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    /** IEEE 11073-10101, as FHIR names the system. */
    public static final String MDC = "urn:iso:std:iso:11073:10101";
    /** LOINC's generic oxygen saturation, which FHIR R4's oxygen-saturation profile requires beside 59408-5. */
    public static final String LOINC_OXYGEN_SATURATION_GENERIC = "2708-6";

    private final String loinc;
    private final String display;
    private final String ucum;
    private final String unitDisplay;
    private final String mdcCode;
    private final String mdcReference;

    VitalSignCode(String loinc, String display, String ucum, String unitDisplay, String mdcCode, String mdcReference) {
        this.loinc = loinc;
        this.display = display;
        this.ucum = ucum;
        this.unitDisplay = unitDisplay;
        this.mdcCode = mdcCode;
        this.mdcReference = mdcReference;
    }

    /** The LOINC code; null for the ECG waveform, which LOINC does not code per lead. */
    public String loinc() {
        return loinc;
    }

    public String display() {
        return display;
    }

    /** The UCUM unit code; null for the blood-pressure panel, which has no value of its own. */
    public String ucum() {
        return ucum;
    }

    public String unitDisplay() {
        return unitDisplay;
    }

    /** The IEEE 11073-10101 code (the numeric term code); null for the panel. */
    public String mdcCode() {
        return mdcCode;
    }

    /** The IEEE 11073-10101 reference id, such as MDC_ECG_HEART_RATE. */
    public String mdcReference() {
        return mdcReference;
    }

    /** The MDC code of an ECG lead by name (I, II, III, V1 … V6); lead I for a name it does not know. */
    public static String ecgLead(String lead) {
        return switch (lead == null ? "" : lead.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "II" -> "131330";
            case "III" -> "131389";
            case "V1" -> "131331";
            case "V2" -> "131332";
            case "V3" -> "131333";
            case "V4" -> "131334";
            case "V5" -> "131335";
            case "V6" -> "131336";
            default -> ECG_LEAD_I.mdcCode;
        };
    }
}
