package org.cardiowatch.embedded;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * A clinician's dashboard connection to {@code /ws/alerts}, signed in with HTTP Basic, that keeps
 * every text message it receives: what tests use to see who was told what.
 */
public final class DashboardSocket implements AutoCloseable {

    private final WebSocket socket;
    private final List<String> received;

    private DashboardSocket(WebSocket socket, List<String> received) {
        this.socket = socket;
        this.received = received;
    }

    /**
     * Opens the socket ({@code wss://}, trusting {@code tls}'s authorities) and waits for the
     * service's hello.
     */
    public static DashboardSocket open(URI socketUri, SSLContext tls, String user, String password) {
        return open(socketUri, tls, user, password, message -> { });
    }

    /** As {@link #open(URI, SSLContext, String, String)}, also handing each message to the listener as it arrives. */
    public static DashboardSocket open(URI socketUri, SSLContext tls, String user, String password,
            java.util.function.Consumer<String> listener) {
        List<String> received = new CopyOnWriteArrayList<>();
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try {
            WebSocket socket = HttpClient.newBuilder().sslContext(tls).build().newWebSocketBuilder()
                    .header("Authorization", "Basic " + credentials)
                    .buildAsync(socketUri, new Collector(received, listener)).get(10, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plusSeconds(10);
            while (received.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            return new DashboardSocket(socket, received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while opening " + socketUri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot open " + socketUri + " as " + user + ": " + e.getMessage(), e);
        }
    }

    /** Every text message so far, oldest first. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** The messages so far that contain the text. */
    public List<String> receivedContaining(String text) {
        return received.stream().filter(message -> message.contains(text)).toList();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private static final class Collector implements WebSocket.Listener {
        private final List<String> received;
        private final java.util.function.Consumer<String> listener;
        private final StringBuilder partial = new StringBuilder();

        Collector(List<String> received, java.util.function.Consumer<String> listener) {
            this.received = received;
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                received.add(message);
                listener.accept(message);
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Polls until a message containing the text arrives or the timeout passes. */
    public boolean awaitMessageContaining(String text, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!receivedContaining(text).isEmpty()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !receivedContaining(text).isEmpty();
    }
}
