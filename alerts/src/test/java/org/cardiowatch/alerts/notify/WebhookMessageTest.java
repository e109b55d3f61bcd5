package org.cardiowatch.alerts.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

class WebhookMessageTest {

    @Test
    void shouldSignTheTimeAndTheBodyAsAReceiverWrittenApartChecksThem() {
        String body = "{\"kind\":\"TACHYCARDIA\"}";
        String signature = org.cardiowatch.schemas.wire.WebhookSignature.sign(WebhookReceiver.SECRET, 1_764_900_000L, body);

        assertThat(signature, matchesPattern("t=1764900000,v1=[0-9a-f]{64}"));
        assertThat("another body", org.cardiowatch.schemas.wire.WebhookSignature.sign(WebhookReceiver.SECRET, 1_764_900_000L, body + " "),
                not(equalTo(signature)));
        assertThat("another time", org.cardiowatch.schemas.wire.WebhookSignature.sign(WebhookReceiver.SECRET, 1_764_900_001L, body),
                not(equalTo(signature)));
        String now = org.cardiowatch.schemas.wire.WebhookSignature.sign(WebhookReceiver.SECRET, java.time.Instant.now().getEpochSecond(), body);
        assertThat("the receiver's own check takes it", WebhookReceiver.verifies(now, body), equalTo(true));
        assertThat("and refuses a changed body", WebhookReceiver.verifies(now, body.replace("TACHY", "BRADY")),
                equalTo(false));
        assertThat("and an old one (replayed)", WebhookReceiver.verifies(signature, body), equalTo(false));
    }

    @Test
    void shouldLinkToTheAlertPageUnderThePublicAddress() {
        assertThat(WebhookMessage.link(java.net.URI.create("https://cw.hospital.fr/"), "a-1"),
                equalTo("https://cw.hospital.fr/alert.html?id=a-1"));
    }

    @Test
    void shouldRefuseAShortSecret() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new WebhookChannel(
                java.net.URI.create("http://127.0.0.1:1/"), "short", java.time.Duration.ofSeconds(1),
                java.net.URI.create("https://cw.hospital.fr/"), java.time.Clock.systemUTC()));
    }
}
