package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and its API over HTTPS only: a plain request is only redirected, without an
 * answer; HTTPS with the service's certificate, which a client that trusts another authority
 * refuses.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker and InfluxDB started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class HttpsOnlyTest {

    @TestHTTPResource("/api/alerts")
    URI plain;
    @TestHTTPResource(value = "/api/alerts", tls = true)
    URI secure;

    @Test
    void shouldRedirectAPlainRequestToHttpsWithoutAnsweringIt() throws Exception {
        // HTTP/1.1 as browsers speak plain HTTP (the JDK's client would ask for an h2c upgrade).
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(plain)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("cardio1:" + KafkaWithUsersResource.PASSWORD).getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(plain.getScheme(), equalTo("http"));
        assertThat("moved for good", response.statusCode(), is(301));
        // To the configured HTTPS port (HTTPS_PORT): the tests' port is picked at random, so only the rest is checked.
        assertThat(response.headers().firstValue("Location").orElseThrow(),
                both(startsWith("https://" + plain.getHost() + ":")).and(endsWith("/api/alerts")));
        assertThat("no patient data in the clear", response.body(), equalTo(""));
        assertThat("no HSTS over plain HTTP (RFC 6797)", response.headers().firstValue("Strict-Transport-Security"),
                equalTo(Optional.empty()));
    }

    @Test
    void shouldAnswerOverTls13WithTheCertificateOfItsAuthorityAndHsts() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(KafkaWithUsersResource.https()).build()
                .send(HttpRequest.newBuilder(secure).header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("cardio1:" + KafkaWithUsersResource.PASSWORD).getBytes())).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode(), is(200));
        assertThat(response.sslSession().orElseThrow().getProtocol(), equalTo("TLSv1.3"));
        assertThat(response.headers().firstValue("Strict-Transport-Security").orElseThrow(), startsWith("max-age="));
    }

    @Test
    void shouldBeRefusedByAClientThatDoesNotTrustItsAuthority() {
        // The JDK's public authorities: a client of the public web must not take the service for someone it knows.
        assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(secure).build(), HttpResponse.BodyHandlers.discarding()));
    }
}
