package org.cardiowatch.alerts.review;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.dashboard.ClinicianAccess;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.alerts.notify.NotificationService;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.PatientReview;
import org.cardiowatch.schemas.topics.Topics;
import org.jboss.logging.Logger;

/** The daily review worklist of the signed-in clinician's patients, and marking a patient reviewed. */
@Path("/api/review")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private static final Logger LOG = Logger.getLogger(ReviewResource.class);

    private final AlertsRuntime runtime;
    private final ClinicianAccess access;
    private final SecurityIdentity identity;
    private final AuditLog audit;
    private final NotificationService notifications;

    ReviewResource(AlertsRuntime runtime, ClinicianAccess access, SecurityIdentity identity, AuditLog audit,
            NotificationService notifications) {
        this.runtime = runtime;
        this.access = access;
        this.identity = identity;
        this.audit = audit;
        this.notifications = notifications;
    }

    /** Every patient of the clinician with the last 24 hours summarised, who needs attention first. */
    @GET
    public List<ReviewRow> worklist() {
        Instant now = Instant.now();
        List<String> visible = runtime.careTeams().snapshot().keySet().stream()
                .filter(access.visiblePatients(identity)).toList();
        audit.recordEach(identity, "review.read", visible, "/api/review");
        Map<String, InfluxHistoryStore.VitalsSummary> vitals = vitals(visible, now);
        return visible.stream().map(id -> row(id, now, vitals.get(id))).sorted(DailyReview.WORKLIST).toList();
    }

    /**
     * Notifications about the clinician's patients in the last 24 hours, per clinician notified,
     * most first; empty when notifications are off.
     */
    @GET
    @Path("/notifications")
    public List<NotificationLoad> notificationLoad() {
        audit.record(identity, "review.notifications", null, "/api/review/notifications", AuditOutcome.ALLOWED);
        return notifications.notifier().map(notifier -> NotificationLoad.of(notifier.notifications().values(),
                access.visiblePatients(identity), Instant.now().minus(DailyReview.DAY))).orElse(List.of());
    }

    /** Marks the patient's day reviewed by the signed-in clinician (audited, kept on cw.reviews). */
    @POST
    @Path("/{id}/reviewed")
    @RolesAllowed({"physician", "nurse"})
    public ReviewMark markReviewed(@PathParam("id") String id) {
        access.require(identity, id, "review.mark", "/api/review/" + id + "/reviewed");
        PatientReview review = PatientReview.newBuilder().setPatientId(id)
                .setReviewedBy(identity.getPrincipal().getName()).setReviewedAt(Instant.now()).build();
        runtime.writer().write(Topics.REVIEWS, id, review);
        return new ReviewMark(id, review.getReviewedBy(), review.getReviewedAt());
    }

    private ReviewRow row(String patientId, Instant now, InfluxHistoryStore.VitalsSummary vitals) {
        String name = runtime.patients().get(patientId).map(Patient::getDisplayName).orElse(patientId);
        return DailyReview.summarise(patientId, name, runtime.board().ofPatient(patientId), vitals,
                runtime.reviews().get(patientId).orElse(null), now);
    }

    /**
     * The day's vitals of every patient of the worklist from the history, in one query; none (shown
     * as not available) when history is off or down.
     */
    private Map<String, InfluxHistoryStore.VitalsSummary> vitals(List<String> patientIds, Instant now) {
        return runtime.history().map(history -> {
            try {
                return history.summaries(patientIds, now.minus(DailyReview.DAY), now);
            } catch (RuntimeException e) {
                LOG.warnf("History unavailable for the daily review: %s", e.getClass().getSimpleName());
                return Map.<String, InfluxHistoryStore.VitalsSummary>of();
            }
        }).orElse(Map.of());
    }
}
