package org.cardiowatch.alerts.security;

import static io.restassured.RestAssured.given;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.junit.jupiter.api.Test;

/** Every response carries the security headers a browser needs, and the pages keep to the policy. */
@QuarkusTest
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
    void shouldServePagesWithoutInlineScriptSoThePolicyNeedsNoUnsafeInline() {
        for (String page : List.of("/login.html")) {
            assertThat(page, given().get(page).asString(), not(containsString("<script>")));
        }
        for (String page : List.of("/index.html", "/patient.html", "/review.html")) {
            assertThat(page, as("cardio1").get(page).asString(), not(containsString("<script>")));
        }
    }
}
