package org.cardiowatch.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for a hospital's mail server: the alerts service's e-mail
 * notifications arrive here over SMTP, after STARTTLS (refused before it, as the service requires
 * it), with a certificate of the stack's own authority. Each message is kept as an {@code .eml}
 * file under {@code mail/} in the stack's home and its subject and link shown on the console, so a
 * new user sees the e-mail of the demo's first alert. Only what the demo needs of SMTP (RFC 5321):
 * not a server for anything else.
 */
final class LocalMailbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMailbox.class);

    /** One message as received: its recipients and its text, headers included. */
    record Received(List<String> recipients, String message) {
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final Path folder;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger refusedWhileBusy = new AtomicInteger();
    private volatile boolean busy;
    private final Thread acceptor;

    /** @param keyStore the server's PKCS12 key store (its certificate for 127.0.0.1 and localhost) */
    LocalMailbox(Path keyStore, char[] password, Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keyStore)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the local mailbox", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the local mailbox's certificate", e);
        }
        acceptor = new Thread(this::accept, "local-mailbox");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** While busy, every session is turned away with 421 (a temporary refusal, as a mail server under maintenance). */
    void busy(boolean busy) {
        this.busy = busy;
    }

    int refusedWhileBusy() {
        return refusedWhileBusy.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread session = new Thread(() -> serve(client), "local-mailbox-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("Mailbox: a connection failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket plain) {
        Socket socket = plain;
        try {
            socket.setSoTimeout(60_000);
            boolean secured = false;
            String from = null;
            List<String> recipients = new ArrayList<>();
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            if (busy) {
                refusedWhileBusy.incrementAndGet();
                reply(out, "421 4.3.2 Service not available, closing transmission channel");
                return;
            }
            reply(out, "220 cardiowatch-local-mailbox ESMTP");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-cardiowatch-local-mailbox\r\n" + (secured ? "" : "250-STARTTLS\r\n")
                            + "250 8BITMIME");
                    case "HELO" -> reply(out, "250 cardiowatch-local-mailbox");
                    case "STAR" -> {
                        reply(out, "220 ready to start TLS");
                        SSLSocket upgraded = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        upgraded.setUseClientMode(false);
                        upgraded.startHandshake();
                        socket = upgraded;
                        in = reader(socket);
                        out = socket.getOutputStream();
                        secured = true;
                        from = null;
                        recipients.clear();
                    }
                    case "MAIL" -> {
                        if (!secured) {
                            reply(out, "530 5.7.0 Must issue a STARTTLS command first");
                        } else {
                            from = line;
                            recipients.clear();
                            reply(out, "250 OK");
                        }
                    }
                    case "RCPT" -> {
                        if (from == null) {
                            reply(out, "503 5.5.1 MAIL first");
                        } else {
                            recipients.add(line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1"));
                            reply(out, "250 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipients.isEmpty()) {
                            reply(out, "503 5.5.1 RCPT first");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder message = new StringBuilder();
                        for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                            message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
                        }
                        keep(new Received(List.copyOf(recipients), message.toString()));
                        from = null;
                        recipients.clear();
                        reply(out, "250 OK: queued");
                    }
                    case "RSET" -> {
                        from = null;
                        recipients.clear();
                        reply(out, "250 OK");
                    }
                    case "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Command not implemented");
                }
            }
        } catch (IOException e) {
            LOG.debug("Mailbox: session ended: {}", e.toString());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a finished session: nothing left to do.
            }
        }
    }

    private void keep(Received message) throws IOException {
        received.add(message);
        Path file = folder.resolve(Instant.now().toEpochMilli() + "-" + count.incrementAndGet() + ".eml");
        Files.writeString(file, message.message(), StandardCharsets.UTF_8);
        String subject = header(message.message(), "Subject");
        String link = message.message().lines().filter(l -> l.startsWith("http")).findFirst().orElse("");
        LOG.info("Mail: {} to {}: {} {} ({})", Instant.now(), String.join(", ", message.recipients()), subject, link,
                file.getFileName());
    }

    private static String header(String message, String name) {
        return message.lines().takeWhile(l -> !l.isEmpty()).filter(l -> l.regionMatches(true, 0, name + ":", 0,
                name.length() + 1)).map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("");
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Mailbox: closing: {}", e.toString());
        }
    }
}
