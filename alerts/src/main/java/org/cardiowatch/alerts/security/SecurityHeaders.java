package org.cardiowatch.alerts.security;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every response, refusals included (the first route, before sign-in is
 * checked and before {@link ApiSignInChallenge}): scripts, styles and connections from this site only (the pages load their scripts
 * from files, none inline), never shown in a frame, no MIME sniffing, no referrer sent on, and
 * nothing kept in a cache (the browser's, a proxy's): almost every answer carries patient data,
 * and the few that do not (scripts, styles) are small. An HTTPS answer also tells the browser to
 * use nothing but HTTPS for this host for a year (HSTS), so a later visit typed as
 * {@code http://} never goes out in the clear; a plain HTTP answer must not say it (RFC 6797).
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none';"
            + " frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";
    /** Before every other route, so every answer carries them. */
    static final int FIRST = Integer.MIN_VALUE;

    void register(@Observes Router router) {
        router.route().order(FIRST).handler(context -> {
            context.response().headers()
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Frame-Options", "DENY")
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer")
                    .set("Cache-Control", "no-store");
            if (context.request().isSSL()) {
                context.response().headers().set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
            }
            context.next();
        });
    }
}
