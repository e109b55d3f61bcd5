package org.cardiowatch.deploy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.cardiowatch.alerts.security.PasswordHasher;

/**
 * {@code ./cardiowatch local}: starts the local stack and waits for Ctrl-C.
 *
 * <p>Environment: {@code CW_HOME} (data folder, default {@code .cardiowatch}), {@code CW_HTTPS_PORT}
 * (dashboard, 8443), {@code CW_HTTP_PORT} (plain HTTP, only redirects to HTTPS, 8080; 0 for none),
 * {@code CW_KAFKA_PORT} (9092), {@code CW_MQTT_PORT} (8883),
 * {@code CW_DEMO_PASSWORD} (the demo accounts' password; generated and printed when unset),
 * {@code CW_SIMULATE} (false to start without simulated patients).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path repository = repository();
        Path home = Path.of(env("CW_HOME", repository.resolve(".cardiowatch").toString())).toAbsolutePath();
        String given = System.getenv("CW_DEMO_PASSWORD");
        boolean generated = given == null || given.isBlank();
        String password = generated ? generatePassword() : given;
        try {
            PasswordHasher.requireLongEnough(password.toCharArray());
        } catch (IllegalArgumentException e) {
            System.err.println("CW_DEMO_PASSWORD: " + e.getMessage());
            System.exit(2);
        }
        LocalStack.Settings settings = new LocalStack.Settings(repository, home,
                Integer.parseInt(env("CW_KAFKA_PORT", "9092")), Integer.parseInt(env("CW_MQTT_PORT", "8883")),
                Integer.parseInt(env("CW_HTTPS_PORT", "8443")), Integer.parseInt(env("CW_INGEST_HEALTH_PORT", "8081")),
                Integer.parseInt(env("CW_PROCESSOR_HEALTH_PORT", "8082")), password.toCharArray(),
                !"false".equalsIgnoreCase(env("CW_SIMULATE", "true")), Map.of(), 1, 1,
                Integer.parseInt(env("CW_HTTP_PORT", "8080")));

        LocalStack stack;
        try {
            stack = LocalStack.start(settings);
        } catch (RuntimeException e) {
            System.err.println("CardioWatch could not start: " + e.getMessage());
            System.err.println("Is a port in use? Set CW_HTTPS_PORT, CW_HTTP_PORT, CW_KAFKA_PORT or CW_MQTT_PORT. Logs: "
                    + home.resolve("logs"));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping CardioWatch...");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));

        System.out.println();
        System.out.println("  CardioWatch is running.");
        System.out.println("  Dashboard:   " + stack.dashboardUrl() + "   (HTTPS only)");
        System.out.println("  Its certificate is from this stack's own authority, " + stack.authorityCertificate() + ":");
        System.out.println("  trust that file in the browser (Firefox: Settings > Privacy & Security > Certificates >"
                + " View Certificates > Authorities > Import; Chromium: Settings > Privacy and security > Security >"
                + " Manage certificates > Authorities > Import), or accept the warning once;");
        System.out.println("  curl --cacert " + stack.authorityCertificate() + " " + stack.dashboardUrl() + "q/health");
        System.out.println("  Physicians:  cardio1, cardio2    Admin: admin    Auditor: auditor");
        System.out.println("  Password:    " + (generated ? password + "   (generated; set CW_DEMO_PASSWORD to choose one)"
                : "from CW_DEMO_PASSWORD"));
        System.out.println("  MQTT (TLS):  " + stack.mqttServerUris().get(0) + "   Kafka (mutual TLS): "
                + stack.brokers().bootstrapServers());
        System.out.println("  Data, logs:  " + home);
        System.out.println("  Pager:       critical and warning alerts are paged to their physician: shown here as"
                + " \"Pager: ...\" lines and kept in " + home.resolve("pager.log") + ", each with its link");
        System.out.println("  Mail:        and e-mailed (over STARTTLS to a local mail server): shown here as \"Mail: ...\""
                + " lines, each message kept in " + home.resolve("mail"));
        System.out.println("  Simulated patients start their scripted episodes (tachycardia, desaturation, AF, bradycardia, silence, hypertension) within two minutes. Ctrl-C stops everything.");
        System.out.println();
        stopped.await();
    }

    /** The repository root: from -Dcw.repo, or two levels above deploy/target/cardiowatch-local.jar. */
    static Path repository() throws URISyntaxException {
        String explicit = System.getProperty("cw.repo");
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        Path jar = Path.of(LocalStackMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path candidate = jar.getParent().getParent().getParent();
        if (!Files.isDirectory(candidate.resolve("alerts"))) {
            throw new IllegalStateException("Cannot find the repository from " + jar + "; pass -Dcw.repo=PATH");
        }
        return candidate;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String generatePassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
