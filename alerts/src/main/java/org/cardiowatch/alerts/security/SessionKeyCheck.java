package org.cardiowatch.alerts.security;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start without a sign-in cookie key. Without one, Quarkus makes a key at each start
 * and writes it to the log (a secret in a log), and sessions end at every restart and differ
 * between instances.
 */
@Startup
@ApplicationScoped
public class SessionKeyCheck {

    /** The shortest key accepted, in characters. */
    static final int MINIMUM_LENGTH = 32;

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> key;

    @PostConstruct
    void check() {
        require(key);
    }

    static void require(Optional<String> key) {
        if (key.map(String::strip).filter(k -> !k.isEmpty()).isEmpty()) {
            throw new IllegalStateException("CW_SESSION_KEY is not set: give the alerts service a sign-in cookie key of "
                    + MINIMUM_LENGTH + " random characters or more, the same on every instance (the local stack keeps"
                    + " one in .cardiowatch/session.key)");
        }
        if (key.get().length() < MINIMUM_LENGTH) {
            throw new IllegalStateException("CW_SESSION_KEY is too short: " + MINIMUM_LENGTH
                    + " random characters or more");
        }
    }
}
