package org.cardiowatch.schemas.transport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTrustTest {

    private static final char[] PASSWORD = "test-store-password".toCharArray();

    @TempDir
    Path folder;

    @Test
    void shouldTrustAServerCertifiedByTheAuthorityInThePemFileAndNoOther() throws Exception {
        LocalCertificateAuthority ours = LocalCertificateAuthority.openOrCreate(folder.resolve("ours"), PASSWORD);
        LocalCertificateAuthority another = LocalCertificateAuthority.openOrCreate(folder.resolve("another"), PASSWORD);

        try (SSLServerSocket server = serve(ours.serverKeyStore("alerts"))) {
            assertThat("the authority that certified the server", handshake(server, HttpsTrust.trusting(ours.certificatePem())),
                    equalTo("TLSv1.3"));
            assertThrows(SSLHandshakeException.class, () -> handshake(server, HttpsTrust.trusting(another.certificatePem())),
                    "another authority's file");
        }
    }

    @Test
    void shouldSayWhatIsWrongWithAFileThatHoldsNoCertificate() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty.pem"), "");
        Path garbage = Files.writeString(folder.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");

        assertThat(assertThrows(IllegalArgumentException.class, () -> HttpsTrust.trusting(empty)).getMessage(),
                containsString("holds no certificate"));
        assertThat(assertThrows(IllegalArgumentException.class, () -> HttpsTrust.trusting(garbage)).getMessage(),
                containsString("Cannot use " + garbage));
        assertThrows(java.io.UncheckedIOException.class, () -> HttpsTrust.trusting(folder.resolve("missing.pem")));
    }

    private static SSLServerSocket serve(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
    }

    /** One handshake against the server, as the client with {@code trust}; the protocol agreed. */
    private static String handshake(SSLServerSocket server, SSLContext trust) throws Exception {
        CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.startHandshake();
            } catch (java.io.IOException refusedByTheClient) {
                // the client's side of the test says what happened
            }
        });
        try (SSLSocket client = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            javax.net.ssl.SSLParameters parameters = client.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSSLParameters(parameters);
            client.startHandshake();
            return client.getSession().getProtocol();
        } finally {
            accepted.join();
        }
    }
}
