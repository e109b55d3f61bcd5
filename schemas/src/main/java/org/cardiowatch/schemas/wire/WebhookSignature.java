package org.cardiowatch.schemas.wire;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of CardioWatch's webhook notifications (the scheme of Stripe's and Slack's
 * webhooks): header {@value #HEADER} {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"
 * with the shared secret>}. A receiver recomputes it over the body it got and refuses a {@code t}
 * outside its replay window.
 */
public final class WebhookSignature {

    public static final String HEADER = "CardioWatch-Signature";
    private static final Pattern FORMAT = Pattern.compile("t=(\\d{1,12}),v1=([0-9a-f]{64})");

    private WebhookSignature() {
    }

    /** The header's value for a body sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, String body) {
        return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, epochSeconds, body));
    }

    /** Whether the header signs this body with this secret, at a time within {@code window} of {@code now}. */
    public static boolean verify(String secret, String header, String body, Instant now, Duration window) {
        Matcher m = header == null ? null : FORMAT.matcher(header);
        if (m == null || !m.matches()) {
            return false;
        }
        long t = Long.parseLong(m.group(1));
        if (Math.abs(now.getEpochSecond() - t) > window.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, t, body), HexFormat.of().parseHex(m.group(2)));
    }

    private static byte[] mac(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is in every JDK", e);
        }
    }
}
