package org.cardiowatch.alerts.notify;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.ClinicianChannels;

/**
 * A clinician's own choice of personal channels (e-mail, Web Push), within what their team's policy
 * uses; on the dashboard beside "Notify me on this device". Audited: it decides where alerts go.
 */
@Path("/api/notifications/channels")
@RolesAllowed({"physician", "nurse"})
@Produces(MediaType.APPLICATION_JSON)
public class NotificationChannelsResource {

    private final NotificationPolicies policies;
    private final SecurityIdentity identity;
    private final AuditLog audit;

    NotificationChannelsResource(NotificationPolicies policies, SecurityIdentity identity, AuditLog audit) {
        this.policies = policies;
        this.identity = identity;
        this.audit = audit;
    }

    @GET
    public PolicyRequests.Channels mine() {
        return new PolicyRequests.Channels(policies.channelsOf(identity.getPrincipal().getName()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public PolicyRequests.Channels choose(PolicyRequests.Channels request) {
        String me = identity.getPrincipal().getName();
        ClinicianChannels choice = PolicyRequests.channels(me, request, Instant.now());
        audit.record(identity, "notification-channels.put", null, "/api/notifications/channels " + choice.getChannels(),
                AuditOutcome.ALLOWED);
        policies.choose(choice);
        return new PolicyRequests.Channels(choice.getChannels());
    }
}
