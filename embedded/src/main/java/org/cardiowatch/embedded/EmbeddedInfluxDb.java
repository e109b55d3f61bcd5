package org.cardiowatch.embedded;

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

/**
 * A real InfluxDB 1.x server (Debian's {@code influxdb} package, binary {@code influxd}) as a child
 * process on a loopback port, with its data under a folder of the caller's. For the history
 * writer's tests and the local stack; {@link #isInstalled()} says whether the binary is there.
 */
public final class EmbeddedInfluxDb implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/influxd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path folder;
    private final int port;
    private Process process;

    private EmbeddedInfluxDb(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /** Starts influxd with its data under {@code folder} on a free loopback port, and waits for it to answer. */
    public static EmbeddedInfluxDb start(Path folder) {
        if (!isInstalled()) {
            throw new IllegalStateException("InfluxDB is not installed: " + BINARY
                    + " is missing (Debian: apt-get install influxdb)");
        }
        EmbeddedInfluxDb influx = new EmbeddedInfluxDb(folder, FreePorts.next());
        influx.start();
        return influx;
    }

    /** Starts the server again after {@link #stop()}, on the same port and data; nothing when it runs. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(folder);
            Path config = folder.resolve("influxdb.conf");
            Files.writeString(config, config());
            process = new ProcessBuilder(BINARY.toString(), "run", "-config", config.toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("influxd.log").toFile()).start();
            awaitPing();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start influxd in " + folder, e);
        }
    }

    /** Stops the server (SIGTERM), keeping its data: the outage of a test. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitPing() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited at start; see " + folder.resolve("influxd.log"));
            }
            try {
                HttpResponse<Void> ping = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for influxd", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for influxd", e);
            }
        }
        throw new IllegalStateException("influxd did not answer /ping within " + START_TIMEOUT);
    }

    private String config() {
        return """
                reporting-enabled = false
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s"
                [data]
                  dir = "%s"
                  wal-dir = "%s"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                [logging]
                  level = "warn"
                """.formatted(FreePorts.next(), folder.resolve("meta"), folder.resolve("data"), folder.resolve("wal"), port);
    }
}
