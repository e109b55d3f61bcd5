package org.cardiowatch.alerts.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in the form {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in
 * Base64), with the JDK's PBKDF2-HMAC-SHA256. The iteration count travels in the hash so it can
 * be raised later without invalidating stored hashes.
 */
public final class PasswordHasher {

    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** True when the password matches; false for a wrong password or a malformed hash. */
    public static boolean matches(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The shortest local password accepted (OWASP ASVS 2.1.1). */
    public static final int MIN_LENGTH = 12;

    /** @throws IllegalArgumentException saying why, for a password too short to be a local account's */
    public static void requireLongEnough(char[] password) {
        if (password == null || password.length < MIN_LENGTH) {
            throw new IllegalArgumentException("A local password has at least " + MIN_LENGTH + " characters");
        }
    }

    /** Prints a hash for a users file: {@code java -cp ... PasswordHasher} reads the password from stdin. */
    public static void main(String[] args) throws java.io.IOException {
        java.io.Console console = System.console();
        char[] password = console != null ? console.readPassword("Password: ")
                : new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine().toCharArray();
        try {
            requireLongEnough(password);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        System.out.println(hash(password));
    }
}
