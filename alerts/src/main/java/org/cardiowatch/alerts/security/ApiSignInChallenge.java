package org.cardiowatch.alerts.security;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * An API call that carries no credentials at all (no Authorization header, no session cookie of
 * the login form or of the identity provider)
 * answers 401 with a JSON reason, rather than the login form's redirect meant for browsers:
 * scripts and other systems must see "not signed in", not an HTML page. Calls that do carry
 * credentials go on to the normal checks (a wrong password is 401 there, an expired session
 * cookie is sent to the login page, which the dashboard follows).
 */
@ApplicationScoped
public class ApiSignInChallenge {

    static final String SESSION_COOKIE = "quarkus-credential";
    /** The session cookie of a sign-in through the identity provider (OpenID Connect), per tenant. */
    static final String OIDC_SESSION_COOKIE_PREFIX = "q_session";

    void register(@Observes Router router) {
        // Before the security handlers, which the HTTP layer installs with higher orders; after SecurityHeaders.
        router.route("/api/*").order(SecurityHeaders.FIRST + 1).handler(context -> {
            if (context.request().getHeader(HttpHeaders.AUTHORIZATION) == null && !hasSessionCookie(context)) {
                context.response().setStatusCode(401)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"error\":\"sign in required\"}");
            } else {
                context.next();
            }
        });
    }

    private static boolean hasSessionCookie(io.vertx.ext.web.RoutingContext context) {
        return context.request().getCookie(SESSION_COOKIE) != null || context.request().cookies().stream()
                .anyMatch(cookie -> cookie.getName().startsWith(OIDC_SESSION_COOKIE_PREFIX));
    }
}
