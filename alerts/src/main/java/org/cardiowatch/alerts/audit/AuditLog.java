package org.cardiowatch.alerts.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.audit.AuditChain;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.jboss.logging.Logger;

/**
 * Writes one audit event per read of patient data, acknowledgement, admin action and refused
 * attempt to cw.audit, chained by hash. The write is synchronous and precedes the answer: when the
 * audit trail cannot be written the request fails, so there is no access without its record.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final AlertsRuntime runtime;
    private final AlertsConfig config;
    private final KafkaConnection kafka;
    private final CurrentVertxRequest request;
    private final Clock clock = Clock.systemUTC();
    private AuditChain chain;

    AuditLog(AlertsRuntime runtime, AlertsConfig config, KafkaConnection kafka, CurrentVertxRequest request) {
        this.runtime = runtime;
        this.config = config;
        this.kafka = kafka;
        this.request = request;
    }

    @PostConstruct
    void resumeChain() {
        String chainId = config.audit().chainId();
        List<AuditEvent> ours = TopicScan.read(kafka.bootstrapServers(), kafka.clientSettings(),
                Topics.AUDIT, Instant.EPOCH, e -> chainId.equals(e.getChainId()), Integer.MAX_VALUE);
        chain = ours.isEmpty() ? AuditChain.start(chainId) : AuditChain.continueAfter(ours.get(ours.size() - 1));
        LOG.infof("Audit chain %s continues after %d events", chainId, ours.size());
    }

    /** Records what the signed-in user did, from the current HTTP request. */
    public void record(SecurityIdentity identity, String action, String patientId, String target, AuditOutcome outcome) {
        record(identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName(), roleName(identity), action,
                patientId, target, outcome, sourceAddress());
    }

    public synchronized void record(String actor, String role, String action, String patientId, String target,
            AuditOutcome outcome, String sourceAddress) {
        AuditEvent event = chain.next(AuditEvent.newBuilder().setOccurredAt(clock.instant()).setActor(actor)
                .setActorRole(role).setAction(action).setPatientId(patientId).setTarget(target).setOutcome(outcome)
                .setSourceAddress(sourceAddress));
        // Under the lock: the topic must hold the chain in the order it was built. A failed write
        // throws before the chain moves on, so the next event takes this one's place.
        runtime.writer().write(Topics.AUDIT, event.getChainId(), event);
        chain.written(event);
    }

    /** The signed-in user's role as the audit records it ({@code physician}...), or null. */
    public static String roleName(SecurityIdentity identity) {
        Role role = Role.of(identity);
        return role == null ? null : role.roleName();
    }

    private String sourceAddress() {
        try {
            var current = request.getCurrent();
            return current == null ? null : current.request().remoteAddress().hostAddress();
        } catch (ContextNotActiveException e) {
            return null;
        }
    }
}
