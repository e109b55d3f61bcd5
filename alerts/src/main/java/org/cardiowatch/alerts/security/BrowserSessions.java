package org.cardiowatch.alerts.security;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.schemas.avro.SignOut;
import org.cardiowatch.schemas.topics.Topics;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Browser sessions with an end: besides Quarkus's login cookie, which ends after
 * {@code quarkus.http.auth.form.timeout} without activity (the idle timeout), a sign-in through the
 * login form gets a {@value #COOKIE} cookie that says when the session began ({@link SessionTokens});
 * the login cookie is accepted only with it, until the absolute timeout
 * ({@code cardiowatch.alerts.session.absolute-timeout}) and not after its user signed out. A
 * sign-out is written to cw.sign-outs, which every instance follows: it ends every session of that
 * user begun before, on every instance, a stolen copy of the cookies included.
 */
@ApplicationScoped
public class BrowserSessions {

    static final String COOKIE = "cw-session";
    private static final String STARTED_FOR = "cw.session.started-for";

    private final AlertsRuntime runtime;
    private final SessionTokens tokens;

    BrowserSessions(AlertsRuntime runtime, AlertsConfig config,
            @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        this.runtime = runtime;
        this.tokens = new SessionTokens(sha256(sessionKey.orElse("")), config.session().absoluteTimeout(),
                Clock.systemUTC());
    }

    /** The sign-in of this request was through the login form: its answer begins a session. */
    static void begin(RoutingContext http, String username) {
        if (http != null && http.normalizedPath().endsWith("/j_security_check")) {
            http.put(STARTED_FOR, username);
        }
    }

    /** Why the login cookie of this request is not accepted, or empty when its session goes on. */
    Optional<String> refusal(RoutingContext http, String username) {
        String token = http == null || http.request().getCookie(COOKIE) == null ? null
                : http.request().getCookie(COOKIE).getValue();
        return tokens.refusal(token, username,
                user -> runtime.signOuts().get(user).map(SignOut::getSignedOutAt));
    }

    /** Ends every session of the user begun until now, on every instance. */
    void signOut(String username) {
        runtime.writer().write(Topics.SIGN_OUTS, username, SignOut.newBuilder().setUsername(username)
                .setSignedOutAt(Instant.now()).build());
    }

    /** Headers that make the browser forget both cookies. */
    static String[] expiredCookies() {
        return new String[] {ApiSignInChallenge.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
            COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"};
    }

    void register(@Observes Router router) {
        router.route().order(SecurityHeaders.FIRST + 2).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                String username = context.get(STARTED_FOR);
                if (username != null && context.response().getStatusCode() < 400) {
                    context.response().headers().add("Set-Cookie", COOKIE + "=" + tokens.issue(username)
                            + "; Path=/; HttpOnly; SameSite=Strict" + (context.request().isSSL() ? "; Secure" : ""));
                }
            });
            context.next();
        });
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
