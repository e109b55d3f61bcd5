package org.cardiowatch.alerts.dashboard;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.Patient;

/** The signed-in clinician's open alerts, and acknowledging one. */
@Path("/api/alerts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    private final AlertsRuntime runtime;
    private final ClinicianAccess access;
    private final SecurityIdentity identity;
    private final AuditLog audit;

    AlertResource(AlertsRuntime runtime, ClinicianAccess access, SecurityIdentity identity, AuditLog audit) {
        this.runtime = runtime;
        this.access = access;
        this.identity = identity;
        this.audit = audit;
    }

    /** Open alerts of the clinician's patients, most severe and newest first. */
    @GET
    public List<AlertView> open() {
        List<AlertRecord> open = runtime.board().open(access.visiblePatients(identity));
        audit.recordEach(identity, "alert.list", open.stream().map(AlertRecord::patientId).distinct().toList(),
                "/api/alerts");
        return open.stream().map(this::view).toList();
    }

    /**
     * One alert of the clinician's patients, open or recently resolved: what a notification's link
     * opens. Another team's alert, or one no longer on the board, is answered 404 alike.
     */
    @GET
    @Path("/{id}")
    public AlertView one(@PathParam("id") String id) {
        String target = "/api/alerts/" + id;
        Optional<AlertRecord> found = runtime.board().get(id);
        if (found.isEmpty() || !access.mayAccess(identity, found.get().patientId())) {
            audit.record(identity, "alert.read", found.map(AlertRecord::patientId).orElse(null), target,
                    AuditOutcome.DENIED);
            throw new NotFoundException("No such alert for your patients");
        }
        audit.record(identity, "alert.read", found.get().patientId(), target, AuditOutcome.ALLOWED);
        return view(found.get());
    }

    /** Acknowledges an alert; acknowledging it again keeps the first acknowledgement. */
    @POST
    @Path("/{id}/ack")
    @RolesAllowed({"physician", "nurse"})
    public AlertView acknowledge(@PathParam("id") String id) {
        String target = "/api/alerts/" + id + "/ack";
        Optional<AlertRecord> found = runtime.board().get(id);
        if (found.isEmpty() || !access.mayAccess(identity, found.get().patientId())) {
            audit.record(identity, "alert.acknowledge", found.map(AlertRecord::patientId).orElse(null), target,
                    AuditOutcome.DENIED);
            throw new NotFoundException("No such alert for your patients");
        }
        AlertRecord record = found.get();
        audit.record(identity, "alert.acknowledge", record.patientId(), target, AuditOutcome.ALLOWED);
        AlertRecord acknowledged = record.isAcknowledged() ? record
                : runtime.recordAction(record, AlertActionKind.ACKNOWLEDGED, identity.getPrincipal().getName(), null)
                        .orElse(record);
        return view(acknowledged);
    }

    private AlertView view(AlertRecord record) {
        return AlertView.of(record, runtime.patients().get(record.patientId()).map(Patient::getDisplayName)
                .orElse(record.patientId()));
    }
}
