package org.cardiowatch.alerts.admin;

import java.util.List;

/** The bodies the admin API accepts. Absent optional fields are null. */
public final class AdminRequests {

    private AdminRequests() {
    }

    /** @param payloadKey Base64 of 32 bytes; the service generates one when absent */
    public record DeviceEnrolment(String deviceId, String patientId, String model, String payloadKey) {
    }

    public record PatientDetails(String displayName, Integer birthYear) {
    }

    /** @param team the team whose notification policy applies (a ward, a service); none: the hospital's */
    public record CareTeamMembers(String treatingPhysician, String backupPhysician, List<String> nurses, String team) {
    }

    public record ThresholdLimits(Double heartRateLowBpm, Double heartRateHighBpm, Double spo2LowPercent,
            Double systolicHighMmHg, Double systolicLowMmHg, Integer sustainSeconds, Double frequentPvcPercent) {
    }

    /** What a discharge did: the devices it revoked. */
    public record Discharge(String patientId, List<String> devicesRevoked) {
    }

    /** @param status ACTIVE or WITHDRAWN */
    public record ConsentDecision(String status) {
    }

    /**
     * What enrolment answers: the key and the certificate are shown once, to be installed on the device.
     *
     * @param clientKeyStore the device's client certificate and private key, PKCS12 in Base64,
     *     when this service issues device certificates; null otherwise (the hospital's PKI does)
     */
    public record EnrolledDevice(String deviceId, String patientId, String status, String payloadKey,
            String clientKeyStore, String clientKeyStorePassword) {
    }
}
