package org.cardiowatch.schemas.transport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {

    private static final char[] PASSWORD = "test-store-password".toCharArray();

    @TempDir
    Path folder;

    @Test
    void shouldWriteTheAuthoritysCertificateAsPemTheSameAsInTheTruststore() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder, PASSWORD);

        Path pem = ca.certificatePem();
        assertThat(Files.readString(pem), startsWith("-----BEGIN CERTIFICATE-----\n"));
        X509Certificate fromPem;
        try (InputStream in = Files.newInputStream(pem)) {
            fromPem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore truststore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            truststore.load(in, PASSWORD);
        }
        X509Certificate fromStore = (X509Certificate) truststore.getCertificate(truststore.aliases().nextElement());
        assertThat(fromPem, equalTo(fromStore));
        assertThat("written once, kept", LocalCertificateAuthority.open(folder, PASSWORD).certificatePem(), equalTo(pem));
    }
}
