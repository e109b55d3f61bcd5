package org.cardiowatch.alerts.security;

import static io.restassured.RestAssured.given;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every response carries the security headers a browser needs, on every page and every API route
 * (found in the service's classes, so a new route is checked without being listed), and the pages
 * keep to the policy.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class SecurityHeadersTest {

    @Test
    void shouldSendTheSecurityHeadersOnPagesApiAnswersAndRefusals() {
        List<Response> responses = List.of(
                given().get("/login.html"),
                as("cardio1").get("/api/alerts"),
                given().redirects().follow(false).get("/api/alerts"));
        for (Response response : responses) {
            assertThat(response.statusCode() + " " + response.getHeaders(), response.getHeader("Content-Security-Policy"),
                    containsString("default-src 'self'"));
            assertThat(response.getHeader("Content-Security-Policy"), containsString("frame-ancestors 'none'"));
            assertThat(response.getHeader("X-Frame-Options"), equalTo("DENY"));
            assertThat(response.getHeader("X-Content-Type-Options"), equalTo("nosniff"));
            assertThat(response.getHeader("Referrer-Policy"), equalTo("no-referrer"));
        }
    }

    @Test
    void shouldSendThemAndNoStoreOnEveryPageAndEveryApiRoute() throws Exception {
        List<String[]> routes = apiRoutes();
        assertThat("the scan finds the API's routes", routes.size(), greaterThan(25));
        List<String> checked = new ArrayList<>();
        for (String[] route : routes) {
            Response response = as("cardio1").contentType("application/json").body("{}").redirects().follow(false)
                    .request(route[0], route[1]);
            assertSecurityHeaders(route[0] + " " + route[1] + " -> " + response.statusCode(), response);
            checked.add(route[0] + " " + route[1]);
        }
        try (Stream<java.nio.file.Path> pages = Files.list(java.nio.file.Path.of("src/main/resources/META-INF/resources"))) {
            for (java.nio.file.Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                Response response = as("cardio1").get("/" + page.getFileName());
                assertThat(page + " is served", response.statusCode(), is(200));
                assertSecurityHeaders(page.toString(), response);
                checked.add(page.getFileName().toString());
            }
        }
        assertThat(checked, hasItems("GET /api/patients", "index.html", "login.html"));
    }

    private static void assertSecurityHeaders(String what, Response response) {
        assertThat(what, response.getHeader("Content-Security-Policy"), containsString("default-src 'self'"));
        assertThat(what, response.getHeader("Content-Security-Policy"), not(containsString("unsafe-inline")));
        assertThat(what, response.getHeader("X-Frame-Options"), equalTo("DENY"));
        assertThat(what, response.getHeader("X-Content-Type-Options"), equalTo("nosniff"));
        assertThat(what, response.getHeader("Referrer-Policy"), equalTo("no-referrer"));
        assertThat(what, response.getHeader("Cache-Control"), equalTo("no-store"));
        assertThat(what + " over HTTPS", response.getHeader("Strict-Transport-Security"),
                equalTo(SecurityHeaders.STRICT_TRANSPORT_SECURITY));
    }

    /** Method and path of every JAX-RS route of the service, found in its classes ({id}-like parts filled in). */
    private static List<String[]> apiRoutes() throws Exception {
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
        List<String[]> routes = new ArrayList<>();
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = Files.walk(classes.resolve("org/cardiowatch/alerts"))) {
            files = walk.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList();
        }
        for (java.nio.file.Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                for (Class<? extends Annotation> verb : List.of(GET.class, POST.class, PUT.class, DELETE.class)) {
                    if (method.isAnnotationPresent(verb)) {
                        Path sub = method.getAnnotation(Path.class);
                        String path = (base.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/")
                                .replaceAll("/$", "").replaceAll("\\{[^}]+}", "p-headers");
                        routes.add(new String[] {verb.getSimpleName(), path});
                    }
                }
            }
        }
        return routes;
    }

    @Test
    void shouldServePagesWithoutInlineScriptSoThePolicyNeedsNoUnsafeInline() {
        for (String page : List.of("/login.html")) {
            assertThat(page, given().get(page).asString(), not(containsString("<script>")));
        }
        for (String page : List.of("/index.html", "/patient.html", "/review.html")) {
            assertThat(page, as("cardio1").get(page).asString(), not(containsString("<script>")));
        }
    }
}
