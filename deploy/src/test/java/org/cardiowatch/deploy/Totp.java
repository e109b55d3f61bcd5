package org.cardiowatch.deploy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 time-based one-time codes (HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes them. */
final class Totp {

    private Totp() {
    }

    /** The code for now, with the secret as Keycloak keeps it (its UTF-8 bytes are the key). */
    static String now(String secret) throws GeneralSecurityException {
        return at(secret.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() / 1000 / 30, 6);
    }

    static String at(byte[] key, long step, int digits) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%0" + digits + "d", binary % (int) Math.pow(10, digits));
    }
}
