package org.cardiowatch.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A browser's push service, as far as the local stack's tests need one: it takes every message
 * (201, or 503 while told it is away) and keeps what came with it. The alerts module's tests check the signature and read the
 * message with the subscription's keys; this one checks that the stack uses the subscription the
 * page stored.
 */
final class PushEndpoint implements AutoCloseable {

    record Received(String path, String authorization, String contentEncoding, String urgency, int bytes, int answered) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 201;

    PushEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/push/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("Authorization"),
                    headers.getFirst("Content-Encoding"), headers.getFirst("Urgency"), body.length, answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    /** 201 (taken) or, say, 503 (away: the sender tries again). */
    void answer(int status) {
        this.answer = status;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
