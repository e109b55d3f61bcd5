package org.cardiowatch.schemas.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cardiowatch.schemas.avro.RejectionReason;

/**
 * The device wire format, version 1: AES-256-GCM around the encoded reading.
 *
 * <pre>
 * offset  size  field
 *  0       2    magic "CW" (0x43 0x57)
 *  2       1    envelope version, 0x01
 *  3       1    content type, 0x01 = Avro single-object encoding, 0x02 = Open mHealth JSON (vitals only)
 *  4       8    sequence number, unsigned big-endian, at least 1, increasing per device
 * 12      12    nonce, random per message
 * 24     n+16   ciphertext followed by the 16-byte GCM tag
 * </pre>
 *
 * The associated data is bytes 0 to 11 followed by the UTF-8 topic {@code cw/v1/{deviceId}/{stream}},
 * so neither the header nor the topic can be changed without the tag failing.
 */
public final class SealedEnvelope {

    public static final byte VERSION = 0x01;
    public static final byte CONTENT_AVRO = 0x01;
    /** Open mHealth data points in JSON ({@link OpenMHealthVitals}), for the vitals stream. */
    public static final byte CONTENT_OPEN_MHEALTH = 0x02;
    public static final int HEADER_BYTES = 12;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    public static final int OVERHEAD_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
    public static final int KEY_BYTES = 32;

    private static final byte MAGIC_0 = 0x43;
    private static final byte MAGIC_1 = 0x57;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    // Cipher.getInstance is costly (about 7 times the cost of one open): one per thread, re-initialised.
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(SealedEnvelope::newCipher);

    /** What an authentic envelope holds. */
    public record Opened(long sequence, byte contentType, byte[] plaintext) {
    }

    private SealedEnvelope() {
    }

    public static SecretKey key(byte[] keyBytes) {
        if (keyBytes == null || keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("A device payload key is " + KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(keyBytes, "AES");
    }

    public static byte[] seal(SecretKey key, DeviceTopic topic, long sequence, byte[] plaintext, SecureRandom random) {
        return seal(key, topic, sequence, CONTENT_AVRO, plaintext, random);
    }

    public static byte[] seal(SecretKey key, DeviceTopic topic, long sequence, byte contentType, byte[] plaintext,
            SecureRandom random) {
        if (sequence < 1) {
            throw new IllegalArgumentException("Sequence numbers start at 1");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] header = header(sequence, contentType);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(topic.mqttTopic().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(HEADER_BYTES + NONCE_BYTES + sealed.length)
                    .put(header).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /** Reads the sequence number from an envelope's header, before it is authenticated. */
    public static long unauthenticatedSequence(byte[] envelope) throws RejectedMessageException {
        checkHeader(envelope);
        return ByteBuffer.wrap(envelope, 4, 8).getLong();
    }

    public static Opened open(SecretKey key, DeviceTopic topic, byte[] envelope) throws RejectedMessageException {
        long sequence = unauthenticatedSequence(envelope);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BYTES * 8, envelope, HEADER_BYTES, NONCE_BYTES));
            cipher.updateAAD(envelope, 0, HEADER_BYTES);
            cipher.updateAAD(topic.mqttTopic().getBytes(StandardCharsets.UTF_8));
            int offset = HEADER_BYTES + NONCE_BYTES;
            byte[] plaintext = cipher.doFinal(envelope, offset, envelope.length - offset);
            return new Opened(sequence, envelope[3], plaintext);
        } catch (AEADBadTagException e) {
            throw new RejectedMessageException(RejectionReason.AUTHENTICATION_FAILED,
                    "envelope tag does not verify: wrong key, or header, topic or ciphertext changed");
        } catch (GeneralSecurityException e) {
            throw new RejectedMessageException(RejectionReason.AUTHENTICATION_FAILED,
                    "envelope cannot be opened: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The first 8 bytes of an envelope's GCM tag: the same envelope always gives the same value,
     * and two envelopes sealed apart (each with its own random nonce) almost never do. Meaningful
     * only for an envelope that {@link #open} accepted.
     */
    public static long fingerprint(byte[] envelope) {
        return ByteBuffer.wrap(envelope, envelope.length - TAG_BYTES, Long.BYTES).getLong();
    }

    private static void checkHeader(byte[] envelope) throws RejectedMessageException {
        if (envelope == null || envelope.length < OVERHEAD_BYTES) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_ENVELOPE,
                    "envelope shorter than the " + OVERHEAD_BYTES + " bytes of header, nonce and tag");
        }
        if (envelope[0] != MAGIC_0 || envelope[1] != MAGIC_1) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_ENVELOPE, "envelope magic is not CW");
        }
        if (envelope[2] != VERSION) {
            throw new RejectedMessageException(RejectionReason.UNSUPPORTED_ENVELOPE_VERSION,
                    "envelope version " + (envelope[2] & 0xff) + " is not supported");
        }
        if (envelope[3] != CONTENT_AVRO && envelope[3] != CONTENT_OPEN_MHEALTH) {
            throw new RejectedMessageException(RejectionReason.UNSUPPORTED_CONTENT_TYPE,
                    "content type " + (envelope[3] & 0xff) + " is not supported");
        }
        if (ByteBuffer.wrap(envelope, 4, 8).getLong() < 1) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_ENVELOPE,
                    "sequence number must be between 1 and 2^63-1");
        }
    }

    private static byte[] header(long sequence, byte contentType) {
        return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC_0).put(MAGIC_1).put(VERSION).put(contentType)
                .putLong(sequence).array();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no " + TRANSFORMATION, e);
        }
    }
}
