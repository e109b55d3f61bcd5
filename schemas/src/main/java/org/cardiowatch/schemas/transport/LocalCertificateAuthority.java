package org.cardiowatch.schemas.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local stack's own certificate authority: made on first start under a local data folder
 * (never in the repository) and reused afterwards. It signs the MQTT broker's server certificate
 * and the client certificates of devices and services (mutual TLS); everyone trusts it through
 * {@link #trustStore()}. A client certificate names its holder in the common name and its kind in
 * the organisational unit: {@code CN=dev-1001,OU=device} or {@code CN=cw-ingest,OU=service}.
 */
public final class LocalCertificateAuthority {

    private static final String CA_ALIAS = "cardiowatch-local-ca";
    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path folder;
    private final char[] password;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private LocalCertificateAuthority(Path folder, char[] password, KeyPair caKeys, X509Certificate caCertificate) {
        this.folder = folder;
        this.password = password;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    /**
     * Loads the authority kept in {@code folder}; for a service that issues certificates with the
     * authority the brokers already trust, and so must never make a new one.
     */
    public static LocalCertificateAuthority open(Path folder, char[] password) {
        if (!Files.exists(folder.resolve("ca.p12"))) {
            throw new IllegalStateException("No certificate authority in " + folder + " (ca.p12 is missing)");
        }
        return openOrCreate(folder, password);
    }

    /** Loads the authority kept in {@code folder}, or creates it there when the folder has none. */
    public static LocalCertificateAuthority openOrCreate(Path folder, char[] password) {
        Path caStore = folder.resolve("ca.p12");
        try {
            Files.createDirectories(folder);
            if (Files.exists(caStore)) {
                KeyStore store = load(caStore, password);
                PrivateKey key = (PrivateKey) store.getKey(CA_ALIAS, password);
                X509Certificate certificate = (X509Certificate) store.getCertificate(CA_ALIAS);
                return new LocalCertificateAuthority(folder, password,
                        new KeyPair(certificate.getPublicKey(), key), certificate);
            }
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=CardioWatch Local CA,O=CardioWatch");
            X509v3CertificateBuilder builder = builder(name, name, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            KeyStore store = emptyStore();
            store.setKeyEntry(CA_ALIAS, keys.getPrivate(), password, new X509Certificate[] {certificate});
            save(store, caStore, password);
            return new LocalCertificateAuthority(folder, password, keys, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use certificate authority folder " + folder, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create the local certificate authority: " + e.getMessage(), e);
        }
    }

    /** A PKCS12 truststore holding the authority's certificate, for every client of the local stack. */
    public Path trustStore() {
        Path path = folder.resolve("truststore.p12");
        try {
            if (!Files.exists(path)) {
                KeyStore store = emptyStore();
                store.setCertificateEntry(CA_ALIAS, caCertificate);
                save(store, path, password);
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the truststore", e);
        }
    }

    /**
     * The authority's certificate as a PEM file ({@code ca.pem}), what a device or a tool that does
     * not read PKCS12 trusts (docs/device-protocol.md).
     */
    public Path certificatePem() {
        Path path = folder.resolve("ca.pem");
        try {
            if (!Files.exists(path)) {
                String base64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(caCertificate.getEncoded());
                Files.writeString(path, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encode the authority's certificate", e);
        }
    }

    /**
     * A PKCS12 keystore with a server certificate for {@code localhost} and {@code 127.0.0.1},
     * signed by this authority, under the alias {@code server}.
     */
    public Path serverKeyStore(String name) {
        Path path = folder.resolve(name + "-server.p12");
        if (Files.exists(path)) {
            return path;
        }
        try {
            KeyPair keys = newKeyPair();
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + name + ",O=CardioWatch"), keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
            X509Certificate certificate = sign(builder, caKeys.getPrivate());
            KeyStore store = emptyStore();
            store.setKeyEntry("server", keys.getPrivate(), password, new X509Certificate[] {certificate, caCertificate});
            save(store, path, password);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot issue the server certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The public key of server {@code name}'s certificate ({@link #serverKeyStore(String)}) as a
     * browser pins it: Base64 of the SHA-256 of its SubjectPublicKeyInfo.
     */
    public String serverKeyPin(String name) {
        try {
            KeyStore store = load(serverKeyStore(name), password);
            byte[] publicKey = store.getCertificate("server").getPublicKey().getEncoded();
            return java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(publicKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the server certificate of " + name, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the server certificate of " + name + ": " + e.getMessage(), e);
        }
    }

    /** The kinds of client certificate, written in the organisational unit. */
    public enum ClientKind {
        DEVICE, SERVICE;

        public String unit() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A PKCS12 keystore (password {@link #password()}) with a new client certificate for
     * {@code commonName}, kept under {@code clients/} and reused when asked again.
     */
    public Path clientKeyStore(String commonName, ClientKind kind) {
        Path path = folder.resolve("clients").resolve(kind.unit() + "-" + commonName + ".p12");
        if (Files.exists(path)) {
            return path;
        }
        try {
            Files.createDirectories(path.getParent());
            save(issueClient(commonName, kind, password), path, password);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot store the client certificate: " + e.getMessage(), e);
        }
    }

    /** A new client certificate for {@code commonName} as PKCS12 bytes under {@code storePassword}, kept nowhere. */
    public byte[] issueClientKeyStore(String commonName, ClientKind kind, char[] storePassword) {
        try (java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            issueClient(commonName, kind, storePassword).store(out, storePassword);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot store the client certificate: " + e.getMessage(), e);
        }
    }

    private KeyStore issueClient(String commonName, ClientKind kind, char[] storePassword)
            throws GeneralSecurityException, IOException {
        if (!commonName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("A client name is 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        try {
            KeyPair keys = newKeyPair();
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + commonName + ",OU=" + kind.unit() + ",O=CardioWatch"), keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            X509Certificate certificate = sign(builder, caKeys.getPrivate());
            KeyStore store = emptyStore();
            store.setKeyEntry("client", keys.getPrivate(), storePassword,
                    new X509Certificate[] {certificate, caCertificate});
            return store;
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign the client certificate: " + e.getMessage(), e);
        }
    }

    public char[] password() {
        return password.clone();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static KeyStore load(Path path, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    private static void save(KeyStore store, Path path, char[] password) throws GeneralSecurityException, IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            store.store(out, password);
        }
        Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
