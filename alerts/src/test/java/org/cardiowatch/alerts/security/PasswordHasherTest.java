package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void shouldRefuseALocalPasswordShorterThanTwelveCharacters() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PasswordHasher.requireLongEnough("eleven-char".toCharArray()));
        assertThat(refused.getMessage(), containsString("12 characters"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.requireLongEnough(null));
        assertDoesNotThrow(() -> PasswordHasher.requireLongEnough("twelve-chars".toCharArray()));
    }

    @Test
    void shouldMatchOnlyThePasswordItHashed() {
        String hash = PasswordHasher.hash("correct horse battery".toCharArray(), 1_000);
        assertThat(PasswordHasher.matches("correct horse battery".toCharArray(), hash), is(true));
        assertThat(PasswordHasher.matches("correct horse battery!".toCharArray(), hash), is(false));
    }
}
