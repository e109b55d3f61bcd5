package org.cardiowatch.alerts.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cardiowatch.schemas.audit.AuditChainVerifier;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.KafkaClientTls;

/**
 * The command that verifies the audit trail: reads all of cw.audit, checks every chain and prints
 * one line per chain with its head hash (record it elsewhere to anchor the chain). Exit status 1
 * when any chain is broken, 2 when the arguments are wrong.
 *
 * <pre>./cardiowatch verify-audit [bootstrap-servers]</pre>
 *
 * <p>It reaches Kafka as the alerts service does: mutual TLS from the same environment variables
 * ({@code CARDIOWATCH_ALERTS_KAFKA_TRUST_STORE}, {@code ..._KEY_STORE} and their {@code _PASSWORD}s).
 */
public final class VerifyAuditChain {

    private VerifyAuditChain() {
    }

    public static void main(String[] args) {
        if (args.length > 1 || args.length == 1 && args[0].startsWith("-")) {
            System.err.println("Usage: ./cardiowatch verify-audit [bootstrap-servers]   (default $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)");
            System.exit(2);
        }
        String bootstrap = args.length == 1 ? args[0]
                : System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        List<AuditEvent> events = TopicScan.read(bootstrap, clientSettings(), Topics.AUDIT, Instant.EPOCH, e -> true,
                Integer.MAX_VALUE);
        List<AuditChainVerifier.ChainReport> reports = AuditChainVerifier.verify(events);
        boolean intact = true;
        for (AuditChainVerifier.ChainReport report : reports) {
            System.out.printf("chain %s events=%d last-index=%d head=%s %s%n", report.chainId(), report.events(),
                    report.lastIndex(), report.headHash(), report.intact() ? "INTACT" : "BROKEN: " + report.problem());
            intact &= report.intact();
        }
        System.out.printf("AUDIT chains=%d events=%d %s%n", reports.size(), events.size(), intact ? "INTACT" : "BROKEN");
        System.exit(intact ? 0 : 1);
    }

    private static Map<String, Object> clientSettings() {
        return KafkaClientTls.fromEnvironment(System.getenv(), "CARDIOWATCH_ALERTS_KAFKA").clientSettings(Map.of());
    }
}
