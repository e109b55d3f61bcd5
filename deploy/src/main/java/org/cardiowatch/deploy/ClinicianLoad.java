package org.cardiowatch.deploy;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.cardiowatch.embedded.DashboardSocket;

/**
 * Clinicians at work against the alerts service, for the scale benchmark: each signs in once with
 * the login form (a session cookie, as a browser does) and polls their patient list and their open
 * alerts every {@code pollEvery}; some keep the dashboard's WebSocket open and time each alert
 * pushed to them from when it was written to cw.alerts. Latencies are kept apart while
 * {@code auditDown} says the audit topic is unavailable.
 */
final class ClinicianLoad implements AutoCloseable {

    private static final Pattern ALERT_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final List<String> POLLED = List.of("/api/patients", "/api/alerts");

    /** Latencies in milliseconds, apart for the audit's outage. */
    static final class Figures {
        final Histogram apiNormal = new ConcurrentHistogram(120_000, 3);
        final Histogram apiAuditDown = new ConcurrentHistogram(120_000, 3);
        final Histogram pushNormal = new ConcurrentHistogram(120_000, 3);
        final Histogram pushAuditDown = new ConcurrentHistogram(120_000, 3);
        /** Answers other than 200 (or none), apart for the audit's outage. */
        final AtomicLong apiRefusedNormal = new AtomicLong();
        final AtomicLong apiRefusedAuditDown = new AtomicLong();
        final AtomicLong pushesReceived = new AtomicLong();
    }

    private final String baseUrl;
    private final SSLContext tls;
    private final BooleanSupplier auditDown;
    private final Figures figures = new Figures();
    private final Map<String, Instant> writtenAt = new ConcurrentHashMap<>();
    private final List<HttpClient> sessions = new ArrayList<>();
    private final List<DashboardSocket> sockets = new ArrayList<>();
    private final ScheduledExecutorService pollers;

    ClinicianLoad(String baseUrl, SSLContext tls, BooleanSupplier auditDown, int clinicians) {
        this.baseUrl = baseUrl;
        this.tls = tls;
        this.auditDown = auditDown;
        this.pollers = Executors.newScheduledThreadPool(Math.min(16, clinicians));
    }

    /** Signs each user in with the form; throws naming the first that fails. */
    ClinicianLoad signIn(List<String> usernames, String password) throws Exception {
        for (String username : usernames) {
            HttpClient session = HttpClient.newBuilder().sslContext(tls).cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            String form = "j_username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&j_password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8);
            HttpResponse<Void> answer = session.send(HttpRequest.newBuilder(URI.create(baseUrl + "/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() != 302 || answer.headers().firstValue("Location").orElse("").contains("error")) {
                throw new IllegalStateException("Sign-in of " + username + " failed: HTTP " + answer.statusCode());
            }
            sessions.add(session);
        }
        return this;
    }

    /** Opens the dashboard WebSocket of each user, timing the alerts pushed to them. */
    ClinicianLoad openDashboards(List<String> usernames, String password) {
        URI socket = URI.create(baseUrl.replace("https://", "wss://") + "/ws/alerts");
        for (String username : usernames) {
            sockets.add(DashboardSocket.open(socket, tls, username, password, this::onPush));
        }
        return this;
    }

    /** Every session polls its two pages every {@code every}, the sessions spread over that period. */
    ClinicianLoad startPolling(Duration every) {
        long spacing = every.toMillis() / Math.max(1, sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            HttpClient session = sessions.get(i);
            pollers.scheduleAtFixedRate(() -> poll(session), i * spacing, every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Call just before writing the alert to cw.alerts. */
    void writing(String alertId) {
        writtenAt.put(alertId, Instant.now());
    }

    Figures figures() {
        return figures;
    }

    private void poll(HttpClient session) {
        for (String path : POLLED) {
            long start = System.nanoTime();
            boolean down = auditDown.getAsBoolean();
            try {
                HttpResponse<Void> answer = session.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 200) {
                    // Refused (503 when the audit cannot take the access): counted, and timed like the others.
                    (down ? figures.apiRefusedAuditDown : figures.apiRefusedNormal).incrementAndGet();
                }
            } catch (Exception e) {
                (down ? figures.apiRefusedAuditDown : figures.apiRefusedNormal).incrementAndGet();
                continue;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            (down ? figures.apiAuditDown : figures.apiNormal).recordValue(Math.min(ms, 120_000));
        }
    }

    private void onPush(String message) {
        Matcher id = ALERT_ID.matcher(message);
        if (!message.contains("\"type\":\"alert\"") || !id.find()) {
            return;
        }
        Instant written = writtenAt.remove(id.group(1));
        if (written == null) {
            return;
        }
        figures.pushesReceived.incrementAndGet();
        long ms = Duration.between(written, Instant.now()).toMillis();
        (auditDown.getAsBoolean() ? figures.pushAuditDown : figures.pushNormal).recordValue(Math.min(ms, 120_000));
    }

    @Override
    public void close() {
        pollers.shutdownNow();
        sockets.forEach(DashboardSocket::close);
    }
}
