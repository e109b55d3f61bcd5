package org.cardiowatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real Keycloak server, run from its own distribution (Maven Central's
 * {@code org.keycloak:keycloak-quarkus-dist}, unpacked by the build) as a child process on a
 * loopback HTTPS port, with an in-memory database and the realms given to it imported at start.
 * For the tests that sign in through a real OpenID Connect provider.
 */
public final class EmbeddedKeycloak implements AutoCloseable {

    /** The first start builds Keycloak's optimised server (a minute or two on 2 cores); later starts reuse it. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final Path log;
    private final int port;

    private EmbeddedKeycloak(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts Keycloak from {@code home} (the unpacked distribution) on a free port, serving HTTPS
     * with the server certificate in {@code keyStore} (PKCS12), after importing {@code realms}
     * (realm files; {@code ${NAME}} in them is replaced from {@code environment}), and waits until
     * the first realm's discovery document answers, trusting {@code tls}.
     *
     * @param realmName the realm whose discovery document says Keycloak is ready
     */
    public static EmbeddedKeycloak start(Path home, Path keyStore, char[] keyStorePassword, List<Path> realms,
            String realmName, Map<String, String> environment, SSLContext tls, Path logFile) {
        Path script = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("No Keycloak distribution in " + home
                    + ": the build unpacks it before the integration tests (mvn verify)");
        }
        int port = FreePorts.next();
        try {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            try (var old = Files.list(imports)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            for (Path realm : realms) {
                Files.copy(realm, imports.resolve(realm.getFileName()));
            }
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(script.toString(), "start-dev", "--import-realm",
                    "--db=dev-mem", "--http-enabled=false", "--https-port=" + port, "--hostname-strict=false",
                    "--https-key-store-file=" + keyStore.toAbsolutePath(), "--https-key-store-type=PKCS12",
                    "--https-key-store-password=" + new String(keyStorePassword), "--cache=local",
                    "--http-management-port=" + FreePorts.next())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            // Java's default heap is a share of the machine's memory; Keycloak needs far less here.
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            EmbeddedKeycloak keycloak = new EmbeddedKeycloak(builder.start(), logFile, port);
            keycloak.awaitRealm(realmName, tls);
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keycloak from " + home, e);
        }
    }

    /** {@code https://127.0.0.1:PORT/realms/NAME}: what an OIDC client is given as the provider's address. */
    public String realmUrl(String realmName) {
        return "https://127.0.0.1:" + port + "/realms/" + realmName;
    }

    private void awaitRealm(String realmName, SSLContext tls) {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(realmUrl(realmName)
                + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped during start-up (exit " + process.exitValue()
                        + "); see " + log);
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }
        close();
        throw new IllegalStateException("Keycloak did not serve realm " + realmName + " within " + START_TIMEOUT
                + "; see " + log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
