package org.cardiowatch.alerts.security;

import static io.restassured.RestAssured.given;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clinicians' side under hostile input, the web counterpart of the devices' catalogue
 * (SECURITY.md lists every entry): markup, control characters and oversized text in stored fields,
 * injection attempts in every parameter that reaches InfluxDB, Kafka or a FHIR search, path
 * traversal, oversized and deeply nested JSON, wrong content types, methods not allowed, another
 * team's ids. Each is answered with a 4xx (with its reason where the service's code answers), nothing
 * is stored (the admin writes are audited before they are made: no audit event, no write), and the
 * service goes on serving.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class HostileWebInputsTest {

    private static final String MINE = "p-hostile";
    private static final String THEIRS = "p-hostile-other";
    private static final String NEW = "p-hostile-new";

    /**
     * @param user who sends it (null: nobody signed in)
     * @param statuses the answers accepted, all 4xx
     */
    record Hostile(String name, String user, String method, String path, String contentType, String body,
            Set<Integer> statuses) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Hostile hostile(String name, String user, String method, String path, String body, int... statuses) {
        return new Hostile(name, user, method, path, "application/json", body,
                java.util.Arrays.stream(statuses).boxed().collect(java.util.stream.Collectors.toSet()));
    }

    private static Hostile typed(String name, String contentType, String body, int status) {
        return new Hostile(name, "admin", "PUT", "/api/admin/patients/" + NEW, contentType, body, Set.of(status));
    }

    static Stream<Hostile> catalogue() {
        String patientPut = "/api/admin/patients/" + NEW;
        String deviceBody = "{\"deviceId\":\"%s\",\"patientId\":\"%s\",\"model\":%s,\"payloadKey\":%s}";
        return Stream.of(
                // Stored text a clinician reads.
                hostile("W01 name with control characters", "admin", "PUT", patientPut,
                        "{\"displayName\":\"Ada\\u0000\\u001b[31m\"}", 400),
                hostile("W02 name of 10,000 characters", "admin", "PUT", patientPut,
                        "{\"displayName\":\"" + "A".repeat(10_000) + "\"}", 400),
                hostile("W03 blank name", "admin", "PUT", patientPut, "{\"displayName\":\"   \"}", 400),
                hostile("W04 name null", "admin", "PUT", patientPut, "{\"displayName\":null}", 400),
                hostile("W05 birth year in the future", "admin", "PUT", patientPut,
                        "{\"displayName\":\"Ada\",\"birthYear\":99999}", 400),
                hostile("W06 birth year negative", "admin", "PUT", patientPut,
                        "{\"displayName\":\"Ada\",\"birthYear\":-1}", 400),
                hostile("W07 device model with a line break (log forging)", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev-hostile-7", NEW, "\"X\\nINFO forged\"", "null"), 400),
                hostile("W08 device model of 10,000 characters", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev-hostile-8", NEW, "\"" + "m".repeat(10_000) + "\"", "null"), 400),
                // Ids that reach Kafka keys, MQTT topics, InfluxDB tags.
                hostile("W09 device id with an MQTT wildcard", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev/#", NEW, "null", "null"), 400),
                hostile("W10 device id with path traversal", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "../../etc", NEW, "null", "null"), 400),
                hostile("W11 device id with markup", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "<script>", NEW, "null", "null"), 400),
                hostile("W12 patient id with an InfluxQL quote", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev-hostile-12", "p' OR '1'='1", "null", "null"), 400),
                hostile("W13 payload key not Base64", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev-hostile-13", NEW, "null", "\"%%%\""), 400),
                hostile("W14 payload key of 16 bytes", "admin", "POST", "/api/admin/devices",
                        String.format(deviceBody, "dev-hostile-14", NEW, "null", "\"AAAAAAAAAAAAAAAAAAAAAA==\""), 400),
                hostile("W15 enrolment without a body", "admin", "POST", "/api/admin/devices", "", 400),
                hostile("W16 patient id with a quote in the path", "admin", "PUT", "/api/admin/patients/p-1';DROP",
                        "{\"displayName\":\"Ada\"}", 400),
                hostile("W17 patient id of 65 characters", "admin", "PUT", "/api/admin/patients/" + "p".repeat(65),
                        "{\"displayName\":\"Ada\"}", 400),
                hostile("W18 care team led by a nurse", "admin", "PUT", "/api/admin/care-teams/" + NEW,
                        "{\"treatingPhysician\":\"nurse1\"}", 400),
                hostile("W19 care team led by markup", "admin", "PUT", "/api/admin/care-teams/" + NEW,
                        "{\"treatingPhysician\":\"<img src=x onerror=alert(1)>\"}", 400),
                hostile("W20 a physician listed as a nurse", "admin", "PUT", "/api/admin/care-teams/" + NEW,
                        "{\"treatingPhysician\":\"cardio1\",\"nurses\":[\"cardio2\"]}", 400),
                hostile("W21 ten thousand nurses", "admin", "PUT", "/api/admin/care-teams/" + NEW,
                        "{\"treatingPhysician\":\"cardio1\",\"nurses\":[" + "\"nurse1\",".repeat(9_999) + "\"nurse1\"]}",
                        400, 413),
                hostile("W22 heart rate limits upside down", "admin", "PUT", "/api/admin/thresholds/" + NEW,
                        "{\"heartRateLowBpm\":150,\"heartRateHighBpm\":50}", 400),
                hostile("W23 SpO2 limit above 100 %", "admin", "PUT", "/api/admin/thresholds/" + NEW,
                        "{\"spo2LowPercent\":150}", 400),
                hostile("W24 negative heart rate limit", "admin", "PUT", "/api/admin/thresholds/" + NEW,
                        "{\"heartRateHighBpm\":-5}", 400),
                hostile("W25 sustain of a billion seconds", "admin", "PUT", "/api/admin/thresholds/" + NEW,
                        "{\"sustainSeconds\":1000000000}", 400),
                hostile("W26 consent status as SQL", "admin", "PUT", "/api/admin/consents/" + NEW,
                        "{\"status\":\"ACTIVE' OR 1=1 --\"}", 400),
                hostile("W27 consent status in lower case", "admin", "PUT", "/api/admin/consents/" + NEW,
                        "{\"status\":\"withdrawn\"}", 400),
                // Bodies.
                hostile("W28 malformed JSON", "admin", "PUT", patientPut, "{\"displayName\":", 400),
                hostile("W29 a JSON array for an object", "admin", "PUT", patientPut, "[]", 400),
                hostile("W30 JSON nested 5,000 deep", "admin", "PUT", patientPut,
                        "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), 400),
                hostile("W31 a body of 1 MB", "admin", "PUT", patientPut,
                        "{\"displayName\":\"" + "A".repeat(1_000_000) + "\"}", 413),
                typed("W32 text/plain for JSON", "text/plain", "displayName=Ada", 415),
                typed("W33 XML for JSON", "application/xml", "<patient><displayName>Ada</displayName></patient>", 415),
                // Parameters that reach InfluxDB, Kafka reads and FHIR searches.
                hostile("W34 trend range with an InfluxQL statement", "cardio1", "GET",
                        "/api/patients/" + MINE + "/trends?range=24h%3BDROP MEASUREMENT minutes", null, 400),
                hostile("W35 trend range with a quote", "cardio1", "GET",
                        "/api/patients/" + MINE + "/trends?range=1d' or '1'='1", null, 400),
                hostile("W36 alert history range with path traversal", "cardio1", "GET",
                        "/api/patients/" + MINE + "/alerts?range=../../../etc/passwd", null, 400),
                hostile("W37 ECG time as a function", "cardio1", "GET", "/api/patients/" + MINE + "/ecg?at=now()", null,
                        400),
                hostile("W38 ECG time with a statement after it", "cardio1", "GET",
                        "/api/patients/" + MINE + "/ecg?at=2026-01-01T00:00:00Z%3BDROP", null, 400),
                hostile("W39 FHIR _count not a number", "cardio1", "GET",
                        "/fhir/Observation?patient=" + MINE + "&_count=abc", null, 400),
                hostile("W40 FHIR _count of 100,000", "cardio1", "GET",
                        "/fhir/Observation?patient=" + MINE + "&_count=100000", null, 400),
                hostile("W41 FHIR _offset negative", "cardio1", "GET",
                        "/fhir/Observation?patient=" + MINE + "&_offset=-1", null, 400),
                hostile("W42 FHIR date not a date", "cardio1", "GET",
                        "/fhir/Observation?patient=" + MINE + "&date=ge2026-13-45", null, 400),
                hostile("W43 FHIR patient with a quote", "cardio1", "GET",
                        "/fhir/Observation?patient=p-hostile' OR '1'='1", null, 400),
                hostile("W44 audit since as SQL", "auditor1", "GET", "/api/audit?since=1 OR 1=1", null, 400),
                // Another team's ids, and paths around the rules.
                hostile("W45 another team's patient", "cardio1", "GET", "/api/patients/" + THEIRS, null, 404),
                hostile("W46 another team's vitals", "cardio1", "GET", "/api/patients/" + THEIRS + "/vitals", null, 404),
                hostile("W47 another team's ECG", "cardio1", "GET",
                        "/api/patients/" + THEIRS + "/ecg?at=2026-12-05T09:00:00Z", null, 404),
                hostile("W48 another team's FHIR patient", "cardio1", "GET", "/fhir/Patient/" + THEIRS, null, 404),
                hostile("W49 another team's patient marked reviewed", "cardio1", "POST",
                        "/api/review/" + THEIRS + "/reviewed", "", 404),
                hostile("W50 acknowledging an alert that is not one's own", "cardio1", "POST",
                        "/api/alerts/alert-of-" + THEIRS + "/ack", "", 404),
                hostile("W51 the admin API through path traversal", "cardio1", "GET",
                        "/api/patients/%2e%2e/%2e%2e/admin/patients/" + MINE + "/export", null, 400, 403, 404),
                hostile("W52 a physician calling the admin API", "cardio1", "PUT", patientPut,
                        "{\"displayName\":\"Ada\"}", 403),
                hostile("W53 the audit trail as a physician", "cardio1", "GET", "/api/audit", null, 403),
                hostile("W54 patient data with nobody signed in", null, "GET", "/api/patients/" + MINE, null, 401),
                // Methods not allowed.
                hostile("W55 DELETE on the alert list", "cardio1", "DELETE", "/api/alerts", null, 405),
                hostile("W56 PUT on a patient's page", "cardio1", "PUT", "/api/patients/" + MINE, "{}", 405),
                hostile("W57 PATCH on the admin API", "admin", "PATCH", patientPut, "{\"displayName\":\"Ada\"}", 405),
                hostile("W58 frequent-PVC limit of 0 %: every beat an alarm", "admin", "PUT", "/api/admin/thresholds/" + NEW,
                        "{\"frequentPvcPercent\":0}", 400));
    }

    private static boolean patientsReady;

    /** Before the first entry (not in a @BeforeAll: the service under test is not up yet then). */
    private static synchronized void patients() {
        if (patientsReady) {
            return;
        }
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, MINE, Patient.newBuilder().setPatientId(MINE)
                .setDisplayName("Hostile Mine").build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, MINE, CareTeam.newBuilder().setPatientId(MINE)
                .setTreatingPhysician("cardio1").build());
        KafkaWithUsersResource.writer().write(Topics.PATIENTS, THEIRS, Patient.newBuilder().setPatientId(THEIRS)
                .setDisplayName("Hostile Theirs").build());
        KafkaWithUsersResource.writer().write(Topics.CARE_TEAMS, THEIRS, CareTeam.newBuilder().setPatientId(THEIRS)
                .setTreatingPhysician("cardio2").build());
        Awaitility.await("the patients are known").atMost(Duration.ofSeconds(30))
                .until(() -> as("cardio1").get("/api/patients/" + MINE).statusCode() == 200
                        && as("cardio2").get("/api/patients/" + THEIRS).statusCode() == 200);
        patientsReady = true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void shouldRefuseWithAReason(Hostile input) {
        patients();
        RequestSpecification request = input.user() == null ? given() : as(input.user());
        request = request.redirects().follow(false).urlEncodingEnabled(false);
        if (input.body() != null) {
            request = request.contentType(input.contentType()).body(input.body());
            if (input.body().length() > 64 * 1024) {
                // As a careful client sends a large body: the service refuses it (413) on its length, before it
                // is sent. Sent straight away, the refusal closes the connection while the body is still going
                // out, which TLS reports to the sender as a broken pipe instead of the answer.
                request = request.header("Expect", "100-continue");
            }
        }
        Response answer = request.request(input.method(), input.path().replace(" ", "%20"));

        assertThat(input.name() + ": " + answer.asString(), answer.statusCode(), is(in(input.statuses())));
        if (answer.statusCode() == 400) {
            assertThat(input.name() + " says why", answer.jsonPath().getString("error"), not(org.hamcrest.Matchers
                    .emptyOrNullString()));
        }
    }

    @Test
    void shouldStoreNothingOfTheRefusedWritesAndGoOnServing() {
        catalogue().forEach(this::shouldRefuseWithAReason);

        // Every admin write is audited before it is made; a refused one leaves neither.
        List<String> audited = new ArrayList<>(as("auditor1").queryParam("patientId", NEW).get("/api/audit")
                .jsonPath().getList("action", String.class));
        audited.removeIf(action -> !action.startsWith("admin."));
        assertThat("no admin write about " + NEW, audited, empty());
        assertThat(as("cardio1").get("/api/patients/" + NEW).statusCode(), is(404));
        assertThat("the service goes on", as("cardio1").get("/api/patients/" + MINE).statusCode(), is(200));
        assertThat(given().get("/q/health/ready").statusCode(), is(200));
        assertThat(catalogue().count(), greaterThanOrEqualTo(40L));
    }
}
