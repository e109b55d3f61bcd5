package org.cardiowatch.alerts.notify.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.cardiowatch.schemas.wire.P256Keys;

/**
 * Identifies CardioWatch to a push service (VAPID, RFC 8292): each request carries a short-lived
 * ES256 token for the push service's origin, signed with the application server's key, and that
 * key's public half, the one the browser was subscribed with. A push service refuses a message to
 * that subscription signed with any other key, so a leaked endpoint alone cannot reach the clinician.
 */
public final class VapidSigner {

    /** Under RFC 8292's 24 hours, so a push service's clock ahead of ours still takes it. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ECPublicKey publicKey;
    private final ECPrivateKey privateKey;
    private final String subject;

    /**
     * @param publicKey base64url uncompressed point, as the browser's {@code applicationServerKey}
     * @param privateKey base64url 32-byte scalar
     * @param subject a contact for the push service's operator: {@code mailto:} or {@code https:}
     */
    public VapidSigner(String publicKey, String privateKey, String subject) {
        try {
            this.publicKey = P256Keys.publicKey(P256Keys.base64Url(publicKey, "the VAPID public key"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cardiowatch.alerts.notifications.push.public-key: " + e.getMessage());
        }
        try {
            this.privateKey = P256Keys.privateKey(P256Keys.base64Url(privateKey, "the VAPID private key"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cardiowatch.alerts.notifications.push.private-key: " + e.getMessage());
        }
        if (subject == null || !(subject.startsWith("mailto:") || subject.startsWith("https://"))) {
            throw new IllegalArgumentException("cardiowatch.alerts.notifications.push.subject must be a mailto: or https: URI");
        }
        this.subject = subject;
        if (!halvesMatch()) {
            throw new IllegalArgumentException("cardiowatch.alerts.notifications.push.public-key is not the public half"
                    + " of cardiowatch.alerts.notifications.push.private-key");
        }
    }

    /** The public key the browser subscribes with ({@code applicationServerKey}), base64url. */
    public String publicKey() {
        return P256Keys.base64Url(P256Keys.point(publicKey));
    }

    /** The {@code Authorization} header for a request to this endpoint, valid from now. */
    public String authorization(URI endpoint, Instant now) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        String header = base64Json(Map.of("typ", "JWT", "alg", "ES256"));
        String claims = base64Json(Map.of("aud", audience, "exp", now.plus(TOKEN_LIFETIME).getEpochSecond(), "sub", subject));
        String signingInput = header + "." + claims;
        return "vapid t=" + signingInput + "." + P256Keys.base64Url(sign(signingInput.getBytes(StandardCharsets.US_ASCII)))
                + ", k=" + publicKey();
    }

    /** ES256 as JWS writes it: r and s, 32 bytes each (not DER). */
    private byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    private boolean halvesMatch() {
        try {
            byte[] probe = "vapid key check".getBytes(StandardCharsets.US_ASCII);
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(sign(probe));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String base64Json(Map<String, Object> fields) {
        try {
            return P256Keys.base64Url(JSON.writeValueAsBytes(new TreeMap<>(fields)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings and numbers is always JSON", e);
        }
    }
}
