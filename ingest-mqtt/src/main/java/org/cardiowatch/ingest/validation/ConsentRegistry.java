package org.cardiowatch.ingest.validation;

/** Whether a patient's consent to remote monitoring is active, as last written to cw.consents. */
@FunctionalInterface
public interface ConsentRegistry {

    boolean hasActiveConsent(String patientId);
}
