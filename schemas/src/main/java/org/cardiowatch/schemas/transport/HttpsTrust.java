package org.cardiowatch.schemas.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the HTTPS clients of CardioWatch's own tools and tests (device enrolment, the local
 * stack's readiness check, the benchmarks): trusting exactly the authorities of one PEM file, such
 * as the local stack's {@code .cardiowatch/ca/ca.pem}, and not the JDK's public list, so a tool
 * pointed at the wrong server fails instead of sending a clinician's password there.
 */
public final class HttpsTrust {

    private HttpsTrust() {
    }

    /** @param pemFile one or more {@code BEGIN CERTIFICATE} blocks */
    public static SSLContext trusting(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> authorities = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (authorities.isEmpty()) {
                throw new IllegalArgumentException(pemFile + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (Certificate authority : authorities) {
                store.setCertificateEntry("authority-" + index++, authority);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the certificate authority file " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use " + pemFile + " as certificate authorities: "
                    + e.getMessage(), e);
        }
    }
}
