package org.cardiowatch.alerts.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cardiowatch.embedded.FreePorts;

/**
 * A real SMTP server for the e-mail tests: Debian's aiosmtpd (package python3-aiosmtpd), an RFC
 * 5321 server that requires STARTTLS with a certificate made here by openssl, and keeps every
 * message it accepts in a Maildir the tests read. Chosen over a Java test double because it is
 * another implementation of the protocol: what it accepts, a hospital's server accepts.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** One message as the server stored it: its headers (first of each name) and its text. */
    public record Message(Map<String, String> headers, String text, String raw) {
    }

    private final Path folder;
    private final int port;
    private Process process;

    public SmtpServer(Path folder) {
        this.folder = folder;
        this.port = FreePorts.next();
        try {
            for (String maildir : new String[] {"tmp", "new", "cur"}) {
                Files.createDirectories(folder.resolve("mail").resolve(maildir));
            }
            if (run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key().toString(),
                    "-out", certificate().toString()) != 0) {
                throw new IllegalStateException("openssl could not make the SMTP server's certificate");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** The PEM certificate the server presents, for the client's trust store. */
    public Path certificate() {
        return folder.resolve("smtp-cert.pem");
    }

    private Path key() {
        return folder.resolve("smtp-key.pem");
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, after {@link #stop()}), and waits until it listens. */
    public void start() {
        try {
            if (!Files.isExecutable(PYTHON) || run(PYTHON.toString(), "-c", "import aiosmtpd") != 0) {
                throw new IllegalStateException("The e-mail tests need Debian's aiosmtpd: apt-get install python3-aiosmtpd");
            }
            process = new ProcessBuilder(PYTHON.toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                    "--tlscert", certificate().toString(), "--tlskey", key().toString(),
                    "-c", "aiosmtpd.handlers.Mailbox", folder.resolve("mail").toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("smtp.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!listening()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("aiosmtpd did not start: " + Files.readString(folder.resolve("smtp.log")));
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server, as a mail server that is down. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every message accepted so far. */
    public List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder.resolve("mail").resolve("new"))) {
            for (Path file : files.sorted().toList()) {
                messages.add(parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }

    private static Message parse(String raw) {
        String normalised = raw.replace("\r\n", "\n");
        int end = normalised.indexOf("\n\n");
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        for (String line : normalised.substring(0, end < 0 ? normalised.length() : end).split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                headers.computeIfPresent(name, (k, v) -> v + " " + line.trim());
            } else if (line.contains(":")) {
                name = line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT);
                headers.putIfAbsent(name, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Message(headers, end < 0 ? "" : normalised.substring(end + 2), raw);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
