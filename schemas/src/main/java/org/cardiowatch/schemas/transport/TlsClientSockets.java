package org.cardiowatch.schemas.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client sockets for MQTT connections (the simulator, device SDKs in Java), TLS
 * 1.2 or 1.3 only, trusting the given truststore, with TCP_NODELAY on: Paho never sets it, and
 * without it a QoS 1 stream stalls at about a thousand messages a second (Nagle against delayed
 * acknowledgements). It is an {@link SSLSocketFactory} because Paho refuses any other kind for
 * {@code ssl://} URIs.
 */
public final class TlsClientSockets extends SSLSocketFactory {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLSocketFactory delegate;

    private TlsClientSockets(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    /** @param trustStore a PKCS12 file with the certificate authorities to trust */
    public static TlsClientSockets trusting(Path trustStore, char[] password) {
        return create(trustStore, password, null, null);
    }

    /**
     * Sockets that also present a client certificate (mutual TLS): a device's, or a service's.
     *
     * @param keyStore PKCS12 with one private key and its certificate chain
     */
    public static TlsClientSockets withClientCertificate(Path trustStore, char[] trustPassword, Path keyStore,
            char[] keyPassword) {
        return create(trustStore, trustPassword, keyStore, keyPassword);
    }

    private static TlsClientSockets create(Path trustStore, char[] trustPassword, Path keyStore, char[] keyPassword) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, trustPassword));
            KeyManager[] keys = null;
            if (keyStore != null) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(load(keyStore, keyPassword), keyPassword);
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return new TlsClientSockets(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the MQTT trust or key store: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, char[] password) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    @Override
    public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    private static Socket configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        if (socket instanceof javax.net.ssl.SSLSocket ssl) {
            ssl.setEnabledProtocols(PROTOCOLS);
        }
        return socket;
    }
}
