package org.cardiowatch.alerts.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpsCheckTest {

    @Test
    void shouldRefuseToStartWithoutACertificateAndSayWhichSettingIsMissing() {
        assertThat(assertThrows(IllegalStateException.class, () -> HttpsCheck.require(Optional.empty())).getMessage(),
                containsString("CW_TLS_KEY_STORE is not set"));
    }
}
