package org.cardiowatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.cardiowatch.schemas.transport.HttpsTrust;

/**
 * The enrolment command: asks the admin API to enrol a device for a patient and writes what the
 * device needs into a folder readable by the owner only: {@code DEVICE.p12} (its client
 * certificate and private key), {@code DEVICE.p12.password} and {@code DEVICE.payload-key}
 * (Base64). The secrets are shown nowhere else.
 *
 * <pre>./cardiowatch enrol --device dev-3001 --patient p-3001 [--url https://127.0.0.1:8443] [--ca FILE] [--user admin] [--out .]</pre>
 *
 * <p>The service's certificate is checked against the authorities of {@code --ca} (a PEM file;
 * by default the local stack's {@code .cardiowatch/ca/ca.pem} (under {@code CW_HOME}) when it exists, else the JDK's
 * list, for a service whose certificate a public or the hospital's installed authority issued).
 *
 * The admin password comes from {@code CW_ADMIN_PASSWORD} or is asked for on the console.
 */
public final class EnrolDevice {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The local stack's dashboard, on the port it was started with. */
    private static final String DEFAULT_URL = "https://127.0.0.1:"
            + java.util.Objects.requireNonNullElse(System.getenv("CW_HTTPS_PORT"), "8443");
    private static final Path LOCAL_AUTHORITY = Path.of(System.getenv().getOrDefault("CW_HOME", ".cardiowatch"), "ca",
            "ca.pem");

    /** Where the device's files were written. */
    public record Enrolment(String deviceId, Path keyStore, Path keyStorePassword, Path payloadKey) {
    }

    private EnrolDevice() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options == null || !options.containsKey("device") || !options.containsKey("patient")) {
            System.err.println("Usage: ./cardiowatch enrol --device ID --patient ID [--model NAME]"
                    + " [--url " + DEFAULT_URL + "] [--ca PEM-FILE] [--user admin] [--out FOLDER]");
            System.exit(2);
        }
        char[] password = adminPassword();
        try {
            Enrolment enrolment = enrol(URI.create(options.getOrDefault("url", DEFAULT_URL)), trust(options.get("ca")),
                    options.getOrDefault("user", "admin"), password, options.get("device"), options.get("patient"),
                    options.get("model"), Path.of(options.getOrDefault("out", ".")));
            System.out.println("Enrolled " + enrolment.deviceId() + ": certificate " + enrolment.keyStore()
                    + ", its password " + enrolment.keyStorePassword() + ", payload key " + enrolment.payloadKey());
        } catch (EnrolmentRefused e) {
            System.err.println("Enrolment refused: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("Cannot reach the admin API at " + options.getOrDefault("url", DEFAULT_URL)
                    + " (" + e.getClass().getSimpleName() + (e instanceof javax.net.ssl.SSLException
                            ? ": its certificate is not from an authority of --ca" : "")
                    + "); is the alerts service running?");
            System.exit(1);
        }
    }

    /** The authorities the service's certificate is checked against: --ca, the local stack's, or the JDK's. */
    private static SSLContext trust(String caFile) throws java.security.NoSuchAlgorithmException {
        if (caFile != null) {
            return HttpsTrust.trusting(Path.of(caFile));
        }
        return Files.isRegularFile(LOCAL_AUTHORITY) ? HttpsTrust.trusting(LOCAL_AUTHORITY) : SSLContext.getDefault();
    }

    /**
     * Enrols through the admin API, over HTTPS checked with {@code tls}, and writes the device's
     * files into {@code folder}.
     */
    public static Enrolment enrol(URI base, SSLContext tls, String user, char[] password, String deviceId,
            String patientId, String model, Path folder) throws IOException, InterruptedException, EnrolmentRefused {
        Map<String, String> body = new HashMap<>();
        body.put("deviceId", deviceId);
        body.put("patientId", patientId);
        if (model != null) {
            body.put("model", model);
        }
        String credentials = Base64.getEncoder().encodeToString((user + ":" + new String(password))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(tls).build()
                .send(HttpRequest.newBuilder(base.resolve("/api/admin/devices"))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new EnrolmentRefused("HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        if (!answer.path("clientKeyStore").isTextual()) {
            throw new EnrolmentRefused("the service issued no device certificate (cardiowatch.alerts.device-ca is not set)");
        }
        Files.createDirectories(folder);
        Path keyStore = writeSecret(folder.resolve(deviceId + ".p12"),
                Base64.getDecoder().decode(answer.get("clientKeyStore").asText()));
        Path keyStorePassword = writeSecret(folder.resolve(deviceId + ".p12.password"),
                answer.get("clientKeyStorePassword").asText().getBytes(StandardCharsets.UTF_8));
        Path payloadKey = writeSecret(folder.resolve(deviceId + ".payload-key"),
                answer.get("payloadKey").asText().getBytes(StandardCharsets.UTF_8));
        return new Enrolment(deviceId, keyStore, keyStorePassword, payloadKey);
    }

    /** The admin API refused the enrolment; the message says why. */
    public static final class EnrolmentRefused extends Exception {
        EnrolmentRefused(String message) {
            super(message);
        }
    }

    private static Path writeSecret(Path path, byte[] content) throws IOException {
        Files.deleteIfExists(path);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(path, content);
    }

    private static char[] adminPassword() {
        String fromEnvironment = System.getenv("CW_ADMIN_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            System.err.println("Set CW_ADMIN_PASSWORD or run on a terminal to be asked for the admin password.");
            System.exit(2);
        }
        return console.readPassword("Admin password: ");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return null;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
