package org.cardiowatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cardiowatch.schemas.wire.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for a hospital's paging system: the alerts service's webhook
 * notifications arrive here, are checked as a real receiver must (signature, replay window), and
 * are shown on the console and appended to {@code pager.log} in the stack's home, so a new user
 * sees the notification of the demo's first alert and can open its link.
 */
final class LocalPager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPager.class);
    private static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String secret;
    private final Path log;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> deliveredKeys = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean down;

    LocalPager(String secret, Path log) {
        this.secret = secret;
        this.log = log;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the local pager", e);
        }
        server.createContext("/pager", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean signed = WebhookSignature.verify(secret, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body, Instant.now(), REPLAY_WINDOW);
            boolean taken = signed && !down;
            exchange.sendResponseHeaders(!signed ? 401 : down ? 503 : 204, -1);
            exchange.close();
            if (taken) {
                deliveredKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
                take(body);
            } else if (!signed) {
                LOG.warn("Pager: a notification with a bad signature was refused");
            } else {
                refused.incrementAndGet();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pager";
    }

    String secret() {
        return secret;
    }

    /** While down, the pager answers 503 (the paging system unavailable): senders must try again. */
    void down(boolean down) {
        this.down = down;
    }

    /** Requests answered 503 while down. */
    int refusedWhileDown() {
        return refused.get();
    }

    /** The idempotency key of each notification taken, in order: a key twice is a message delivered twice. */
    List<String> deliveredKeys() {
        return List.copyOf(deliveredKeys);
    }

    /** Every notification taken so far (JSON bodies). */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    private void take(String body) {
        try {
            JsonNode message = JSON.readTree(body);
            received.add(message);
            String line = String.format("%s %s %s %s for %s: %s", Instant.now(), message.path("event").asText(),
                    message.path("severity").asText(), message.path("kind").asText(), message.path("recipient").asText(),
                    message.path("link").asText());
            LOG.info("Pager: {}", line);
            Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Pager: cannot keep a notification: {}", e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
