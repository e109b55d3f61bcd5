package org.cardiowatch.alerts.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A browser session with an end: the login form gives the session cookie beside the login cookie,
 * the login cookie alone is not accepted, and signing out ends the session for good: a copy of both
 * cookies kept from before is refused afterwards, while a new sign-in works.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class BrowserSessionApiTest {

    @Test
    void shouldEndTheSessionForGoodAtSignOut() {
        Map<String, String> cookies = signIn("cardio3");
        assertThat("the session cookie", cookies.get(BrowserSessions.COOKIE), notNullValue());
        assertThat(with(cookies).get("/api/alerts").statusCode(), is(200));

        Map<String, String> loginCookieOnly = Map.of("quarkus-credential", cookies.get("quarkus-credential"));
        assertRefused("the login cookie alone", with(loginCookieOnly).get("/api/alerts"));
        Map<String, String> forged = Map.of("quarkus-credential", cookies.get("quarkus-credential"),
                BrowserSessions.COOKIE, cookies.get(BrowserSessions.COOKIE) + "x");
        assertRefused("a session cookie tampered with", with(forged).get("/api/alerts"));

        Response signOut = with(cookies).post("/api/sign-out");
        assertThat(signOut.statusCode(), is(200));
        assertThat("then to the login page", signOut.jsonPath().getString("next"), is("/login.html"));
        assertThat("the browser forgets its cookies", signOut.getHeaders().getValues("Set-Cookie"),
                hasItem(containsString("Max-Age=0")));
        Awaitility.await("every instance knows of the sign-out").atMost(Duration.ofSeconds(20))
                .until(() -> with(cookies).get("/api/alerts").statusCode() != 200);
        assertRefused("both cookies, kept from before the sign-out", with(cookies).get("/api/alerts"));

        Map<String, String> again = signIn("cardio3");
        assertThat("a new sign-in works", with(again).get("/api/alerts").statusCode(), is(200));
    }

    /** A refused session is sent to the login page, as the dashboard expects (ApiSignInChallenge). */
    private static void assertRefused(String what, Response answer) {
        assertThat(what, answer.statusCode(), is(302));
        assertThat(what, answer.getHeader("Location"), containsString("/login.html"));
    }

    private static Map<String, String> signIn(String user) {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("j_username", user, "j_password", KafkaWithUsersResource.PASSWORD))
                .post("/j_security_check");
        assertThat(answer.statusCode(), is(302));
        assertThat("both cookies only ever sent back over HTTPS", answer.getDetailedCookies().asList().stream()
                .filter(cookie -> cookie.hasValue() && !cookie.getValue().isEmpty()).map(cookie -> cookie.getName()
                        + (cookie.isSecured() ? " Secure" : "") + (cookie.isHttpOnly() ? " HttpOnly" : "")).toList(),
                containsInAnyOrder("quarkus-credential Secure HttpOnly", BrowserSessions.COOKIE + " Secure HttpOnly"));
        return answer.getCookies();
    }

    private static io.restassured.specification.RequestSpecification with(Map<String, String> cookies) {
        return given().redirects().follow(false).cookies(cookies);
    }
}
