package org.cardiowatch.alerts.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.cardiowatch.alerts.config.AlertsRuntime;

/**
 * Restores the identity of a browser session from the encrypted login cookie. The account is
 * looked up again each time, so a user removed from the users file loses access at once; and the
 * session must still go on ({@link BrowserSessions}: not past its absolute timeout, not signed out).
 */
@ApplicationScoped
public class TrustedClinicianIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final AlertsRuntime runtime;
    private final BrowserSessions sessions;

    TrustedClinicianIdentityProvider(AlertsRuntime runtime, BrowserSessions sessions) {
        this.runtime = runtime;
        this.sessions = sessions;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        return Uni.createFrom().item(() -> {
            sessions.refusal(http, request.getPrincipal()).ifPresent(why -> {
                throw new AuthenticationFailedException("Session over: " + why);
            });
            return runtime.clinicians().find(request.getPrincipal()).map(ClinicianIdentityProvider::identity)
                    .orElseThrow(() -> new AuthenticationFailedException("Unknown user"));
        });
    }
}
