package org.cardiowatch.alerts.security;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Turns the answer to a sign-in attempt that the throttle refused ({@link SignInThrottle}) into
 * {@code 429 Too Many Requests} with {@code Retry-After}, whichever way it came (the login form's
 * redirect to the error page, HTTP Basic's 401): the attempt is marked on its request, and this
 * route rewrites the status as the answer's headers are written.
 */
@ApplicationScoped
public class SignInRefusals {

    private static final String RETRY_AFTER_SECONDS = "cw.sign-in.retry-after";

    /** Marks the request: its answer is 429, retry after that long (at least a second). */
    static void answerTooManyRequests(RoutingContext http, Duration retryAfter) {
        if (http != null) {
            http.put(RETRY_AFTER_SECONDS, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
    }

    void register(@Observes Router router) {
        router.route().order(SecurityHeaders.FIRST + 1).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                Long seconds = context.get(RETRY_AFTER_SECONDS);
                if (seconds != null) {
                    context.response().setStatusCode(429).setStatusMessage("Too Many Requests");
                    context.response().headers().remove("Location").remove("WWW-Authenticate")
                            .set("Retry-After", String.valueOf(seconds));
                }
            });
            context.next();
        });
    }
}
