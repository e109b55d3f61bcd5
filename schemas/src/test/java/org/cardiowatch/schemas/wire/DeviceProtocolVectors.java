package org.cardiowatch.schemas.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;

/**
 * The device protocol's test vectors, {@code docs/device-protocol-vectors.json}: a key, a topic, a
 * sequence number, a nonce, a reading (as JSON and as the plaintext bytes) and the exact envelope,
 * for each content type and stream; and envelopes changed in one way each, with the reason the
 * ingest refuses them. Everything is fixed (key and nonces are counting bytes), so the file is the
 * same at every run: {@code DeviceProtocolVectorsTest} checks it against the real code both ways.
 * Written again by this class's {@code main} (from the repository's root: {@code schemas} test
 * classpath), when the protocol changes on purpose.
 */
final class DeviceProtocolVectors {

    static final Path FILE = Path.of("docs/device-protocol-vectors.json");
    static final byte[] KEY = counting(0x00, SealedEnvelope.KEY_BYTES);
    private static final Instant AT = Instant.parse("2026-12-05T09:00:00Z");
    private static final HexFormat HEX = HexFormat.of();

    /** One sealed reading. */
    record Vector(String name, String topic, int contentType, long sequence, byte[] nonce, String readingJson,
            byte[] plaintext) {

        /**
         * Sealed on a thread of its own: the JDK refuses to encrypt twice in a row with one key and
         * nonce on a Cipher (SealedEnvelope keeps one per thread), a guard that a device's random
         * nonces never meet but the vectors' fixed ones do.
         */
        byte[] envelope() {
            java.util.concurrent.atomic.AtomicReference<byte[]> sealed = new java.util.concurrent.atomic.AtomicReference<>();
            Thread sealer = new Thread(() -> sealed.set(SealedEnvelope.seal(SealedEnvelope.key(KEY), topicOf(topic),
                    sequence, (byte) contentType, plaintext, new FixedNonce(nonce))));
            sealer.start();
            try {
                sealer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (sealed.get() == null) {
                throw new IllegalStateException("Sealing " + name + " failed");
            }
            return sealed.get();
        }
    }

    /** An envelope changed in one way, and the reason it is refused with, opened on {@code topic}. */
    record Refusal(String name, String topic, byte[] envelope, String reason) {
    }

    private DeviceProtocolVectors() {
    }

    static List<Vector> vectors() throws IOException {
        DeviceVitals vitals = DeviceVitals.newBuilder().setMeasuredAt(AT).setHeartRateBpm(72f)
                .setRrIntervalsMs(List.of(833)).setSpo2Percent(97f).build();
        DeviceEcg ecg = DeviceEcg.newBuilder().setStartedAt(AT).setSampleRateHz(250).setLead("I")
                .setSamplesMicroVolts(List.of(0, 12, 35, 180, 920, 310, -85, -20, 4, 0)).build();
        String openMHealth = "[{\"header\":{\"schema_id\":{\"namespace\":\"omh\",\"name\":\"heart-rate\",\"version\":\"2.0\"}},"
                + "\"body\":{\"heart_rate\":{\"value\":72,\"unit\":\"beats/min\"},"
                + "\"effective_time_frame\":{\"date_time\":\"2026-12-05T09:00:00Z\"}}},"
                + "{\"header\":{\"schema_id\":{\"namespace\":\"omh\",\"name\":\"oxygen-saturation\",\"version\":\"2.0\"}},"
                + "\"body\":{\"oxygen_saturation\":{\"value\":97,\"unit\":\"%\"},"
                + "\"effective_time_frame\":{\"date_time\":\"2026-12-05T09:00:00Z\"}}}]";
        return List.of(
                new Vector("vitals, Avro", "cw/v1/dev-vector-1/vitals", SealedEnvelope.CONTENT_AVRO, 1,
                        counting(0xa0, SealedEnvelope.NONCE_BYTES), avroJson(vitals), DevicePayloads.encode(vitals)),
                new Vector("ecg, Avro", "cw/v1/dev-vector-1/ecg", SealedEnvelope.CONTENT_AVRO, 2,
                        counting(0xb0, SealedEnvelope.NONCE_BYTES), avroJson(ecg), DevicePayloads.encode(ecg)),
                new Vector("vitals, Open mHealth", "cw/v1/dev-vector-1/vitals", SealedEnvelope.CONTENT_OPEN_MHEALTH, 3,
                        counting(0xc0, SealedEnvelope.NONCE_BYTES), openMHealth,
                        openMHealth.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Refusal> refusals(Vector base) {
        byte[] sealed = base.envelope();
        List<Refusal> refusals = new ArrayList<>();
        refusals.add(new Refusal("ciphertext byte changed", base.topic(), flip(sealed, 24), "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("authentication tag byte changed", base.topic(), flip(sealed, sealed.length - 1),
                "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("sequence number changed", base.topic(), set(sealed, 11, (byte) (sealed[11] + 1)),
                "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("nonce changed", base.topic(), flip(sealed, 12), "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("content type changed", base.topic(), set(sealed, 3, SealedEnvelope.CONTENT_OPEN_MHEALTH),
                "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("published on another device's topic", "cw/v1/dev-vector-2/vitals", sealed,
                "AUTHENTICATION_FAILED"));
        refusals.add(new Refusal("magic changed", base.topic(), set(sealed, 0, (byte) 0x44), "MALFORMED_ENVELOPE"));
        refusals.add(new Refusal("envelope version 2", base.topic(), set(sealed, 2, (byte) 0x02),
                "UNSUPPORTED_ENVELOPE_VERSION"));
        refusals.add(new Refusal("shorter than header, nonce and tag", base.topic(),
                java.util.Arrays.copyOf(sealed, SealedEnvelope.OVERHEAD_BYTES - 1), "MALFORMED_ENVELOPE"));
        return refusals;
    }

    /** The file's content. */
    static String json() throws IOException {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("about", "CardioWatch device protocol v1 test vectors: AES-256-GCM, 12-byte nonce, 16-byte tag,"
                + " associated data = the 12 header bytes then the UTF-8 MQTT topic. Hex is lower case; the key is"
                + " given in hex and in Base64 (as enrolment hands it out). Generated by DeviceProtocolVectors;"
                + " checked by DeviceProtocolVectorsTest.");
        file.put("keyHex", HEX.formatHex(KEY));
        file.put("keyBase64", Base64.getEncoder().encodeToString(KEY));
        List<Map<String, Object>> sealed = new ArrayList<>();
        List<Vector> vectors = vectors();
        for (Vector v : vectors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", v.name());
            entry.put("topic", v.topic());
            entry.put("contentType", v.contentType());
            entry.put("sequence", v.sequence());
            entry.put("nonceHex", HEX.formatHex(v.nonce()));
            entry.put("reading", v.readingJson());
            entry.put("plaintextHex", HEX.formatHex(v.plaintext()));
            entry.put("envelopeHex", HEX.formatHex(v.envelope()));
            sealed.add(entry);
        }
        file.put("vectors", sealed);
        List<Map<String, Object>> refused = new ArrayList<>();
        for (Refusal r : refusals(vectors.get(0))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", r.name());
            entry.put("changedFrom", vectors.get(0).name());
            entry.put("topic", r.topic());
            entry.put("envelopeHex", HEX.formatHex(r.envelope()));
            entry.put("reason", r.reason());
            refused.add(entry);
        }
        file.put("refusals", refused);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(file) + "\n";
    }

    static DeviceTopic topicOf(String mqttTopic) {
        try {
            return DeviceTopic.parse(mqttTopic);
        } catch (RejectedMessageException e) {
            throw new IllegalArgumentException(mqttTopic, e);
        }
    }

    /** The reading in Avro's JSON encoding, which every Avro library reads against the schema. */
    private static String avroJson(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] counting(int from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    private static byte[] flip(byte[] envelope, int offset) {
        return set(envelope, offset, (byte) (envelope[offset] ^ 0x01));
    }

    private static byte[] set(byte[] envelope, int offset, byte value) {
        byte[] changed = envelope.clone();
        changed[offset] = value;
        return changed;
    }

    /** A "random" source that gives the vector's nonce: for the vectors only, never for a device. */
    private static final class FixedNonce extends SecureRandom {
        private final byte[] nonce;

        FixedNonce(byte[] nonce) {
            this.nonce = nonce.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(nonce, 0, bytes, 0, bytes.length);
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : ".").resolve(FILE);
        Files.writeString(file, json());
        System.out.println("Wrote " + file);
    }
}
