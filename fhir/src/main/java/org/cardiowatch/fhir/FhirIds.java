package org.cardiowatch.fhir;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Resource ids derived from what the resource is, so writing the same reading twice (a redelivery,
 * a retried push) writes the same resource: a PUT by id is idempotent, a POST would double it.
 */
public final class FhirIds {

    /** Where CardioWatch's own identifiers and codes live. */
    public static final String BASE = "https://cardiowatch.org/fhir";
    public static final String PATIENT_ID_SYSTEM = BASE + "/patient-id";
    public static final String DEVICE_ID_SYSTEM = BASE + "/device-id";
    public static final String ALERT_KIND_SYSTEM = BASE + "/CodeSystem/alert-kind";
    public static final String ALERT_ACTION_SYSTEM = BASE + "/CodeSystem/alert-action";

    private FhirIds() {
    }

    /** A UUID from the parts (name-based, version 3): the same parts give the same id. */
    public static String of(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A FHIR id for a CardioWatch id: FHIR allows [A-Za-z0-9\-.]{1,64}; other characters become '-'. */
    public static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9.-]", "-");
        return cleaned.length() <= 64 ? cleaned : of(id);
    }
}
