package org.cardiowatch.embedded;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;

/**
 * A real MQTT 5 broker (HiveMQ Community Edition) inside this JVM, with one TLS listener and no
 * plaintext listener. Every client must present a certificate of the authority in the broker's
 * truststore (mutual TLS), and the {@link DeviceAccessExtension} decides what each may do. The
 * local stack takes its certificates from the {@link LocalCertificateAuthority}; the ingest service
 * (mode {@code broker}) from the files a hospital gives it.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    /**
     * The listener's certificates, PKCS12.
     *
     * @param keyStore the broker's server certificate and key (the key under the store's password)
     * @param trustStore the authority whose certificates devices and services present
     */
    public record Tls(Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword) {
    }

    private final EmbeddedHiveMQ hiveMq;
    private final DeviceAccessExtension access;
    private final int port;

    private EmbeddedMqttBroker(EmbeddedHiveMQ hiveMq, DeviceAccessExtension access, int port) {
        this.hiveMq = hiveMq;
        this.access = access;
        this.port = port;
    }

    /**
     * Starts the broker with mutual TLS on {@code bindAddress} (0.0.0.0 for every interface) and
     * {@code port} (0: any free port), keeping its state under {@code folder}.
     *
     * @param activeDevice whether a device id is enrolled and active
     */
    public static EmbeddedMqttBroker start(Path folder, String bindAddress, int port, Tls tls,
            Predicate<String> activeDevice) {
        return start(folder, bindAddress, port, tls, activeDevice, null);
    }

    /**
     * As {@link #start(Path, String, int, Tls, Predicate)}, with the ingest in the publish path.
     *
     * @param ingest ends every publish (after the device access extension stamped the sender's
     *     identity); null to route publishes to subscribers
     */
    public static EmbeddedMqttBroker start(Path folder, String bindAddress, int port, Tls tls,
            Predicate<String> activeDevice, PublishPath ingest) {
        int listenerPort = port == 0 ? FreePorts.next() : port;
        try {
            Path conf = Files.createDirectories(folder.resolve("conf"));
            Path data = Files.createDirectories(folder.resolve("data"));
            Path extensions = Files.createDirectories(folder.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), config(bindAddress, listenerPort, tls));
            DeviceAccessExtension access = new DeviceAccessExtension(activeDevice, ingest);
            EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(data)
                    .withExtensionsFolder(extensions)
                    // The host application owns logging; HiveMQ must not reconfigure it.
                    .withoutLoggingBootstrap()
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("cardiowatch-device-access")
                            .withName("CardioWatch device access").withVersion("1").withAuthor("CardioWatch")
                            .withPriority(1000).withStartPriority(1000).withExtensionMain(access).build())
                    .build();
            hiveMq.start().get(60, TimeUnit.SECONDS);
            return new EmbeddedMqttBroker(hiveMq, access, listenerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare MQTT broker folder " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("MQTT broker did not start on port " + listenerPort + ": " + e, e);
        }
    }

    /** The URI clients connect to, {@code ssl://127.0.0.1:PORT}. */
    public String serverUri() {
        return "ssl://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Connections this broker refused since it started, per reason. */
    public java.util.Map<DeviceAccessExtension.ConnectionRefusal, Long> connectionRefusals() {
        return access.connectionRefusals();
    }

    /** Tells the broker a device's enrolment changed; a device no longer active is disconnected. */
    public void deviceChanged(String deviceId) {
        access.deviceChanged(deviceId);
    }

    @Override
    public void close() {
        try {
            hiveMq.stop().get(30, TimeUnit.SECONDS);
            hiveMq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("MQTT broker did not stop cleanly: " + e, e);
        }
    }

    private static String config(String bindAddress, int port, Tls tls) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                        <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                        <truststore>
                          <path>%s</path>
                          <password>%s</password>
                        </truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <mqtt>
                    <session-expiry><max-interval>86400</max-interval></session-expiry>
                    <!-- With the ingest in the publish path nothing is queued for subscribers; for a
                         subscribing service (the tests of the access rules) HiveMQ's default would
                         keep 1000 messages per client and discard the rest. -->
                    <queued-messages>
                      <max-queue-size>1000000</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                  </mqtt>
                  <!-- On disk, HiveMQ's default: client sessions. No reading is kept here, since the ingest
                       acknowledges a publish only once Kafka has it. -->
                  <persistence><mode>file</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, xml(bindAddress), xml(tls.keyStore().toAbsolutePath().toString()),
                xml(new String(tls.keyStorePassword())), xml(new String(tls.keyStorePassword())),
                xml(tls.trustStore().toAbsolutePath().toString()), xml(new String(tls.trustStorePassword())));
    }

    /** A value as XML text: passwords and paths from outside may hold {@code <} or {@code &}. */
    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
