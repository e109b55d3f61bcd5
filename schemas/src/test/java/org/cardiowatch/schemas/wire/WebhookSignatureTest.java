package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "a-shared-secret-of-32-characters!";
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void shouldTakeItsOwnSignatureAndRefuseAChangedBodyAnotherSecretAnOldTimeOrAMalformedHeader() {
        String body = "{\"kind\":\"PAUSE\"}";
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), body);

        assertThat(WebhookSignature.verify(SECRET, header, body, NOW.plusSeconds(30), WINDOW), is(true));
        assertThat("a changed body", WebhookSignature.verify(SECRET, header, body.replace("PAUSE", "BRADY"), NOW, WINDOW),
                is(false));
        assertThat("another secret", WebhookSignature.verify(SECRET + "x", header, body, NOW, WINDOW), is(false));
        assertThat("replayed 6 minutes later", WebhookSignature.verify(SECRET, header, body, NOW.plusSeconds(360), WINDOW),
                is(false));
        assertThat("no header", WebhookSignature.verify(SECRET, null, body, NOW, WINDOW), is(false));
        assertThat("a header of another form", WebhookSignature.verify(SECRET, "sha256=" + header, body, NOW, WINDOW),
                is(false));
    }
}
