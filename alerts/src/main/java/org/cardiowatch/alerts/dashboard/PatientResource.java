package org.cardiowatch.alerts.dashboard;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.ecg.EcgStrip;
import org.cardiowatch.alerts.ecg.EcgStripReader;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;

/**
 * The signed-in clinician's patients. A patient outside their care team answers 404, the same
 * as one that does not exist, so the API does not reveal who else is monitored.
 */
@Path("/api/patients")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PatientResource {

    static final int STRIP_BEFORE_SECONDS = 10;
    static final int STRIP_AFTER_SECONDS = 20;

    private final AlertsRuntime runtime;
    private final ClinicianAccess access;
    private final SecurityIdentity identity;
    private final AuditLog audit;

    PatientResource(AlertsRuntime runtime, ClinicianAccess access, SecurityIdentity identity, AuditLog audit) {
        this.runtime = runtime;
        this.access = access;
        this.identity = identity;
        this.audit = audit;
    }

    @GET
    public List<PatientView> list() {
        List<String> visible = runtime.careTeams().snapshot().keySet().stream()
                .filter(access.visiblePatients(identity)).toList();
        audit.recordEach(identity, "patient.list", visible, "/api/patients");
        return visible.stream().map(this::view).sorted(Comparator.comparing(PatientView::name)).toList();
    }

    @GET
    @Path("/{id}")
    public PatientView get(@PathParam("id") String id) {
        requireAccess(id, "patient.read", "/api/patients/" + id);
        return view(id);
    }

    @GET
    @Path("/{id}/vitals")
    public List<VitalsView> vitals(@PathParam("id") String id) {
        requireAccess(id, "vitals.read", "/api/patients/" + id + "/vitals");
        return runtime.recentVitals().of(id).stream().map(VitalsView::of).toList();
    }

    /** The patient's trend (heart rate with its min/max band, SpO2, blood pressure) over 24h, 7d or 30d. */
    @GET
    @Path("/{id}/trends")
    public TrendView trends(@PathParam("id") String id, @QueryParam("range") @DefaultValue("24h") String range) {
        InfluxHistoryStore.TrendRange window = InfluxHistoryStore.TrendRange.parse(range)
                .orElseThrow(() -> new BadRequestException("range: 24h, 7d or 30d"));
        requireAccess(id, "trends.read", "/api/patients/" + id + "/trends?range=" + window.label());
        return new TrendView(window.label(), window.bucket(),
                runtime.requireHistory().trend(id, window, Instant.now()));
    }

    /** The patient's alert episodes over 24h, 7d or 30d, for the timeline under the trend. */
    @GET
    @Path("/{id}/alerts")
    public List<InfluxHistoryStore.AlertEpisode> alertHistory(@PathParam("id") String id,
            @QueryParam("range") @DefaultValue("24h") String range) {
        InfluxHistoryStore.TrendRange window = InfluxHistoryStore.TrendRange.parse(range)
                .orElseThrow(() -> new BadRequestException("range: 24h, 7d or 30d"));
        requireAccess(id, "alerts.history", "/api/patients/" + id + "/alerts?range=" + window.label());
        Instant now = Instant.now();
        return runtime.requireHistory().alertEpisodes(id, now.minus(window.span()), now);
    }

    /**
     * The patient's ECG from {@value #STRIP_BEFORE_SECONDS} s before {@code at} to
     * {@value #STRIP_AFTER_SECONDS} s after it (an alert's onset), with the detected beats.
     */
    @GET
    @Path("/{id}/ecg")
    public EcgStrip ecg(@PathParam("id") String id, @QueryParam("at") String at) {
        Instant onset;
        try {
            onset = Instant.parse(at == null ? "" : at);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("at: an ISO-8601 instant, such as 2026-11-26T08:00:00Z");
        }
        requireAccess(id, "ecg.read", "/api/patients/" + id + "/ecg?at=" + onset);
        try {
            return runtime.ecgStrips().read(id, onset.minusSeconds(STRIP_BEFORE_SECONDS),
                    onset.plusSeconds(STRIP_AFTER_SECONDS));
        } catch (EcgStripReader.BusyException e) {
            throw new WebApplicationException(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "5").type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build());
        }
    }

    private void requireAccess(String patientId, String action, String target) {
        access.require(identity, patientId, action, target);
    }

    private PatientView view(String patientId) {
        String name = runtime.patients().get(patientId).map(Patient::getDisplayName).orElse(patientId);
        CareTeam team = runtime.careTeams().get(patientId).orElse(null);
        List<AlertRecord> open = runtime.board().openOf(patientId);
        return new PatientView(patientId, name, status(open), team == null ? null : team.getTreatingPhysician(),
                team == null ? null : team.getBackupPhysician(),
                open.stream().map(record -> AlertView.of(record, name)).toList());
    }

    static String status(List<AlertRecord> open) {
        boolean clinical = open.stream().anyMatch(r -> !r.isTechnical());
        if (open.stream().anyMatch(r -> r.alert().getSeverity() == AlertSeverity.CRITICAL)) {
            return "critical";
        }
        if (clinical) {
            return "warning";
        }
        return open.isEmpty() ? "stable" : "no-signal";
    }
}
