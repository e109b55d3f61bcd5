package org.cardiowatch.alerts.security;

import static io.restassured.RestAssured.given;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A guesser against the real service: wrong passwords answered as any wrong password until the
 * throttle locks the account from that address; then 429 with Retry-After, even for the right
 * password, and without computing the hash; every failure and the lock in the audit trail.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class SignInThrottleApiTest {

    @Test
    void shouldAnswerGuessesAsWrongPasswordsThenTooManyRequestsWithRetryAfter() {
        Instant start = Instant.now();
        List<Integer> answers = new ArrayList<>();
        for (int guess = 0; guess < 6; guess++) {
            Response answer = signIn("guessed1", "wrong-password-" + guess);
            answers.add(answer.statusCode());
            assertThat("the login form's error page, as for an unknown account", answer.getHeader("Location"),
                    containsString("error"));
        }
        assertThat(answers, everyItem(equalTo(302)));

        Response locked = signIn("guessed1", KafkaWithUsersResource.PASSWORD);
        assertThat("locked: even the right password waits", locked.statusCode(), is(429));
        assertThat(Integer.parseInt(locked.getHeader("Retry-After")), lessThanOrEqualTo(30));
        assertThat(as("guessed1").get("/api/alerts").statusCode(), is(429));
        assertThat("an unknown account is answered the same", signIn("nobody-here", "x").statusCode(), is(302));
        assertThat("another account from the same address signs in", as("guessed2").get("/api/alerts").statusCode(),
                is(200));

        Awaitility.await("the failures and the lock are audited").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> actions("guessed1", start).stream().filter("sign-in.failed"::equals).count() == 6);
        assertThat(actions("guessed1", start), hasItems("sign-in.failed", "sign-in.locked"));
        assertThat("the refusals during the lock are not each audited", actions("guessed1", start),
                not(hasItems("sign-in")));
    }

    @Test
    void shouldRefuseAnImplausibleUserNameWithoutKeepingIt() {
        Instant start = Instant.now();
        Response answer = signIn("x".repeat(100) + "\u0007", "whatever-password");

        assertThat(answer.statusCode(), is(302));
        assertThat(answer.getHeader("Location"), containsString("error"));
        Awaitility.await("audited under one name").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> actions("(invalid user name)", start).contains("sign-in.failed"));
    }

    private static Response signIn(String user, String password) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("j_username", user, "j_password", password)).post("/j_security_check");
    }

    private static List<String> actions(String actor, Instant since) {
        return as("auditor1").queryParam("actor", actor).queryParam("since", since.toString()).get("/api/audit")
                .jsonPath().getList("action", String.class);
    }
}
