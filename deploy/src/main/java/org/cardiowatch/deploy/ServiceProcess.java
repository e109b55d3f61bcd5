package org.cardiowatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One CardioWatch service running as its own JVM from its {@code quarkus-app} folder, configured by
 * environment variables exactly as in production, its output in a log file.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Endpoint endpoint;
    private final Path quarkusApp;
    private final Map<String, String> environment;

    /**
     * Where the service answers its health checks: plain HTTP on {@code port} ({@code tls} null),
     * or HTTPS trusting {@code tls}'s authorities, for the alerts service that serves nothing else.
     */
    record Endpoint(int port, SSLContext tls) {

        String environmentVariable() {
            return tls == null ? "QUARKUS_HTTP_PORT" : "QUARKUS_HTTP_SSL_PORT";
        }

        URI uri(String path) {
            return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port + path);
        }

        HttpClient client() {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            return tls == null ? builder.build() : builder.sslContext(tls).build();
        }
    }

    private ServiceProcess(String name, Process process, Path log, Endpoint endpoint, Path quarkusApp,
            Map<String, String> environment) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
        this.quarkusApp = quarkusApp;
        this.environment = Map.copyOf(environment);
    }

    /** Starts the service with its health checks over plain HTTP on {@code httpPort}. */
    static ServiceProcess start(String name, Path quarkusApp, int httpPort, Map<String, String> environment, Path logDir) {
        return start(name, quarkusApp, new Endpoint(httpPort, null), environment, logDir);
    }

    /** Starts the service; its output is appended to {@code logDir/name.log}, so a restart keeps the earlier log. */
    static ServiceProcess start(String name, Path quarkusApp, Endpoint endpoint, Map<String, String> environment,
            Path logDir) {
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -DskipTests package");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC"));
            command.addAll(extraJavaOptions(name));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put(endpoint.environmentVariable(), String.valueOf(endpoint.port()));
            return new ServiceProcess(name, builder.start(), log, endpoint, quarkusApp, environment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    /**
     * JVM options for one service from {@code CW_JAVA_OPTS_<SERVICE>} (the service's name in upper
     * case, dashes as underscores; for example {@code CW_JAVA_OPTS_STREAM_PROCESSOR=
     * -XX:StartFlightRecording=filename=processor.jfr}), so a benchmark run can profile it.
     */
    static List<String> extraJavaOptions(String name) {
        String options = System.getenv("CW_JAVA_OPTS_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /** Waits until the service's readiness check answers UP. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready = HttpRequest.newBuilder(endpoint.uri("/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        HttpClient http = endpoint.client();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped during start-up (exit " + process.exitValue()
                        + "); see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** A new process of the same service with the same settings (after {@link #kill()} or {@link #close()}). */
    ServiceProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return start(name, quarkusApp, endpoint, environment, log.getParent());
    }

    /**
     * Kills the service the hard way (SIGKILL): no shutdown hook runs, nothing is flushed,
     * committed or acknowledged, as when a machine loses power or the kernel kills the process.
     */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the service to stop (SIGTERM: it finishes what it is doing), then forces it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
