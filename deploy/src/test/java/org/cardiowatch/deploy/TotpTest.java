package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238, appendix B: the SHA-1 key "12345678901234567890". */
    @Test
    void shouldGiveTheRfcsTestCodes() throws Exception {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.UTF_8);
        assertThat(Totp.at(key, 59 / 30, 8), equalTo("94287082"));
        assertThat(Totp.at(key, 1111111109L / 30, 8), equalTo("07081804"));
        assertThat(Totp.at(key, 20000000000L / 30, 8), equalTo("65353130"));
    }
}
