package org.cardiowatch.alerts.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.cardiowatch.alerts.config.AlertsRuntime;

/**
 * Who is signed in, for the pages' header, and the hospital's time zone the pages show times in.
 * Holds no patient data, so it is not audited.
 */
@Path("/api/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SignedInUserResource {

    /**
     * The signed-in user and role ({@code null} role for a user without a CardioWatch role), and the
     * time zone (IANA id) in which the pages show every time.
     */
    public record SignedInUser(String username, String role, String timeZone) {
    }

    private final SecurityIdentity identity;
    private final AlertsRuntime runtime;

    SignedInUserResource(SecurityIdentity identity, AlertsRuntime runtime) {
        this.identity = identity;
        this.runtime = runtime;
    }

    @GET
    public SignedInUser me() {
        Role role = Role.of(identity);
        return new SignedInUser(identity.getPrincipal().getName(), role == null ? null : role.roleName(),
                runtime.displayZone().getId());
    }
}
