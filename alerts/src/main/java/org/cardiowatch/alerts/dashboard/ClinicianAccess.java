package org.cardiowatch.alerts.dashboard;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.Optional;
import java.util.function.Predicate;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.routing.AccessPolicy;
import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.CareTeam;

/** Applies the access policy to the signed-in user, for every REST and WebSocket path. */
@ApplicationScoped
public class ClinicianAccess {

    private final AlertsRuntime runtime;
    private final AuditLog audit;

    ClinicianAccess(AlertsRuntime runtime, AuditLog audit) {
        this.runtime = runtime;
        this.audit = audit;
    }

    /**
     * Audits the attempt and lets it through only for a patient of the user's care team; any
     * other answers 404, the same as a patient that does not exist, so the API reveals no one.
     */
    public void require(SecurityIdentity identity, String patientId, String action, String target) {
        boolean allowed = mayAccess(identity, patientId);
        audit.record(identity, action, patientId, target, allowed ? AuditOutcome.ALLOWED : AuditOutcome.DENIED);
        if (!allowed) {
            throw new NotFoundException("No such patient in your care team");
        }
    }

    public boolean mayAccess(SecurityIdentity identity, String patientId) {
        return mayAccess(identity.getPrincipal().getName(), Role.of(identity), patientId);
    }

    public boolean mayAccess(String username, Role role, String patientId) {
        CareTeam team = runtime.careTeams().get(patientId).orElse(null);
        boolean escalatedToThem = team != null && username.equals(team.getBackupPhysician())
                && runtime.board().hasOpenAlertEscalatedTo(patientId, username);
        return AccessPolicy.mayAccess(username, role, team, escalatedToThem);
    }

    public Predicate<String> visiblePatients(SecurityIdentity identity) {
        String username = identity.getPrincipal().getName();
        Role role = Role.of(identity);
        return patientId -> mayAccess(username, role, patientId);
    }

    public Optional<CareTeam> team(String patientId) {
        return runtime.careTeams().get(patientId);
    }
}
