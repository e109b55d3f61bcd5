package org.cardiowatch.alerts.notify.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.cardiowatch.schemas.wire.P256Keys;
import org.junit.jupiter.api.Test;

class VapidSignerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T21:00:00Z");

    @Test
    void shouldSignATokenForThePushServicesOriginThatTheKeyItCarriesVerifies() throws Exception {
        P256Keys.Encoded keys = P256Keys.newKeyPair();
        VapidSigner signer = new VapidSigner(keys.publicKey(), keys.privateKey(), "mailto:ops@hospital.test");
        String header = signer.authorization(URI.create("https://fcm.googleapis.com/fcm/send/abc:def"), NOW);

        assertThat(header.substring(header.indexOf(", k=") + 4), equalTo(keys.publicKey()));
        String[] jwt = header.substring("vapid t=".length(), header.indexOf(',')).split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(P256Keys.publicKey(Base64.getUrlDecoder().decode(keys.publicKey())));
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat("ES256 over header.claims", verifier.verify(Base64.getUrlDecoder().decode(jwt[2])), equalTo(true));

        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat("the origin, not the endpoint", claims.get("aud").asText(), equalTo("https://fcm.googleapis.com"));
        assertThat(claims.get("sub").asText(), equalTo("mailto:ops@hospital.test"));
        assertThat(claims.get("exp").asLong(), greaterThan(NOW.getEpochSecond()));
        assertThat("at most 24 h ahead (RFC 8292)", claims.get("exp").asLong(),
                lessThanOrEqualTo(NOW.getEpochSecond() + 24 * 3600));
        assertThat(new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt[0])).get("alg").asText(), equalTo("ES256"));
    }

    @Test
    void shouldStopTheServiceWithTheSettingsNameWhenTheKeysAreWrong() {
        P256Keys.Encoded one = P256Keys.newKeyPair();
        P256Keys.Encoded other = P256Keys.newKeyPair();
        assertThat(refusal(one.publicKey(), other.privateKey(), "mailto:a@b.test"),
                containsString("public-key is not the public half of cardiowatch.alerts.notifications.push.private-key"));
        assertThat(refusal("not base64 !", one.privateKey(), "mailto:a@b.test"),
                containsString("cardiowatch.alerts.notifications.push.public-key"));
        assertThat(refusal(one.publicKey(), "c2hvcnQ", "mailto:a@b.test"),
                containsString("cardiowatch.alerts.notifications.push.private-key: not a P-256 private key"));
        assertThat(refusal(one.publicKey(), one.privateKey(), "ops@hospital.test"),
                containsString("subject must be a mailto: or https: URI"));
    }

    private static String refusal(String publicKey, String privateKey, String subject) {
        return assertThrows(IllegalArgumentException.class, () -> new VapidSigner(publicKey, privateKey, subject))
                .getMessage();
    }
}
