package org.cardiowatch.alerts.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.jboss.logging.Logger;

/**
 * Checks user name and password (HTTP Basic for scripts, the login form for browsers) against
 * the users file. A successful check is remembered for a few minutes as a salted digest, so that
 * scripts sending Basic credentials on every call do not pay the deliberately slow hash each time.
 * Failures are throttled ({@link SignInThrottle}) before the hash is computed: a locked attempt is
 * answered 429 with Retry-After ({@link SignInRefusals}). Every sign-in, failure and lock (with
 * its length, so its end) is in the audit trail; the attempts refused during a lock are not, each
 * (a guesser could send them without end): the lock that refused them is.
 */
@ApplicationScoped
public class ClinicianIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(ClinicianIdentityProvider.class);
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final int MAX_USER_NAME = 64;
    private static final String INVALID_USER_NAME = "(invalid user name)";
    private static final byte[] PEPPER = SecureRandom.getSeed(16);

    private record Verified(byte[] digest, Instant until, SecurityIdentity identity) {
    }

    private final AlertsRuntime runtime;
    private final AuditLog audit;
    private final SignInThrottle throttle;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    ClinicianIdentityProvider(AlertsRuntime runtime, AuditLog audit, AlertsConfig config) {
        this.runtime = runtime;
        this.audit = audit;
        AlertsConfig.SignIn signIn = config.signIn();
        this.throttle = new SignInThrottle(new SignInThrottle.Limits(signIn.freeFailures(), signIn.firstLock(),
                signIn.longestLock(), signIn.accountFailures(), signIn.addressFailures(),
                SignInThrottle.Limits.DEFAULT.knownAddressesPerAccount(), SignInThrottle.Limits.DEFAULT.maxEntries()),
                Clock.systemUTC());
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        return context.runBlocking(() -> check(request.getUsername(), request.getPassword().getPassword(), http));
    }

    private SecurityIdentity check(String givenName, char[] password, RoutingContext http) {
        byte[] digest = digest(givenName, password);
        Verified known = verified.get(givenName);
        if (known != null && known.until().isAfter(Instant.now()) && MessageDigest.isEqual(known.digest(), digest)) {
            BrowserSessions.begin(http, givenName);
            return known.identity();
        }
        // No account has an implausible name: refused without the hash, counted and audited under one
        // name, so a guesser's megabyte of user name fills neither the throttle nor the audit trail.
        String username = isPlausibleUserName(givenName) ? givenName : INVALID_USER_NAME;
        String address = http == null ? "unknown" : http.request().remoteAddress().hostAddress();
        String path = http == null ? "sign-in" : http.normalizedPath();
        Optional<SignInThrottle.Lock> refusal = throttle.refusal(username, address);
        if (refusal.isPresent()) {
            SignInRefusals.answerTooManyRequests(http, refusal.get().retryAfter());
            throw new AuthenticationFailedException("Too many failed sign-ins");
        }
        Optional<ClinicianDirectory.Account> account = username.equals(INVALID_USER_NAME) ? Optional.empty()
                : runtime.clinicians().authenticate(username, password);
        if (account.isEmpty()) {
            LOG.info("Sign-in refused");
            Optional<SignInThrottle.Lock> lock = throttle.failed(username, address);
            audit.recordSignIn(username, null, "sign-in.failed", path, AuditOutcome.DENIED, address);
            lock.ifPresent(started -> audit.recordSignIn(username, null, "sign-in.locked",
                    started.scope() + " for " + started.retryAfter().toSeconds() + " s", AuditOutcome.DENIED, address));
            throw new AuthenticationFailedException("Invalid user name or password");
        }
        throttle.succeeded(username, address);
        BrowserSessions.begin(http, username);
        SecurityIdentity identity = identity(account.get());
        audit.recordSignIn(username, AuditLog.roleName(identity), "sign-in", path, AuditOutcome.ALLOWED, address);
        verified.put(username, new Verified(digest, Instant.now().plus(REMEMBER), identity));
        return identity;
    }

    private static boolean isPlausibleUserName(String username) {
        return username != null && !username.isEmpty() && username.length() <= MAX_USER_NAME
                && username.codePoints().noneMatch(Character::isISOControl);
    }

    static SecurityIdentity identity(ClinicianDirectory.Account account) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.username()))
                .addRole(account.role().roleName())
                .build();
    }

    private static byte[] digest(String username, char[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(PEPPER);
            sha.update(username.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
