package org.cardiowatch.alerts.notify;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.NotificationPolicy;

/**
 * The teams' notification policies and on-call rosters, for admins ({@code policy.html}): each
 * checked, a refusal answered 400 with its reason; each change audited before it is stored.
 */
@Path("/api/admin/notification-policies")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationPolicyResource {

    /** A policy as the page shows it. */
    public record PolicyView(String team, List<PolicyRequests.Rule> rules, PolicyRequests.Quiet quietHours,
            Integer onCallAfterMinutes, List<PolicyRequests.Shift> onCall, String setBy, Instant setAt) {

        static PolicyView of(NotificationPolicy policy) {
            return new PolicyView(policy.getTeam(),
                    policy.getRules().stream().map(rule -> new PolicyRequests.Rule(rule.getPriority().name(),
                            rule.getChannels(), rule.getRepeatEveryMinutes())).toList(),
                    policy.getQuietHours() == null ? null
                            : new PolicyRequests.Quiet(policy.getQuietHours().getFrom(), policy.getQuietHours().getTo()),
                    policy.getOnCallAfterMinutes(),
                    policy.getOnCall().stream().map(shift -> new PolicyRequests.Shift(shift.getClinician(), shift.getFrom(),
                            shift.getTo())).toList(),
                    policy.getSetBy(), policy.getSetAt());
        }
    }

    private final NotificationPolicies policies;
    private final AlertsRuntime runtime;
    private final SecurityIdentity identity;
    private final AuditLog audit;

    NotificationPolicyResource(NotificationPolicies policies, AlertsRuntime runtime, SecurityIdentity identity, AuditLog audit) {
        this.policies = policies;
        this.runtime = runtime;
        this.identity = identity;
        this.audit = audit;
    }

    /** Every team's policy, and the one in force for teams without their own ('default', or the built-in one). */
    @GET
    public List<PolicyView> all() {
        List<NotificationPolicy> set = policies.all();
        if (set.stream().noneMatch(policy -> policy.getTeam().equals(TeamPolicy.DEFAULT_TEAM))) {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(TeamPolicy.BUILT_IN.policy()), set.stream())
                    .map(PolicyView::of).toList();
        }
        return set.stream().map(PolicyView::of).toList();
    }

    @PUT
    @Path("/{team}")
    @Consumes(MediaType.APPLICATION_JSON)
    public PolicyView put(@PathParam("team") String team, PolicyRequests.Policy request) {
        NotificationPolicy policy = PolicyRequests.policy(team, request, this::isClinician, identity.getPrincipal().getName(),
                Instant.now());
        audit.record(identity, "admin.notification-policy.put", null, "/api/admin/notification-policies/" + team,
                AuditOutcome.ALLOWED);
        policies.put(policy);
        return PolicyView.of(policy);
    }

    private boolean isClinician(String username) {
        return runtime.clinicians().find(username).map(account -> account.role() == Role.PHYSICIAN
                || account.role() == Role.NURSE).orElse(false);
    }
}
