package org.cardiowatch.alerts.fhir;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.dashboard.ClinicianAccess;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.fhir.AlertResources;
import org.cardiowatch.fhir.DeviceResources;
import org.cardiowatch.fhir.EctopicBurdenObservations;
import org.cardiowatch.fhir.FhirJson;
import org.cardiowatch.fhir.PatientResources;
import org.cardiowatch.fhir.VitalSignsObservations;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Resource;

/**
 * A read-only FHIR R4 API over CardioWatch's data, behind the same sign-in, care-team rule and
 * audit as the rest of the API: Patient by id; Observation (vital signs from the history),
 * DetectedIssue (alerts) and Device searched by patient, Observation and DetectedIssue by date
 * too, in pages of Bundles.
 */
@Path("/fhir")
@Authenticated
@Produces(FhirJson.MEDIA_TYPE)
public class FhirResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private final AlertsRuntime runtime;
    private final ClinicianAccess access;
    private final SecurityIdentity identity;

    @Context
    UriInfo uri;

    FhirResource(AlertsRuntime runtime, ClinicianAccess access, SecurityIdentity identity) {
        this.runtime = runtime;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Path("/metadata")
    public String capabilities() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(Enumerations.PublicationStatus.ACTIVE).setDate(new java.util.Date())
                .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE)
                .setFhirVersion(Enumerations.FHIRVersion._4_0_1).addFormat("json");
        CapabilityStatement.CapabilityStatementRestComponent rest = statement.addRest()
                .setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.addResource().setType("Patient").addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        for (String type : List.of("Observation", "DetectedIssue", "Device")) {
            CapabilityStatement.CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type);
            resource.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
            resource.addSearchParam().setName("patient").setType(Enumerations.SearchParamType.REFERENCE);
            if (!type.equals("Device")) {
                resource.addSearchParam().setName("date").setType(Enumerations.SearchParamType.DATE);
            }
        }
        return FhirJson.write(statement);
    }

    @GET
    @Path("/Patient/{id}")
    public String patient(@PathParam("id") String id) {
        requireAccess(id, "/fhir/Patient/" + id);
        return FhirJson.write(PatientResources.of(runtime.patients().get(id)
                .orElseThrow(() -> new NotFoundException("No such patient in your care team"))));
    }

    /**
     * Vital signs from the history, a page of readings at a time (each gives up to three
     * Observations); the first page also gives the window's PVC and SVEB burdens when the patient
     * sent ECG in it.
     */
    @GET
    @Path("/Observation")
    public String observations(@QueryParam("patient") String patient, @QueryParam("date") List<String> dates,
            @QueryParam("_count") @DefaultValue("50") String countParam,
            @QueryParam("_offset") @DefaultValue("0") String offsetParam) {
        String id = patientId(patient);
        // Taken as text: a number JAX-RS cannot convert would be answered 404 without a word.
        int count = parseInt(countParam);
        int offset = parseInt(offsetParam);
        if (count < 1 || count > MAX_PAGE || offset < 0) {
            throw new BadRequestException("_count: 1 to " + MAX_PAGE + "; _offset: 0 or more");
        }
        FhirSearchWindow window = FhirSearchWindow.parse(dates, Instant.now());
        requireAccess(id, "/fhir/Observation?" + uri.getRequestUri().getRawQuery());
        List<InfluxHistoryStore.StoredReading> readings = runtime.requireHistory()
                .readings(id, window.from(), window.to(), count, offset);
        Bundle bundle = searchSet();
        if (offset == 0) {
            // The window's ectopic beat burdens, when the patient sent ECG in it, lead the first page.
            InfluxHistoryStore.VitalsSummary summary = runtime.requireHistory()
                    .summaries(List.of(id), window.from(), window.to()).get(id);
            if (summary.classifiedBeats() > 0) {
                add(bundle, EctopicBurdenObservations.of(id, window.from(), window.to(),
                        EctopicBurdenObservations.Ectopy.VENTRICULAR, summary.classifiedBeats(), summary.ventricularBeats()));
                add(bundle, EctopicBurdenObservations.of(id, window.from(), window.to(),
                        EctopicBurdenObservations.Ectopy.SUPRAVENTRICULAR, summary.classifiedBeats(),
                        summary.supraventricularBeats()));
            }
        }
        readings.forEach(r -> VitalSignsObservations.of(id, r.deviceId(), r.at(), r.heartRate(), r.spo2(), r.systolic(),
                r.diastolic()).forEach(o -> add(bundle, o)));
        if (readings.size() == count) {
            bundle.addLink().setRelation("next").setUrl(uri.getRequestUriBuilder()
                    .replaceQueryParam("_offset", offset + count).build().toString());
        }
        return FhirJson.write(bundle);
    }

    /** Alerts of the window from the history, with the acknowledgement when the board still knows it. */
    private static int parseInt(String number) {
        try {
            return Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @GET
    @Path("/DetectedIssue")
    public String detectedIssues(@QueryParam("patient") String patient, @QueryParam("date") List<String> dates) {
        String id = patientId(patient);
        FhirSearchWindow window = FhirSearchWindow.parse(dates, Instant.now());
        requireAccess(id, "/fhir/DetectedIssue?" + uri.getRequestUri().getRawQuery());
        Bundle bundle = searchSet();
        var episodes = runtime.requireHistory().alertEpisodes(id, window.from(), window.to());
        for (InfluxHistoryStore.AlertEpisode episode : episodes) {
            AlertRecord record = runtime.board().get(episode.alertId()).orElse(null);
            add(bundle, AlertResources.detectedIssue(alert(id, episode),
                    record == null ? null : record.acknowledgedBy(), record == null ? null : record.acknowledgedAt()));
        }
        return FhirJson.write(bundle);
    }

    @GET
    @Path("/Device")
    public String devices(@QueryParam("patient") String patient) {
        String id = patientId(patient);
        requireAccess(id, "/fhir/Device?patient=" + id);
        Bundle bundle = searchSet();
        runtime.devices().snapshot().values().stream().filter(device -> device.getPatientId().equals(id))
                .forEach(device -> add(bundle, DeviceResources.of(device)));
        return FhirJson.write(bundle);
    }

    /** The patient search parameter as FHIR clients send it: an id or Patient/id. */
    private static String patientId(String patient) {
        if (patient == null || patient.isBlank()) {
            throw new BadRequestException("patient: required, such as patient=Patient/p-1001");
        }
        String id = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new BadRequestException("patient: not a patient id");
        }
        return id;
    }

    private static Alert alert(String patientId, InfluxHistoryStore.AlertEpisode episode) {
        return Alert.newBuilder().setAlertId(episode.alertId()).setPatientId(patientId)
                .setKind(AlertKind.valueOf(episode.kind())).setSeverity(AlertSeverity.valueOf(episode.severity()))
                .setState(AlertState.valueOf(episode.state())).setOpenedAt(episode.openedAt())
                .setUpdatedAt(episode.resolvedAt() == null ? episode.openedAt() : episode.resolvedAt())
                .setResolvedAt(episode.resolvedAt())
                .setEvidence(AlertEvidence.newBuilder().setSummary(episode.summary()).setMeasure(episode.measure())
                        .setWorstValue(episode.worstValue()).setSources(episode.sources())
                        .setResolution(episode.resolution()).build()).build();
    }

    private Bundle searchSet() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        return bundle;
    }

    private void add(Bundle bundle, Resource resource) {
        bundle.addEntry().setFullUrl(uri.getBaseUri() + "fhir/" + resource.fhirType() + "/"
                + resource.getIdElement().getIdPart()).setResource(resource).getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
        bundle.setTotal(bundle.getEntry().size());
    }

    private void requireAccess(String patientId, String target) {
        access.require(identity, patientId, "fhir.read", target);
    }
}
