package org.cardiowatch.alerts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cardiowatch.alerts.security.PasswordHasher;
import org.cardiowatch.embedded.EmbeddedInfluxDb;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.schemas.topics.TopicWriter;

/**
 * A real Kafka broker in the JVM with every topic, a real InfluxDB server for the history, and a
 * users file with test accounts, for the alerts service under test. Escalation is set short so the test can watch it happen.
 */
public class KafkaWithUsersResource implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "test-password-1";
    private static EmbeddedKafka kafka;
    private static EmbeddedInfluxDb influx;
    private static TopicWriter writer;
    private Path folder;

    public static String bootstrapServers() {
        return kafka.bootstrapServers();
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
            return Map.of(
                    "cardiowatch.alerts.kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "cardiowatch.alerts.users-file", users.toString(),
                    "cardiowatch.alerts.escalation.timeout", "PT5S",
                    "cardiowatch.alerts.escalation.check-interval", "PT0.5S",
                    "cardiowatch.alerts.history.url", influx.url(),
                    "cardiowatch.alerts.history.retry-pause", "PT0.5S",
                    "cardiowatch.alerts.history.erase-again-after", "PT10S",
                    "quarkus.http.auth.session.encryption-key", "test-only-session-key-0123456789abcdef");
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
        if (kafka != null) {
            kafka.close();
        }
    }
}
