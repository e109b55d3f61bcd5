package org.cardiowatch.alerts.notify.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push service and the browsers subscribed to it, for the tests: a real HTTP endpoint that checks
 * each request as a push service must (a VAPID token signed by the key the browser subscribed with,
 * for this origin, not expired; RFC 8292) and reads the message as the browser would, with the
 * subscription's private key and secret (RFC 8291). Written apart from the sender's code on purpose.
 * Answers 201, or what a browser was told to answer (410 once unsubscribed, 503 while away).
 */
public final class LocalPushService implements AutoCloseable {

    /** A browser's subscription: its endpoint and keys as {@code PushSubscription.toJSON()} gives them. */
    public record Browser(String name, String endpoint, String p256dh, String auth, KeyPair keys, byte[] secret) {
    }

    /** One request as it arrived: the VAPID check, the decrypted message (null when it could not be read), the answer. */
    public record Received(String browser, Map<String, String> headers, boolean vapidValid, String vapidProblem,
            String message, int answered) {

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final Map<String, Browser> browsers = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String serverKey;

    public LocalPushService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/push/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/push/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, String.join(",", values)));
            Browser browser = browsers.get(name);
            String problem = browser == null ? "no such subscription" : vapidProblem(headers.get("Authorization"));
            String message = browser == null ? null : decrypt(body, browser);
            int status = browser == null ? 404 : problem != null ? 403 : answers.getOrDefault(name, 201);
            received.add(new Received(name, java.util.Collections.unmodifiableMap(headers), problem == null, problem, message, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The origin, as cardiowatch.alerts.notifications.push.services names it. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A browser subscribing with the application server's key, as the Push API does. */
    public Browser subscribe(String name, String applicationServerKey) {
        serverKey = applicationServerKey;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            ECPublicKey publicKey = (ECPublicKey) keys.getPublic();
            byte[] point = new byte[65];
            point[0] = 4;
            unsigned(publicKey.getW().getAffineX(), point, 1);
            unsigned(publicKey.getW().getAffineY(), point, 33);
            Browser browser = new Browser(name, origin() + "/push/" + name, b64(point), b64(secret), keys, secret);
            browsers.put(name, browser);
            return browser;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on, requests to this browser are answered with the status (410: it unsubscribed; 503: away). */
    public void answer(String browser, int status) {
        answers.put(browser, status);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedBy(String browser) {
        return received.stream().filter(r -> r.browser().equals(browser)).toList();
    }

    /** RFC 8292: {@code vapid t=<JWT>, k=<key>}; null when it holds, else what is wrong. */
    private String vapidProblem(String authorization) {
        if (authorization == null || !authorization.startsWith("vapid t=")) {
            return "no VAPID authorization";
        }
        String[] parts = authorization.substring("vapid ".length()).split(",\\s*");
        String token = parts[0].substring(2);
        String key = parts.length > 1 && parts[1].startsWith("k=") ? parts[1].substring(2) : null;
        if (!Objects.equals(key, serverKey)) {
            return "not the key the browser subscribed with";
        }
        String[] jwt = token.split("\\.");
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey(Base64.getUrlDecoder().decode(key)));
            verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return "bad signature";
            }
            JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt[0]));
            JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt[1]));
            long now = Instant.now().getEpochSecond();
            if (!"ES256".equals(header.path("alg").asText())) {
                return "not ES256";
            }
            if (!origin().equals(claims.path("aud").asText())) {
                return "audience " + claims.path("aud").asText();
            }
            if (claims.path("exp").asLong() <= now || claims.path("exp").asLong() > now + 24 * 3600) {
                return "expiry not within 24 h";
            }
            if (!claims.path("sub").asText().matches("(mailto:|https://).+")) {
                return "no contact";
            }
            return null;
        } catch (Exception e) {
            return "unreadable token: " + e;
        }
    }

    /** The browser's side of RFC 8291 (and RFC 8188's one record); null when it cannot be read. */
    static String decrypt(byte[] body, Browser browser) {
        return decrypt(body, browser.keys(), browser.secret());
    }

    static String decrypt(byte[] body, KeyPair browserKeys, byte[] secret) {
        try {
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            in.get(salt);
            in.getInt(); // record size
            byte[] senderPoint = new byte[in.get()];
            in.get(senderPoint);
            byte[] ciphertext = new byte[in.remaining()];
            in.get(ciphertext);

            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(browserKeys.getPrivate());
            agreement.doPhase(publicKey(senderPoint), true);
            byte[] ecdh = agreement.generateSecret();
            ECPublicKey own = (ECPublicKey) browserKeys.getPublic();
            byte[] ownPoint = new byte[65];
            ownPoint[0] = 4;
            unsigned(own.getW().getAffineX(), ownPoint, 1);
            unsigned(own.getW().getAffineY(), ownPoint, 33);

            byte[] info = join("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), ownPoint, senderPoint, new byte[] {1});
            byte[] ikm = hmac(hmac(secret, ecdh), info);
            byte[] prk = hmac(salt, ikm);
            byte[] key = Arrays.copyOf(hmac(prk, join("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {1})), 16);
            byte[] nonce = Arrays.copyOf(hmac(prk, join("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {1})), 12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            byte[] record = cipher.doFinal(ciphertext);
            int end = record.length - 1;
            while (end >= 0 && record[end] == 0) {
                end--; // padding
            }
            if (end < 0 || record[end] != 2) {
                return null;
            }
            return new String(record, 0, end, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
    }

    static ECPublicKey publicKey(byte[] point) throws Exception {
        var parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        var spec = parameters.getParameterSpec(java.security.spec.ECParameterSpec.class);
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] join(byte[]... parts) {
        ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }

    private static void unsigned(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
