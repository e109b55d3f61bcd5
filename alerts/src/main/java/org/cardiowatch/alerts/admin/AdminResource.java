package org.cardiowatch.alerts.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/**
 * Reference data, written to the compacted topics that every service reads. Admins only; the
 * answers never carry vitals. Each write is confirmed by Kafka before the call returns.
 */
@Path("/api/admin")
@RolesAllowed("admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NAME = 200;
    private static final int MAX_MODEL = 100;
    private static final int MAX_NURSES = 50;

    private final AlertsRuntime runtime;
    private final SecurityIdentity identity;
    private final AuditLog audit;
    private final DataSubjectRights dataSubjectRights;

    AdminResource(AlertsRuntime runtime, SecurityIdentity identity, AuditLog audit, DataSubjectRights dataSubjectRights) {
        this.runtime = runtime;
        this.identity = identity;
        this.audit = audit;
        this.dataSubjectRights = dataSubjectRights;
    }

    /** Everything CardioWatch holds about a patient, one JSON object per line (the right of access). */
    @GET
    @Path("/patients/{patientId}/export")
    @Produces("application/x-ndjson")
    public StreamingOutput exportPatient(@PathParam("patientId") String patientId) {
        requireId(patientId, "patientId");
        audited("admin.patient.export", patientId, "/api/admin/patients/" + patientId + "/export");
        return out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            dataSubjectRights.export(patientId, writer);
            writer.flush();
        };
    }

    /** Erases a patient's data (the right to erasure); the answer says what was erased and what ages out. */
    @DELETE
    @Path("/patients/{patientId}")
    public DataSubjectRights.Erasure erasePatient(@PathParam("patientId") String patientId) {
        requireId(patientId, "patientId");
        audited("admin.patient.erase", patientId, "/api/admin/patients/" + patientId);
        return dataSubjectRights.erase(patientId, identity.getPrincipal().getName());
    }

    @POST
    @Path("/devices")
    public AdminRequests.EnrolledDevice enrol(AdminRequests.DeviceEnrolment request) {
        require(request != null, "body required");
        require(DeviceTopic.isValidDeviceId(request.deviceId()), "deviceId: 1 to 64 characters of A-Z a-z 0-9 . _ -");
        requireId(request.patientId(), "patientId");
        require(request.model() == null || isPlainText(request.model(), MAX_MODEL),
                "model: at most " + MAX_MODEL + " characters, no control characters");
        byte[] key = request.payloadKey() == null ? newKey() : decodeKey(request.payloadKey());
        audited("admin.device.enrol", request.patientId(), "/api/admin/devices/" + request.deviceId());
        runtime.writer().write(Topics.DEVICES, request.deviceId(), Device.newBuilder()
                .setDeviceId(request.deviceId()).setPatientId(request.patientId()).setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(runtime.deviceKeys().seal(request.deviceId(), key))).setModel(request.model()).setEnrolledAt(Instant.now()).build());
        String storePassword = null;
        String clientKeyStore = null;
        if (runtime.deviceCa().isPresent()) {
            storePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(newKey()).substring(0, 24);
            clientKeyStore = Base64.getEncoder().encodeToString(runtime.deviceCa().get().issueClientKeyStore(
                    request.deviceId(), LocalCertificateAuthority.ClientKind.DEVICE, storePassword.toCharArray()));
        }
        return new AdminRequests.EnrolledDevice(request.deviceId(), request.patientId(), DeviceStatus.ACTIVE.name(),
                Base64.getEncoder().encodeToString(key), clientKeyStore, storePassword);
    }

    @POST
    @Path("/devices/{deviceId}/revoke")
    @Consumes(MediaType.WILDCARD) // no body: whatever content type a client sends with nothing
    public AdminRequests.EnrolledDevice revoke(@PathParam("deviceId") String deviceId) {
        Device device = runtime.devices().get(deviceId).orElseThrow(() -> new NotFoundException("No such device"));
        audited("admin.device.revoke", device.getPatientId(), "/api/admin/devices/" + deviceId + "/revoke");
        revokeDevice(device);
        endMonitoring(device.getPatientId(), deviceId, MonitoringEndReason.DEVICE_REVOKED);
        return new AdminRequests.EnrolledDevice(deviceId, device.getPatientId(), DeviceStatus.REVOKED.name(), null,
                null, null);
    }

    /**
     * Ends a patient's monitoring (discharge): every device of theirs is revoked, and their open
     * alerts resolve with that reason. Their records stay (history, reviews); monitoring starts again
     * with a new enrolment.
     */
    @POST
    @Path("/patients/{patientId}/discharge")
    @Consumes(MediaType.WILDCARD) // no body
    public AdminRequests.Discharge discharge(@PathParam("patientId") String patientId) {
        requireId(patientId, "patientId");
        audited("admin.patient.discharge", patientId, "/api/admin/patients/" + patientId + "/discharge");
        List<String> revoked = new ArrayList<>();
        for (Device device : runtime.devices().snapshot().values()) {
            if (patientId.equals(device.getPatientId()) && device.getStatus() == DeviceStatus.ACTIVE) {
                revokeDevice(device);
                revoked.add(device.getDeviceId());
            }
        }
        endMonitoring(patientId, null, MonitoringEndReason.DISCHARGED);
        return new AdminRequests.Discharge(patientId, revoked.stream().sorted().toList());
    }

    private void revokeDevice(Device device) {
        // Field by field rather than Device.newBuilder(device): Avro's deep copy resolves classes by name,
        // which under Quarkus's test class loaders picks a second DeviceStatus class.
        runtime.writer().write(Topics.DEVICES, device.getDeviceId(), Device.newBuilder()
                .setDeviceId(device.getDeviceId()).setPatientId(device.getPatientId()).setStatus(DeviceStatus.REVOKED)
                .setPayloadKey(device.getPayloadKey()).setModel(device.getModel()).setEnrolledAt(device.getEnrolledAt())
                .build());
    }

    /** Tells the stream processor: it resolves the open alerts and deletes the state of that source. */
    private void endMonitoring(String patientId, String deviceId, MonitoringEndReason reason) {
        runtime.writer().write(Topics.MONITORING_ENDS, patientId, MonitoringEnd.newBuilder().setPatientId(patientId)
                .setDeviceId(deviceId).setReason(reason).setEndedAt(Instant.now())
                .setRecordedBy(identity.getPrincipal().getName()).build());
    }

    @PUT
    @Path("/patients/{patientId}")
    public void putPatient(@PathParam("patientId") String patientId, AdminRequests.PatientDetails request) {
        requireId(patientId, "patientId");
        require(request != null && request.displayName() != null && !request.displayName().isBlank(),
                "displayName required");
        require(isPlainText(request.displayName(), MAX_NAME),
                "displayName: at most " + MAX_NAME + " characters, no control characters");
        require(request.birthYear() == null
                || (request.birthYear() >= 1900 && request.birthYear() <= java.time.Year.now().getValue()),
                "birthYear: from 1900 to this year");
        audited("admin.patient.put", patientId, "/api/admin/patients/" + patientId);
        runtime.writer().write(Topics.PATIENTS, patientId, Patient.newBuilder().setPatientId(patientId)
                .setDisplayName(request.displayName()).setBirthYear(request.birthYear()).build());
    }

    @PUT
    @Path("/care-teams/{patientId}")
    public void putCareTeam(@PathParam("patientId") String patientId, AdminRequests.CareTeamMembers request) {
        requireId(patientId, "patientId");
        require(request != null && isClinician(request.treatingPhysician(), Role.PHYSICIAN),
                "treatingPhysician must be a physician's user name");
        require(request.backupPhysician() == null || isClinician(request.backupPhysician(), Role.PHYSICIAN),
                "backupPhysician must be a physician's user name");
        List<String> nurses = request.nurses() == null ? List.of() : request.nurses();
        require(nurses.size() <= MAX_NURSES, "nurses: at most " + MAX_NURSES);
        require(nurses.stream().allMatch(nurse -> isClinician(nurse, Role.NURSE)), "nurses must be nurses' user names");
        require(request.team() == null || request.team().matches("[a-z0-9][a-z0-9-]{0,39}"),
                "team must be 1 to 40 lowercase letters, digits or dashes");
        audited("admin.care-team.put", patientId, "/api/admin/care-teams/" + patientId);
        runtime.writer().write(Topics.CARE_TEAMS, patientId, CareTeam.newBuilder().setPatientId(patientId)
                .setTreatingPhysician(request.treatingPhysician()).setBackupPhysician(request.backupPhysician())
                .setNurses(nurses).setTeam(request.team()).build());
    }

    @PUT
    @Path("/thresholds/{patientId}")
    public void putThresholds(@PathParam("patientId") String patientId, AdminRequests.ThresholdLimits request) {
        requireId(patientId, "patientId");
        require(request != null, "body required");
        require(request.heartRateLowBpm() == null || request.heartRateHighBpm() == null
                || request.heartRateLowBpm() < request.heartRateHighBpm(), "heartRateLowBpm must be below heartRateHighBpm");
        require(request.sustainSeconds() == null || (request.sustainSeconds() >= 0 && request.sustainSeconds() <= 3600),
                "sustainSeconds: from 0 to 3600");
        require(within(request.heartRateLowBpm(), 20, 300) && within(request.heartRateHighBpm(), 20, 300),
                "heart rate limits: from 20 to 300 bpm");
        require(within(request.spo2LowPercent(), 50, 100), "spo2LowPercent: from 50 to 100");
        require(within(request.systolicLowMmHg(), 40, 300) && within(request.systolicHighMmHg(), 40, 300),
                "systolic limits: from 40 to 300 mmHg");
        require(request.systolicLowMmHg() == null || request.systolicHighMmHg() == null
                || request.systolicLowMmHg() < request.systolicHighMmHg(), "systolicLowMmHg must be below systolicHighMmHg");
        require(within(request.frequentPvcPercent(), 1, 100), "frequentPvcPercent: from 1 to 100 (% of an hour's beats)");
        audited("admin.thresholds.put", patientId, "/api/admin/thresholds/" + patientId);
        runtime.writer().write(Topics.THRESHOLDS, patientId, PatientThresholds.newBuilder().setPatientId(patientId)
                .setHeartRateLowBpm(request.heartRateLowBpm()).setHeartRateHighBpm(request.heartRateHighBpm())
                .setSpo2LowPercent(request.spo2LowPercent()).setSystolicHighMmHg(request.systolicHighMmHg())
                .setSystolicLowMmHg(request.systolicLowMmHg()).setSustainSeconds(request.sustainSeconds())
                .setFrequentPvcPercent(request.frequentPvcPercent())
                .setSetBy(identity.getPrincipal().getName()).setSetAt(Instant.now()).build());
    }

    @PUT
    @Path("/consents/{patientId}")
    public void putConsent(@PathParam("patientId") String patientId, AdminRequests.ConsentDecision request) {
        requireId(patientId, "patientId");
        ConsentStatus status;
        try {
            status = ConsentStatus.valueOf(request == null || request.status() == null ? "" : request.status());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be ACTIVE or WITHDRAWN");
        }
        audited("admin.consent.put", patientId, "/api/admin/consents/" + patientId);
        runtime.writer().write(Topics.CONSENTS, patientId, Consent.newBuilder().setPatientId(patientId)
                .setStatus(status).setRecordedBy(identity.getPrincipal().getName()).setRecordedAt(Instant.now()).build());
        if (status == ConsentStatus.WITHDRAWN) {
            // The ingest refuses the patient's next readings; the processor stops on what it has.
            endMonitoring(patientId, null, MonitoringEndReason.CONSENT_WITHDRAWN);
        }
    }

    /** Recorded before the write: if the audit trail cannot be written, nothing changes. */
    private void audited(String action, String patientId, String target) {
        audit.record(identity, action, patientId, target, AuditOutcome.ALLOWED);
    }

    private boolean isClinician(String username, Role role) {
        return username != null && runtime.clinicians().find(username).map(a -> a.role() == role).orElse(false);
    }

    private static byte[] newKey() {
        byte[] key = new byte[SealedEnvelope.KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payloadKey is not Base64");
        }
        require(key.length == SealedEnvelope.KEY_BYTES, "payloadKey must be " + SealedEnvelope.KEY_BYTES + " bytes");
        return key;
    }

    /** Text a clinician reads: not too long, and no control characters (terminal escapes, NUL, line breaks in logs). */
    private static boolean isPlainText(String text, int maxLength) {
        return text.length() <= maxLength && text.codePoints().noneMatch(Character::isISOControl);
    }

    /** Absent, or a number within the range (NaN and infinities are not). */
    private static boolean within(Double value, double min, double max) {
        return value == null || (value >= min && value <= max);
    }

    private static void requireId(String id, String field) {
        require(id != null && id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
                field + ": 1 to 64 characters of A-Z a-z 0-9 . _ -");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
