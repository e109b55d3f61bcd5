package org.cardiowatch.schemas.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device payload keys at rest in cw.devices: encrypted with a master key from configuration
 * (AES-256-GCM, the device id as associated data so a stored key cannot be moved to another
 * device). Stored form, 61 bytes: version 0x01, 12-byte nonce, the 32-byte key encrypted, 16-byte
 * tag. Without a master key the vault stores and reads keys in the clear (local tests only; the
 * services warn at start).
 */
public final class DeviceKeyVault {

    public static final int MASTER_KEY_BYTES = 32;
    private static final byte VERSION = 0x01;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int WRAPPED_BYTES = 1 + NONCE_BYTES + SealedEnvelope.KEY_BYTES + TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey master;

    private DeviceKeyVault(SecretKey master) {
        this.master = master;
    }

    /** @param masterKey 32 bytes, from configuration (a secret of the deployment) */
    public static DeviceKeyVault withMasterKey(byte[] masterKey) {
        if (masterKey == null || masterKey.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException("The device key master key is " + MASTER_KEY_BYTES + " bytes (Base64 of 32 bytes)");
        }
        return new DeviceKeyVault(new SecretKeySpec(masterKey, "AES"));
    }

    /** Keys in the clear: for tests and a first local try only. */
    public static DeviceKeyVault clear() {
        return new DeviceKeyVault(null);
    }

    public boolean encrypts() {
        return master != null;
    }

    /** What to store in the device registry for a device's payload key. */
    public byte[] seal(String deviceId, byte[] payloadKey) {
        if (payloadKey.length != SealedEnvelope.KEY_BYTES) {
            throw new IllegalArgumentException("A device payload key is " + SealedEnvelope.KEY_BYTES + " bytes");
        }
        if (master == null) {
            return payloadKey.clone();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData(deviceId));
            return ByteBuffer.allocate(WRAPPED_BYTES).put(VERSION).put(nonce).put(cipher.doFinal(payloadKey)).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a device key", e);
        }
    }

    /**
     * The device's payload key from what the registry stores; empty when it cannot be had (a key
     * in the clear while a master key is configured, a key for another device, a wrong master key,
     * a changed byte): such a device's messages are refused.
     */
    public Optional<byte[]> open(String deviceId, ByteBuffer stored) {
        byte[] bytes = new byte[stored.remaining()];
        stored.duplicate().get(bytes);
        if (master == null) {
            return bytes.length == SealedEnvelope.KEY_BYTES ? Optional.of(bytes) : Optional.empty();
        }
        if (bytes.length != WRAPPED_BYTES || bytes[0] != VERSION) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(TAG_BYTES * 8, bytes, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(deviceId));
            return Optional.of(cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] associatedData(String deviceId) {
        return ("cw-device-key/" + deviceId).getBytes(StandardCharsets.UTF_8);
    }
}
