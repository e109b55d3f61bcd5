package org.cardiowatch.alerts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.cardiowatch.alerts.security.PasswordHasher;
import org.cardiowatch.embedded.EmbeddedInfluxDb;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.transport.HttpsTrust;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;

/**
 * A real Kafka broker in the JVM with every topic, a real InfluxDB server for the history, and a
 * users file with test accounts, for the alerts service under test. Escalation is set short so the test can watch it happen.
 * The service serves HTTPS with a certificate from an authority made for the run, and the tests'
 * clients (REST Assured, {@link #https()}) trust that authority only.
 */
public class KafkaWithUsersResource implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "test-password-1";
    private static EmbeddedKafka kafka;
    private static EmbeddedInfluxDb influx;
    private static TopicWriter writer;
    private static Path authority;
    private static org.cardiowatch.alerts.notify.WebhookReceiver pager;
    private static org.cardiowatch.alerts.notify.SmtpServer mail;
    private static org.cardiowatch.alerts.notify.push.LocalPushService push;

    /** The push service the tests' browsers subscribe at (the only one the service is allowed to reach). */
    public static org.cardiowatch.alerts.notify.push.LocalPushService push() {
        return push;
    }

    /** The hospital's mail server every test's e-mail notifications go to (cardio1, cardio2, cardio3 have addresses). */
    public static org.cardiowatch.alerts.notify.SmtpServer mail() {
        return mail;
    }

    /** The paging system every test's notifications go to. */
    public static org.cardiowatch.alerts.notify.WebhookReceiver pager() {
        return pager;
    }
    private Path folder;

    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** TLS for a test's own HTTPS and WSS clients, trusting the run's authority. */
    public static SSLContext https() {
        return HttpsTrust.trusting(authority);
    }

    /** Writes test data to the broker's topics, as the other services would; one for every test class. */
    public static synchronized TopicWriter writer() {
        if (writer == null) {
            writer = new TopicWriter(kafka.bootstrapServers());
        }
        return writer;
    }

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("cw-alerts-test");
            kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0).createTopics(3);
            influx = EmbeddedInfluxDb.start(folder.resolve("influx"));
            pager = new org.cardiowatch.alerts.notify.WebhookReceiver();
            mail = new org.cardiowatch.alerts.notify.SmtpServer(folder.resolve("smtp"));
            push = new org.cardiowatch.alerts.notify.push.LocalPushService();
            org.cardiowatch.schemas.wire.P256Keys.Encoded vapid = org.cardiowatch.schemas.wire.P256Keys.newKeyPair();
            // Fewer iterations than production: the hash format and check are the same, the tests faster.
            String hash = PasswordHasher.hash(PASSWORD.toCharArray(), 1_000);
            Path users = folder.resolve("users");
            Files.writeString(users, String.join("\n",
                    "# test accounts",
                    "cardio1:physician:" + hash,
                    "cardio2:physician:" + hash,
                    "cardio3:physician:" + hash,
                    "nurse1:nurse:" + hash,
                    "admin:admin:" + hash,
                    "auditor1:auditor:" + hash,
                    "guessed1:physician:" + hash,
                    "guessed2:physician:" + hash));
            char[] storePassword = "test-store-password".toCharArray();
            LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"), storePassword);
            authority = ca.certificatePem();
            io.restassured.RestAssured.config = io.restassured.RestAssured.config().sslConfig(
                    io.restassured.config.SSLConfig.sslConfig().trustStore(ca.trustStore().toString(),
                            new String(storePassword)).trustStoreType("PKCS12"));
            return Map.ofEntries(
                    Map.entry("quarkus.tls.key-store.p12.path", ca.serverKeyStore("alerts").toString()),
                    Map.entry("quarkus.tls.key-store.p12.password", new String(storePassword)),
                    Map.entry("cardiowatch.alerts.kafka.bootstrap-servers", kafka.bootstrapServers()),
                    Map.entry("cardiowatch.alerts.users-file", users.toString()),
                    Map.entry("cardiowatch.alerts.escalation.timeout", "PT5S"),
                    Map.entry("cardiowatch.alerts.escalation.check-interval", "PT0.5S"),
                    Map.entry("cardiowatch.alerts.history.url", influx.url()),
                    Map.entry("cardiowatch.alerts.history.retry-pause", "PT0.5S"),
                    Map.entry("cardiowatch.alerts.history.erase-again-after", "PT10S"),
                    Map.entry("cardiowatch.alerts.notifications.webhook-url", pager.url()),
                    Map.entry("cardiowatch.alerts.notifications.webhook-secret",
                            org.cardiowatch.alerts.notify.WebhookReceiver.SECRET),
                    Map.entry("cardiowatch.alerts.notifications.retry-pause", "PT0.5S"),
                    Map.entry("cardiowatch.alerts.notifications.group-window", "PT10S"),
                    Map.entry("cardiowatch.alerts.notifications.check-interval", "PT0.2S"),
                    Map.entry("cardiowatch.alerts.notifications.public-url", "https://cardiowatch.test"),
                    Map.entry("cardiowatch.alerts.notifications.email.enabled", "true"),
                    Map.entry("cardiowatch.alerts.notifications.email.addresses.cardio1", "cardio1@hospital.test"),
                    Map.entry("cardiowatch.alerts.notifications.email.addresses.cardio2", "cardio2@hospital.test"),
                    Map.entry("cardiowatch.alerts.notifications.email.addresses.cardio3", "cardio3@hospital.test"),
                    Map.entry("cardiowatch.alerts.notifications.push.enabled", "true"),
                    Map.entry("cardiowatch.alerts.notifications.push.public-key", vapid.publicKey()),
                    Map.entry("cardiowatch.alerts.notifications.push.private-key", vapid.privateKey()),
                    Map.entry("cardiowatch.alerts.notifications.push.subject", "mailto:cardiowatch-ops@hospital.test"),
                    Map.entry("cardiowatch.alerts.notifications.push.services", push.origin()),
                    Map.entry("quarkus.mailer.host", "127.0.0.1"),
                    Map.entry("quarkus.mailer.port", String.valueOf(mail.port())),
                    Map.entry("quarkus.mailer.from", "cardiowatch@hospital.test"),
                    Map.entry("quarkus.mailer.tls-configuration-name", "smtp"),
                    Map.entry("quarkus.tls.smtp.trust-store.pem.certs", mail.certificate().toString()),
                    Map.entry("quarkus.http.auth.session.encryption-key", "test-only-session-key-0123456789abcdef"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (influx != null) {
            influx.close();
        }
        if (mail != null) {
            mail.close();
        }
        if (pager != null) {
            pager.close();
        }
        if (push != null) {
            push.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
