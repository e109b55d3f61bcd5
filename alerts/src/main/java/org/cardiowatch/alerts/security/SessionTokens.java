package org.cardiowatch.alerts.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser session's start, signed: a cookie issued at sign-in beside Quarkus's own login cookie
 * (which only knows the last activity, for the idle timeout). It carries who and when the session
 * began, with an HMAC-SHA256 under the service's session key, so any instance can check it without
 * shared state; a session is over once it is older than the absolute timeout, or once its user
 * signed out after it began ({@code signedOutAt}, from cw.sign-outs, the same on every instance).
 *
 * <p>Format: {@code v1.<user, Base64url>.<start, epoch ms>.<HMAC, Base64url>}.
 */
public final class SessionTokens {

    private static final String VERSION = "v1";
    /** Keeps these MACs apart from any other use of the session key. */
    private static final byte[] PURPOSE = "cardiowatch session start|".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final Duration absoluteTimeout;
    private final Clock clock;

    public SessionTokens(byte[] key, Duration absoluteTimeout, Clock clock) {
        this.key = key.clone();
        this.absoluteTimeout = absoluteTimeout;
        this.clock = clock;
    }

    /** A token for a session of {@code username} beginning now. */
    public String issue(String username) {
        String user = Base64.getUrlEncoder().withoutPadding().encodeToString(username.getBytes(StandardCharsets.UTF_8));
        String body = VERSION + "." + user + "." + clock.millis();
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body));
    }

    /**
     * Whether the token is a session of {@code username} that is not over.
     *
     * @param signedOutAt when the user last signed out, if ever
     * @return why not, or empty when it is valid
     */
    public Optional<String> refusal(String token, String username, Function<String, Optional<Instant>> signedOutAt) {
        if (token == null || token.isEmpty()) {
            return Optional.of("no session");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return Optional.of("malformed session");
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed session");
        }
        if (!MessageDigest.isEqual(mac(body), given)) {
            return Optional.of("session not signed by this service");
        }
        String user = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        if (!user.equals(username)) {
            return Optional.of("session of another user");
        }
        Instant started;
        try {
            started = Instant.ofEpochMilli(Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return Optional.of("malformed session");
        }
        if (!clock.instant().isBefore(started.plus(absoluteTimeout))) {
            return Optional.of("session older than " + absoluteTimeout);
        }
        if (signedOutAt.apply(username).filter(out -> !started.isAfter(out)).isPresent()) {
            return Optional.of("signed out");
        }
        return Optional.empty();
    }

    private byte[] mac(String body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(PURPOSE);
            return hmac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has HmacSHA256", e);
        }
    }
}
