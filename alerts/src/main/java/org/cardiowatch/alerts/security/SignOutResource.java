package org.cardiowatch.alerts.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.schemas.avro.AuditOutcome;

/**
 * Signing out ends the session for good, not only in this browser: every session of the user begun
 * until now is over on every instance ({@link BrowserSessions}), and the browser forgets its cookies.
 */
@Path("/api/sign-out")
@Authenticated
public class SignOutResource {

    private final SecurityIdentity identity;
    private final BrowserSessions sessions;
    private final AuditLog audit;

    SignOutResource(SecurityIdentity identity, BrowserSessions sessions, AuditLog audit) {
        this.identity = identity;
        this.sessions = sessions;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.WILDCARD) // no body
    public Response signOut() {
        audit.record(identity, "sign-out", null, "/api/sign-out", AuditOutcome.ALLOWED);
        sessions.signOut(identity.getPrincipal().getName());
        Response.ResponseBuilder answer = Response.noContent();
        for (String expired : BrowserSessions.expiredCookies()) {
            answer.header("Set-Cookie", expired);
        }
        return answer.build();
    }
}
