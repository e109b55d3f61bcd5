package org.cardiowatch.alerts.audit;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Records one audit event per read of patient data, acknowledgement, admin action, refused attempt
 * and alarm pushed, to cw.audit, chained by hash ({@link AuditWriter} writes them in batches from a
 * thread of its own). A request's event is stored before the answer: when the audit trail cannot
 * take it within the write timeout, or too many events wait already, the request fails (503), so
 * there is no access without its record. An alarm push's event is handed over and not waited for:
 * no alarm ever waits on the audit. At start the chain continues after its last event, found by
 * reading its partition of cw.audit backwards, not the whole topic.
 */
@Startup // resumed at start, so the first request does not pay for it and readiness includes it
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    /** Records read per step when looking for the chain's last event from the end of its partition. */
    private static final int RESUME_STEP = 10_000;

    private final AlertsRuntime runtime;
    private final AlertsConfig config;
    private final KafkaConnection kafka;
    private final CurrentVertxRequest request;
    private final Clock clock = Clock.systemUTC();
    private AuditWriter writer;

    AuditLog(AlertsRuntime runtime, AlertsConfig config, KafkaConnection kafka, CurrentVertxRequest request) {
        this.runtime = runtime;
        this.config = config;
        this.kafka = kafka;
        this.request = request;
    }

    @PostConstruct
    void resumeChain() {
        String chainId = config.audit().chainId();
        Optional<AuditEvent> last = TopicScan.lastOf(kafka.bootstrapServers(), kafka.clientSettings(), Topics.AUDIT,
                chainId, event -> chainId.equals(event.getChainId()), RESUME_STEP);
        AuditChain chain = last.map(AuditChain::continueAfter).orElseGet(() -> AuditChain.start(chainId));
        writer = new AuditWriter(chain, runtime.writer(), config.audit().queueCapacity()).start();
        LOG.infof("Audit chain %s continues after event %d", chainId, last.map(AuditEvent::getIndex).orElse(-1L));
    }

    @PreDestroy
    void stop() {
        if (writer != null) {
            writer.close();
        }
    }

    /** Records what the signed-in user did, from the current HTTP request; returns once it is stored. */
    public void record(SecurityIdentity identity, String action, String patientId, String target, AuditOutcome outcome) {
        record(identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName(), roleName(identity), action,
                patientId, target, outcome, sourceAddress());
    }

    /** Records an access; returns once it is stored, or fails (503) when the audit trail cannot take it. */
    public void record(String actor, String role, String action, String patientId, String target,
            AuditOutcome outcome, String sourceAddress) {
        await(List.of(writer.submitForRequest(draft(actor, role, action, patientId, target, outcome, sourceAddress))));
    }

    /**
     * Records one event per patient a list shows (so an auditor finds each patient's accesses),
     * handed over together: one write for the request, not one per patient in series.
     */
    public void recordEach(SecurityIdentity identity, String action, Collection<String> patientIds, String target) {
        String actor = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String role = roleName(identity);
        String source = sourceAddress();
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (String patientId : patientIds) {
            stored.add(writer.submitForRequest(draft(actor, role, action, patientId, target, AuditOutcome.ALLOWED, source)));
        }
        await(stored);
    }

    private void await(List<CompletableFuture<Void>> stored) {
        try {
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                    .get(config.audit().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ServiceUnavailableException("The audit trail cannot be written: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("The audit trail did not take the event within "
                    + config.audit().writeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted");
        }
    }

    /**
     * Records a sign-in, a failed one or a lock without waiting for it to be stored: signing in does
     * not wait on the audit (each request after it does). It goes through the requests' bounded
     * queue, so a guesser cannot grow the service's memory while the audit topic is down.
     */
    public void recordSignIn(String account, String role, String action, String target, AuditOutcome outcome,
            String sourceAddress) {
        writer.submitForRequest(draft(account, role, action, null, target, outcome, sourceAddress));
    }

    /** Records an alarm pushed to a user's dashboard without waiting: the alarm goes at once. */
    public void recordAlarmPush(String user, String patientId, String target) {
        writer.submitForAlarm(draft(user, null, "alert.push", patientId, target, AuditOutcome.ALLOWED, null));
    }

    /** Records a notification sent, failed or cancelled, without waiting: a notification is not held by the audit. */
    public void recordNotification(String actor, String action, String patientId, String target) {
        writer.submitForAlarm(draft(actor, null, action, patientId, target, AuditOutcome.ALLOWED, null));
    }

    private AuditEvent.Builder draft(String actor, String role, String action, String patientId, String target,
            AuditOutcome outcome, String sourceAddress) {
        return AuditEvent.newBuilder().setOccurredAt(clock.instant()).setActor(actor).setActorRole(role)
                .setAction(action).setPatientId(patientId).setTarget(target).setOutcome(outcome)
                .setSourceAddress(sourceAddress);
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
