package org.cardiowatch.alerts.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.cardiowatch.alerts.config.AlertsRuntime;

/**
 * Restores the identity of a browser session from the encrypted login cookie. The account is
 * looked up again each time, so a user removed from the users file loses access at once.
 */
@ApplicationScoped
public class TrustedClinicianIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final AlertsRuntime runtime;

    TrustedClinicianIdentityProvider(AlertsRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom().item(() -> runtime.clinicians().find(request.getPrincipal())
                .map(ClinicianIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("Unknown user")));
    }
}
