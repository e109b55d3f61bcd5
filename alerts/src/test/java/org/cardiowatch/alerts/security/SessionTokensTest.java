package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
    private static final byte[] KEY = new byte[32];

    private static SessionTokens at(Instant now) {
        return new SessionTokens(KEY, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void shouldAcceptItsOwnTokenForItsUserUntilTheAbsoluteTimeout() {
        String token = at(T0).issue("cardio1");

        assertThat(at(T0.plus(Duration.ofHours(11))).refusal(token, "cardio1", user -> Optional.empty()),
                is(Optional.empty()));
        assertThat(at(T0.plus(Duration.ofHours(12))).refusal(token, "cardio1", user -> Optional.empty()),
                equalTo(Optional.of("session older than PT12H")));
    }

    @Test
    void shouldRefuseASessionBegunBeforeItsUserSignedOut() {
        String before = at(T0).issue("cardio1");
        String after = at(T0.plusSeconds(60)).issue("cardio1");
        SessionTokens now = at(T0.plusSeconds(120));

        assertThat(now.refusal(before, "cardio1", user -> Optional.of(T0.plusSeconds(30))),
                equalTo(Optional.of("signed out")));
        assertThat("a sign-in after the sign-out", now.refusal(after, "cardio1", user -> Optional.of(T0.plusSeconds(30))),
                is(Optional.empty()));
    }

    @Test
    void shouldRefuseForgedTamperedOrAnotherUsersTokens() {
        String token = at(T0).issue("cardio1");
        SessionTokens tokens = at(T0.plusSeconds(1));

        assertThat(tokens.refusal(token, "cardio2", user -> Optional.empty()),
                equalTo(Optional.of("session of another user")));
        String later = token.replace("." + T0.toEpochMilli() + ".", "." + (T0.toEpochMilli() + 3_600_000) + ".");
        assertThat("a start moved later", tokens.refusal(later, "cardio1", user -> Optional.empty()),
                equalTo(Optional.of("session not signed by this service")));
        String otherKey = new SessionTokens(new byte[] {1}, Duration.ofHours(12), Clock.fixed(T0, ZoneOffset.UTC))
                .issue("cardio1");
        assertThat(tokens.refusal(otherKey, "cardio1", user -> Optional.empty()),
                equalTo(Optional.of("session not signed by this service")));
        assertThat(tokens.refusal(null, "cardio1", user -> Optional.empty()), equalTo(Optional.of("no session")));
        assertThat(tokens.refusal("v1.x.y", "cardio1", user -> Optional.empty()),
                equalTo(Optional.of("malformed session")));
        assertThat(tokens.refusal("v1.!!.1.!!", "cardio1", user -> Optional.empty()),
                equalTo(Optional.of("malformed session")));
    }
}
