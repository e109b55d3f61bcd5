package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionKeyCheckTest {

    @Test
    void shouldRefuseToStartWithoutAKeyOrWithAShortOne() {
        assertThat(assertThrows(IllegalStateException.class, () -> SessionKeyCheck.require(Optional.empty()))
                .getMessage(), containsString("CW_SESSION_KEY is not set"));
        assertThat(assertThrows(IllegalStateException.class, () -> SessionKeyCheck.require(Optional.of("  ")))
                .getMessage(), containsString("CW_SESSION_KEY is not set"));
        assertThat(assertThrows(IllegalStateException.class, () -> SessionKeyCheck.require(Optional.of("short-key")))
                .getMessage(), containsString("too short"));
        assertDoesNotThrow(() -> SessionKeyCheck.require(Optional.of("k".repeat(SessionKeyCheck.MINIMUM_LENGTH))));
    }
}
