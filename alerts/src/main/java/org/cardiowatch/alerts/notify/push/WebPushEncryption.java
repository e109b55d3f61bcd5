package org.cardiowatch.alerts.notify.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cardiowatch.schemas.wire.P256Keys;

/**
 * Encrypts a push message for one browser (RFC 8291, "aes128gcm" content coding of RFC 8188): only
 * the browser that holds the subscription's private key can read it; the push service carries it
 * without seeing it. A fresh key pair and salt per message; one record, no padding.
 */
public final class WebPushEncryption {

    /** The record size written in the header: one record of at most this many bytes. */
    static final int RECORD_SIZE = 4096;
    /** What fits in one record: the size less the 16-byte tag and the 1-byte delimiter. */
    public static final int MAX_PLAINTEXT = RECORD_SIZE - 17;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushEncryption() {
    }

    /**
     * The request body for a browser: salt, record size, the sender's public key, then the
     * ciphertext.
     *
     * @param browserKey the subscription's {@code p256dh}
     * @param authSecret the subscription's {@code auth}, 16 bytes
     */
    public static byte[] encrypt(byte[] plaintext, ECPublicKey browserKey, byte[] authSecret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, browserKey, authSecret, ephemeralKeys(), salt);
    }

    /** The same with a given sender key pair and salt: for the RFC's worked example, never for a real message. */
    static byte[] encrypt(byte[] plaintext, ECPublicKey browserKey, byte[] authSecret, KeyPair sender, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a push message holds at most " + MAX_PLAINTEXT + " bytes");
        }
        if (authSecret.length != 16) {
            throw new IllegalArgumentException("the authentication secret is 16 bytes");
        }
        try {
            byte[] browserPoint = P256Keys.point(browserKey);
            byte[] senderPoint = P256Keys.point((ECPublicKey) sender.getPublic());
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(sender.getPrivate());
            agreement.doPhase(browserKey, true);
            byte[] sharedSecret = agreement.generateSecret();

            // RFC 8291 §3.3: the shared secret combined with the authentication secret and both keys.
            byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), browserPoint, senderPoint);
            byte[] inputKey = expand(extract(authSecret, sharedSecret), keyInfo, 32);
            // RFC 8188 §2.2, §2.3: content key and nonce from the salt.
            byte[] pseudoRandomKey = extract(salt, inputKey);
            byte[] contentKey = expand(pseudoRandomKey, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = expand(pseudoRandomKey, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new GCMParameterSpec(128, nonce));
            byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
            record[plaintext.length] = 0x02; // the last (and only) record's delimiter
            byte[] ciphertext = cipher.doFinal(record);

            return ByteBuffer.allocate(16 + 4 + 1 + senderPoint.length + ciphertext.length)
                    .put(salt).putInt(RECORD_SIZE).put((byte) senderPoint.length).put(senderPoint).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push encryption failed", e);
        }
    }

    private static KeyPair ephemeralKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(P256Keys.curve(), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has P-256", e);
        }
    }

    /** HKDF-Extract with SHA-256 (RFC 5869). */
    static byte[] extract(byte[] salt, byte[] inputKey) throws GeneralSecurityException {
        return hmac(salt, inputKey);
    }

    /** HKDF-Expand with SHA-256, for at most one block (32 bytes): all Web Push needs. */
    static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(pseudoRandomKey, concat(info, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }
}
