package org.cardiowatch.alerts.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Signing out ends the session for good, not only in this browser: every session of the user begun
 * until now is over on every instance ({@link BrowserSessions}), and the browser forgets its cookies.
 * The answer says where the browser goes next: the login page, or, signed in through the identity
 * provider, {@value #PROVIDER_SIGN_OUT}, where Quarkus ends the provider's session too (OpenID
 * Connect RP-initiated logout) before the dashboard asks for a new sign-in.
 */
@Path("/api/sign-out")
@Authenticated
public class SignOutResource {

    /** {@code quarkus.oidc.logout.path}. */
    static final String PROVIDER_SIGN_OUT = "/sign-out";

    /** Where the browser goes once signed out. */
    public record SignedOut(String next) {
    }

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
    @Produces(MediaType.APPLICATION_JSON)
    public Response signOut() {
        audit.record(identity, "sign-out", null, "/api/sign-out", AuditOutcome.ALLOWED);
        sessions.signOut(identity.getPrincipal().getName());
        boolean throughProvider = identity.getPrincipal() instanceof JsonWebToken;
        Response.ResponseBuilder answer = Response.ok(new SignedOut(throughProvider ? PROVIDER_SIGN_OUT : "/login.html"));
        for (String expired : BrowserSessions.expiredCookies()) {
            answer.header("Set-Cookie", expired);
        }
        return answer.build();
    }
}
