package org.cardiowatch.alerts.audit;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.schemas.audit.AuditChainVerifier;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;

/** The audit trail for auditors: who did what to which patient's data, and whether the chain is intact. */
@Path("/api/audit")
@RolesAllowed("auditor")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_EVENTS = 10_000;

    /** One audit event as the API shows it. */
    public record AuditEventView(String chainId, long index, Instant occurredAt, String actor, String actorRole,
            String action, String patientId, String target, String outcome, String sourceAddress, String hash) {
        static AuditEventView of(AuditEvent e) {
            byte[] hash = new byte[e.getHash().remaining()];
            e.getHash().duplicate().get(hash);
            return new AuditEventView(e.getChainId(), e.getIndex(), e.getOccurredAt(), e.getActor(), e.getActorRole(),
                    e.getAction(), e.getPatientId(), e.getTarget(), e.getOutcome().name(), e.getSourceAddress(),
                    HexFormat.of().formatHex(hash));
        }
    }

    private final KafkaConnection kafka;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    AuditResource(KafkaConnection kafka, AuditLog audit, SecurityIdentity identity) {
        this.kafka = kafka;
        this.audit = audit;
        this.identity = identity;
    }

    /**
     * Events since a time (ISO-8601, default: the last 24 hours), optionally of one patient or one
     * actor, oldest first, at most {@value #MAX_EVENTS}.
     */
    @GET
    public List<AuditEventView> events(@QueryParam("since") String since, @QueryParam("patientId") String patientId,
            @QueryParam("actor") String actor) {
        Instant from = parse(since);
        audit.record(identity, "audit.read", patientId, "/api/audit", AuditOutcome.ALLOWED);
        return TopicScan.read(kafka.bootstrapServers(), kafka.clientSettings(), Topics.AUDIT,
                from, e -> (patientId == null || patientId.equals(e.getPatientId()))
                        && (actor == null || actor.equals(e.getActor())), MAX_EVENTS)
                .stream().map(AuditEventView::of).toList();
    }

    /** Verifies every chain in the audit topic from its first event. */
    @GET
    @Path("/verify")
    public List<AuditChainVerifier.ChainReport> verify() {
        audit.record(identity, "audit.verify", null, "/api/audit/verify", AuditOutcome.ALLOWED);
        return AuditChainVerifier.verify(TopicScan.read(kafka.bootstrapServers(),
                kafka.clientSettings(), Topics.AUDIT, Instant.EPOCH, e -> true, Integer.MAX_VALUE));
    }

    private static Instant parse(String since) {
        if (since == null || since.isBlank()) {
            return Instant.now().minusSeconds(24 * 3600);
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("since: an ISO-8601 instant such as 2026-11-26T08:00:00Z");
        }
    }
}
