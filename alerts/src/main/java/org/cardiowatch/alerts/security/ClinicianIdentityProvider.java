package org.cardiowatch.alerts.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.jboss.logging.Logger;

/**
 * Checks user name and password (HTTP Basic for scripts, the login form for browsers) against
 * the users file. A successful check is remembered for a few minutes as a salted digest, so that
 * scripts sending Basic credentials on every call do not pay the deliberately slow hash each time.
 */
@ApplicationScoped
public class ClinicianIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(ClinicianIdentityProvider.class);
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final byte[] PEPPER = SecureRandom.getSeed(16);

    private record Verified(byte[] digest, Instant until, SecurityIdentity identity) {
    }

    private final AlertsRuntime runtime;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    ClinicianIdentityProvider(AlertsRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> check(request.getUsername(), request.getPassword().getPassword()));
    }

    private SecurityIdentity check(String username, char[] password) {
        byte[] digest = digest(username, password);
        Verified known = verified.get(username);
        if (known != null && known.until().isAfter(Instant.now()) && MessageDigest.isEqual(known.digest(), digest)) {
            return known.identity();
        }
        ClinicianDirectory.Account account = runtime.clinicians().authenticate(username, password).orElseThrow(() -> {
            LOG.info("Sign-in refused");
            return new AuthenticationFailedException("Invalid user name or password");
        });
        SecurityIdentity identity = identity(account);
        verified.put(username, new Verified(digest, Instant.now().plus(REMEMBER), identity));
        return identity;
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
