package org.cardiowatch.alerts.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hospital paging system for the tests: a real HTTP endpoint that checks each notification's
 * signature as a receiver must (HMAC-SHA256 over "timestamp.body", a 5-minute replay window),
 * answers 401 to a bad one, 503 while told to be down, and keeps every request it was sent.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived, and what it was answered. */
    public record Received(String idempotencyKey, String signature, String body, int answered, boolean signatureValid) {
    }

    public static final String SECRET = "test-webhook-secret-0123456789abcdef";
    private static final long REPLAY_WINDOW_SECONDS = 300;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/page", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("CardioWatch-Signature");
            boolean valid = verifies(signature, body);
            int status = !valid ? 401 : down ? 503 : 204;
            received.add(new Received(exchange.getRequestHeaders().getFirst("Idempotency-Key"), signature, body, status,
                    valid));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/page";
    }

    public void down(boolean down) {
        this.down = down;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests it took (answered 2xx), each notification as often as it came. */
    public List<Received> delivered() {
        return received.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    /** The receiver's side of the scheme, written apart from the sender's code on purpose. */
    static boolean verifies(String header, String body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        if (Math.abs(Instant.now().getEpochSecond() - t) > REPLAY_WINDOW_SECONDS) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            byte[] given = HexFormat.of().parseHex(header.substring(header.indexOf("v1=") + 3));
            return MessageDigest.isEqual(expected, given);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
