package org.cardiowatch.alerts.notify.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.cardiowatch.schemas.wire.P256Keys;
import org.junit.jupiter.api.Test;

class WebPushEncryptionTest {

    // RFC 8291, Appendix A: the worked example, every input fixed, and the body it gives.
    private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    private static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    private static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void shouldGiveTheRfcsWorkedExampleByteForByte() {
        KeyPair sender = new KeyPair(P256Keys.publicKey(decode(AS_PUBLIC)), P256Keys.privateKey(decode(AS_PRIVATE)));
        byte[] body = WebPushEncryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8),
                P256Keys.publicKey(decode(UA_PUBLIC)), decode(AUTH), sender, decode(SALT));
        assertThat(P256Keys.base64Url(body), equalTo(BODY));
    }

    @Test
    void shouldBeReadByTheTestsBrowserSideWhichReadsTheRfcsExampleToo() {
        KeyPair browser = new KeyPair(P256Keys.publicKey(decode(UA_PUBLIC)), P256Keys.privateKey(decode(UA_PRIVATE)));
        assertThat("the test's decryption is right", LocalPushService.decrypt(decode(BODY), browser, decode(AUTH)),
                equalTo(PLAINTEXT));

        byte[] body = WebPushEncryption.encrypt("{\"title\":\"é\"}".getBytes(StandardCharsets.UTF_8),
                (ECPublicKey) browser.getPublic(), decode(AUTH));
        assertThat(LocalPushService.decrypt(body, browser, decode(AUTH)), equalTo("{\"title\":\"é\"}"));
        assertThat("a fresh salt and key per message", P256Keys.base64Url(body), not(containsString(SALT)));
    }

    @Test
    void shouldNotBeReadableWithAnotherSecretOrOnceTampered() {
        KeyPair browser = new KeyPair(P256Keys.publicKey(decode(UA_PUBLIC)), P256Keys.privateKey(decode(UA_PRIVATE)));
        byte[] body = WebPushEncryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8),
                (ECPublicKey) browser.getPublic(), decode(AUTH));
        byte[] otherSecret = decode(AUTH);
        otherSecret[0] ^= 1;
        assertThat(LocalPushService.decrypt(body, browser, otherSecret), nullValue());
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length - 1] ^= 1;
        assertThat(LocalPushService.decrypt(tampered, browser, decode(AUTH)), nullValue());
    }

    @Test
    void shouldRefuseAMessageLongerThanOneRecordAndASecretOfTheWrongSize() {
        ECPublicKey browser = P256Keys.publicKey(decode(UA_PUBLIC));
        assertThrows(IllegalArgumentException.class, () -> WebPushEncryption.encrypt(
                new byte[WebPushEncryption.MAX_PLAINTEXT + 1], browser, decode(AUTH)));
        assertThrows(IllegalArgumentException.class, () -> WebPushEncryption.encrypt(new byte[10], browser, new byte[15]));
    }

    @Test
    void shouldRefuseABrowserKeyThatIsNotAPointOfTheCurve() {
        byte[] point = decode(UA_PUBLIC);
        point[64] ^= 1; // y no longer matches x
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> P256Keys.publicKey(point));
        assertThat(refused.getMessage(), containsString("not a point of the P-256 curve"));
        assertThrows(IllegalArgumentException.class, () -> P256Keys.publicKey(Arrays.copyOf(point, 33)));
    }

    private static byte[] decode(String base64Url) {
        return Base64.getUrlDecoder().decode(base64Url);
    }
}
