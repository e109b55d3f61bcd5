package org.cardiowatch.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One more broker of a local MQTT broker set, in a JVM of its own, as each broker of the
 * production set runs in its own pod. Not in this JVM because HiveMQ CE instances in one JVM are
 * not isolated: restarting one stopped another's delivery to its subscribers (found by
 * {@code MqttBrokerSetIT}). The child runs the same {@link EnrolledDevicesBroker}, reads its
 * settings from a file in its folder (owner-only: it holds the local stores' password) and
 * exits with the JVM that started it.
 */
public final class MqttBrokerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);
    private static final String SETTINGS = "broker.properties";
    private static final String KAFKA_PREFIX = "kafka.";

    private final Path folder;
    private final int port;
    private Process process;

    private MqttBrokerProcess(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    /**
     * Writes the broker's settings under {@code folder} and starts it on {@code port} (0: any free
     * port), returning once it accepts connections.
     */
    public static MqttBrokerProcess start(Path folder, int port, String bootstrapServers,
            Map<String, Object> kafkaSettings, EmbeddedMqttBroker.Tls tls) {
        int listenerPort = port == 0 ? FreePorts.next() : port;
        Properties settings = new Properties();
        settings.setProperty("port", String.valueOf(listenerPort));
        settings.setProperty("bootstrap-servers", bootstrapServers);
        settings.setProperty("key-store", tls.keyStore().toAbsolutePath().toString());
        settings.setProperty("key-store-password", new String(tls.keyStorePassword()));
        settings.setProperty("trust-store", tls.trustStore().toAbsolutePath().toString());
        settings.setProperty("trust-store-password", new String(tls.trustStorePassword()));
        kafkaSettings.forEach((key, value) -> settings.setProperty(KAFKA_PREFIX + key, String.valueOf(value)));
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(SETTINGS);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file)) {
                settings.store(out, "A local MQTT broker of the set; rewritten at each start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the settings of the MQTT broker in " + folder, e);
        }
        MqttBrokerProcess broker = new MqttBrokerProcess(folder, listenerPort);
        broker.startProcess();
        return broker;
    }

    /** The URI clients connect to, {@code ssl://127.0.0.1:PORT}. */
    public String serverUri() {
        return "ssl://127.0.0.1:" + port;
    }

    /** The running process's id; -1 while stopped. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the broker again (after {@link #stop()}) on the same port and data folder. */
    public synchronized void startProcess() {
        if (process != null && process.isAlive()) {
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    MqttBrokerProcess.class.getName(), folder.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("broker.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the MQTT broker process in " + folder, e);
        }
        awaitListening();
    }

    /** Stops the broker as a pod is stopped (SIGTERM, then its shutdown): what it holds stays on disk. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The MQTT broker process exited with " + process.exitValue()
                        + "; see " + folder.resolve("broker.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        stop();
        throw new IllegalStateException("The MQTT broker process did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + folder.resolve("broker.log"));
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the MQTT broker", e);
        }
    }

    /** The child: {@code MqttBrokerProcess <folder>}. */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(folder.resolve(SETTINGS))) {
            settings.load(in);
        }
        Map<String, Object> kafka = new HashMap<>();
        for (String key : settings.stringPropertyNames()) {
            if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), settings.getProperty(key));
            }
        }
        EnrolledDevicesBroker broker = EnrolledDevicesBroker.start(settings.getProperty("bootstrap-servers"), kafka,
                REGISTRY_TIMEOUT, folder, "127.0.0.1", Integer.parseInt(settings.getProperty("port")),
                new EmbeddedMqttBroker.Tls(Path.of(settings.getProperty("key-store")),
                        settings.getProperty("key-store-password").toCharArray(), Path.of(settings.getProperty("trust-store")),
                        settings.getProperty("trust-store-password").toCharArray()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "mqtt-broker-shutdown"));
        // A local broker never outlives the stack or test that started it.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println("MQTT broker listening on port " + settings.getProperty("port"));
        stopped.await();
    }
}
