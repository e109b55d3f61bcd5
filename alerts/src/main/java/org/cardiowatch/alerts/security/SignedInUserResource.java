package org.cardiowatch.alerts.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who is signed in, for the pages' header. Holds no patient data, so it is not audited. */
@Path("/api/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SignedInUserResource {

    /** The signed-in user and role ({@code null} role for a user without a CardioWatch role). */
    public record SignedInUser(String username, String role) {
    }

    private final SecurityIdentity identity;

    SignedInUserResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    public SignedInUser me() {
        Role role = Role.of(identity);
        return new SignedInUser(identity.getPrincipal().getName(), role == null ? null : role.roleName());
    }
}
