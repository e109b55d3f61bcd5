package org.cardiowatch.schemas.wire;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * P-256 keys as Web Push writes them: a public key is the 65-byte uncompressed point (0x04, x, y),
 * a private key the 32-byte scalar, both base64url without padding (RFC 8291 §3.1, RFC 8292 §3.2).
 * The alerts service signs and encrypts with them; the local stack makes its VAPID pair with them.
 */
public final class P256Keys {

    public static final int POINT_BYTES = 65;
    private static final ECParameterSpec CURVE = loadCurve();

    private P256Keys() {
    }

    /** The public key of an uncompressed point; refused unless it is a point of the curve. */
    public static ECPublicKey publicKey(byte[] point) {
        if (point.length != POINT_BYTES || point[0] != 0x04) {
            throw new IllegalArgumentException("not an uncompressed P-256 point (65 bytes starting 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        if (!onCurve(x, y)) {
            throw new IllegalArgumentException("not a point of the P-256 curve");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), CURVE));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key", e);
        }
    }

    public static ECPrivateKey privateKey(byte[] scalar) {
        if (scalar.length != 32) {
            throw new IllegalArgumentException("not a P-256 private key (32 bytes)");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), CURVE));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key", e);
        }
    }

    /** The 65-byte uncompressed point of a public key. */
    public static byte[] point(ECPublicKey key) {
        byte[] point = new byte[POINT_BYTES];
        point[0] = 0x04;
        copyUnsigned(key.getW().getAffineX(), point, 1);
        copyUnsigned(key.getW().getAffineY(), point, 33);
        return point;
    }

    /** The 32-byte scalar of a private key. */
    public static byte[] scalar(ECPrivateKey key) {
        byte[] scalar = new byte[32];
        copyUnsigned(key.getS(), scalar, 0);
        return scalar;
    }

    /** A new key pair, as base64url texts: the public point and the private scalar. */
    public record Encoded(String publicKey, String privateKey) {
    }

    public static Encoded newKeyPair() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(CURVE);
            java.security.KeyPair pair = generator.generateKeyPair();
            return new Encoded(base64Url(point((ECPublicKey) pair.getPublic())),
                    base64Url(scalar((ECPrivateKey) pair.getPrivate())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has P-256", e);
        }
    }

    public static ECParameterSpec curve() {
        return CURVE;
    }

    private static ECParameterSpec loadCurve() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has P-256", e);
        }
    }

    public static byte[] base64Url(String text, String what) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(what + " is not base64url");
        }
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** y² = x³ + ax + b (mod p): an ECDH with a point off the curve could leak the private key (invalid-curve attack). */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) CURVE.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(CURVE.getCurve().getA().multiply(x)).add(CURVE.getCurve().getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    private static void copyUnsigned(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }
}
