package org.cardiowatch.ingest.hostile;

import static org.cardiowatch.schemas.avro.RejectionReason.AUTHENTICATION_FAILED;
import static org.cardiowatch.schemas.avro.RejectionReason.CONSENT_MISSING;
import static org.cardiowatch.schemas.avro.RejectionReason.DEVICE_IDENTITY_MISMATCH;
import static org.cardiowatch.schemas.avro.RejectionReason.DEVICE_REVOKED;
import static org.cardiowatch.schemas.avro.RejectionReason.MALFORMED_ENVELOPE;
import static org.cardiowatch.schemas.avro.RejectionReason.MALFORMED_READING;
import static org.cardiowatch.schemas.avro.RejectionReason.MALFORMED_TOPIC;
import static org.cardiowatch.schemas.avro.RejectionReason.OUT_OF_RANGE;
import static org.cardiowatch.schemas.avro.RejectionReason.PAYLOAD_TOO_LARGE;
import static org.cardiowatch.schemas.avro.RejectionReason.RATE_LIMITED;
import static org.cardiowatch.schemas.avro.RejectionReason.REPLAYED;
import static org.cardiowatch.schemas.avro.RejectionReason.TIMESTAMP_IN_FUTURE;
import static org.cardiowatch.schemas.avro.RejectionReason.TIMESTAMP_TOO_OLD;
import static org.cardiowatch.schemas.avro.RejectionReason.UNKNOWN_DEVICE;
import static org.cardiowatch.schemas.avro.RejectionReason.UNKNOWN_STREAM;
import static org.cardiowatch.schemas.avro.RejectionReason.UNSUPPORTED_CONTENT_TYPE;
import static org.cardiowatch.schemas.avro.RejectionReason.UNSUPPORTED_ENVELOPE_VERSION;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/**
 * The catalogue of hostile and malformed device input, each with the reason code it must be
 * refused with. The limits it relies on are those of {@link #MAX_PAYLOAD_BYTES},
 * {@link #REPLAY_WINDOW} and {@link #BURST}: both tests build the inspector with them.
 */
public final class HostileInputs {

    public static final int MAX_PAYLOAD_BYTES = 65_536;
    public static final int REPLAY_WINDOW = 64;
    // Slow enough that no token comes back while a test sends its flood, even on a busy machine.
    public static final double PER_SECOND = 1;
    public static final int BURST = 20;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration MAX_AGE = Duration.ofDays(7);
    /** 2^30 as an Avro length or count (zig-zag varint): a claim of a billion items or bytes. */
    private static final byte[] CLAIM_2_POW_30 = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

    private HostileInputs() {
    }

    private static HostileInput openMHealth(String name, RejectionReason reason, Function<HostileInput.Devices, String> json) {
        return new HostileInput(name, reason, true, d -> {
            TestDevice device = d.active();
            return List.of(device.sealed(device.vitalsTopic(), SealedEnvelope.CONTENT_OPEN_MHEALTH,
                    json.apply(d).getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** One Open mHealth data point of the named schema, with the given measure, measured at {@code at}. */
    private static String omh(String schema, String measure, Instant at) {
        return "{\"header\": {\"schema_id\": {\"namespace\": \"omh\", \"name\": \"" + schema + "\"}}, \"body\": {"
                + measure + ", \"effective_time_frame\": {\"date_time\": \"" + at + "\"}}}";
    }

    public static List<HostileInput> all() {
        List<HostileInput> all = new ArrayList<>();
        // The envelope: any changed byte, a wrong key or the wrong topic fails authentication.
        all.add(tampered("ciphertext byte flipped", AUTHENTICATION_FAILED, e -> flip(e, SealedEnvelope.HEADER_BYTES + 13)));
        all.add(tampered("sequence number in the header changed", AUTHENTICATION_FAILED, e -> flip(e, 11)));
        all.add(tampered("nonce changed", AUTHENTICATION_FAILED, e -> flip(e, SealedEnvelope.HEADER_BYTES + 1)));
        all.add(tampered("authentication tag changed", AUTHENTICATION_FAILED, e -> flip(e, e.length - 1)));
        all.add(tampered("last bytes cut off", AUTHENTICATION_FAILED, e -> Arrays.copyOf(e, e.length - 5)));
        all.add(tampered("bytes appended", AUTHENTICATION_FAILED, e -> Arrays.copyOf(e, e.length + 7)));
        all.add(tampered("truncated below the header", MALFORMED_ENVELOPE, e -> Arrays.copyOf(e, 20)));
        all.add(tampered("magic bytes wrong", MALFORMED_ENVELOPE, e -> set(e, 0, (byte) 'X')));
        all.add(tampered("unknown envelope version", UNSUPPORTED_ENVELOPE_VERSION, e -> set(e, 2, (byte) 9)));
        all.add(tampered("unknown content type", UNSUPPORTED_CONTENT_TYPE, e -> set(e, 3, (byte) 7)));
        all.add(tampered("sequence number zero", MALFORMED_ENVELOPE, e -> zeroSequence(e)));
        all.add(new HostileInput("empty payload", MALFORMED_ENVELOPE, true, d ->
                List.of(d.active().message(new byte[0]))));
        all.add(new HostileInput("payload over the size limit", PAYLOAD_TOO_LARGE, true, d ->
                List.of(d.active().message(new byte[MAX_PAYLOAD_BYTES + 1]))));
        all.add(new HostileInput("sealed with a wrong key", AUTHENTICATION_FAILED, true, d -> {
            TestDevice device = d.active();
            TestDevice impostor = new TestDevice(device.deviceId(), device.patientId(),
                    TestDevice.create("x", "x", true).key(), device.sequence(), true);
            return List.of(impostor.vitals(TestDevice.normalVitals(d.now())));
        }));
        all.add(new HostileInput("vitals envelope published on the ECG topic", AUTHENTICATION_FAILED, true, d -> {
            TestDevice device = d.active();
            byte[] envelope = device.vitals(TestDevice.normalVitals(d.now())).payload();
            return List.of(device.message(device.ecgTopic().mqttTopic(), envelope));
        }));
        // The broker stamps the sender's certified id; the ingest compares it with the topic.
        all.add(new HostileInput("envelope of one device published on another device's topic", DEVICE_IDENTITY_MISMATCH,
                true, d -> {
                    TestDevice attacker = d.active();
                    TestDevice victim = d.active();
                    byte[] envelope = attacker.vitals(TestDevice.normalVitals(d.now())).payload();
                    return List.of(attacker.message(victim.vitalsTopic().mqttTopic(), envelope));
                }));

        all.add(new HostileInput("another device's own envelope replayed from this device's connection",
                DEVICE_IDENTITY_MISMATCH, true, d -> {
                    TestDevice attacker = d.active();
                    TestDevice victim = d.active();
                    HostileInput.Message captured = victim.vitals(TestDevice.normalVitals(d.now()));
                    return List.of(attacker.message(captured.mqttTopic(), captured.payload()));
                }));

        // Who sends: only enrolled, active devices of consenting patients, at a bounded rate.
        all.add(new HostileInput("device never enrolled", UNKNOWN_DEVICE, true, d ->
                List.of(d.unknown().vitals(TestDevice.normalVitals(d.now())))));
        all.add(new HostileInput("revoked device", DEVICE_REVOKED, true, d ->
                List.of(d.revoked().vitals(TestDevice.normalVitals(d.now())))));
        all.add(new HostileInput("patient without consent", CONSENT_MISSING, true, d ->
                List.of(d.withoutConsent().vitals(TestDevice.normalVitals(d.now())))));
        all.add(new HostileInput("flood from one device", RATE_LIMITED, true, d -> {
            TestDevice device = d.active();
            return Collections.nCopies(BURST + 10, 0).stream()
                    .map(i -> device.vitals(TestDevice.normalVitals(d.now()))).toList();
        }));

        // Replays: a used sequence number with a new envelope, or one older than the window.
        all.add(new HostileInput("sequence number used again", REPLAYED, true, d -> {
            TestDevice device = d.active();
            HostileInput.Message first = device.vitals(TestDevice.normalVitals(d.now()));
            long used = device.sequence().get() - 1;
            byte[] again = device.seal(device.vitalsTopic(), used, DevicePayloads.encode(TestDevice.normalVitals(d.now())));
            return List.of(first, device.message(again));
        }));
        all.add(new HostileInput("sequence number older than the replay window", REPLAYED, true, d -> {
            TestDevice device = d.active();
            HostileInput.Message first = device.vitals(TestDevice.normalVitals(d.now()));
            long old = device.sequence().get() - 1 - REPLAY_WINDOW;
            byte[] stale = device.seal(device.vitalsTopic(), old, DevicePayloads.encode(TestDevice.normalVitals(d.now())));
            return List.of(first, device.message(stale));
        }));

        // Time.
        all.add(vitals("measured a day in the future", TIMESTAMP_IN_FUTURE, (v, now) -> v.setMeasuredAt(now.plus(Duration.ofDays(1)))));
        all.add(vitals("measured 30 days ago", TIMESTAMP_TOO_OLD, (v, now) -> v.setMeasuredAt(now.minus(Duration.ofDays(30)))));

        // Values no body or sensor produces.
        all.add(vitals("heart rate NaN", OUT_OF_RANGE, (v, now) -> v.setHeartRateBpm(Float.NaN)));
        all.add(vitals("SpO2 positive infinity", OUT_OF_RANGE, (v, now) -> v.setSpo2Percent(Float.POSITIVE_INFINITY)));
        all.add(vitals("systolic negative infinity", OUT_OF_RANGE, (v, now) -> v.setSystolicMmHg(Float.NEGATIVE_INFINITY).setDiastolicMmHg(80f)));
        all.add(vitals("heart rate 900 bpm", OUT_OF_RANGE, (v, now) -> v.setHeartRateBpm(900f)));
        all.add(vitals("negative heart rate", OUT_OF_RANGE, (v, now) -> v.setHeartRateBpm(-60f)));
        all.add(vitals("SpO2 above 100 %", OUT_OF_RANGE, (v, now) -> v.setSpo2Percent(120f)));
        all.add(vitals("diastolic above systolic", OUT_OF_RANGE, (v, now) -> v.setSystolicMmHg(80f).setDiastolicMmHg(120f)));
        all.add(vitals("systolic without diastolic", MALFORMED_READING, (v, now) -> v.setSystolicMmHg(120f)));
        all.add(vitals("reading with no measurement", MALFORMED_READING, (v, now) -> v.setHeartRateBpm(null).setSpo2Percent(null)));
        all.add(vitals("negative RR interval", OUT_OF_RANGE, (v, now) -> v.setRrIntervalsMs(List.of(800, -800, 790))));
        all.add(vitals("RR interval of a minute", OUT_OF_RANGE, (v, now) -> v.setRrIntervalsMs(List.of(60_000))));
        all.add(vitals("RR array of 10,000 intervals", MALFORMED_READING, (v, now) -> v.setRrIntervalsMs(Collections.nCopies(10_000, 800))));
        all.add(plaintext("plaintext not an Avro reading", MALFORMED_READING,
                d -> "{\"heartRate\": 72}".getBytes(StandardCharsets.UTF_8)));
        all.add(plaintext("RR array claiming a billion entries", MALFORMED_READING, HostileInputs::hugeArrayClaim));
        all.add(plaintext("reading cut short", MALFORMED_READING, d -> {
            byte[] encoded = DevicePayloads.encode(TestDevice.normalVitals(d.now()));
            return Arrays.copyOf(encoded, encoded.length - 3);
        }));
        all.add(ecg("ECG sampled at 50 Hz", OUT_OF_RANGE, e -> e.setSampleRateHz(50)));
        all.add(ecg("ECG with no samples", MALFORMED_READING, e -> e.setSamplesMicroVolts(List.of())));
        all.add(ecg("ECG sample of one volt", OUT_OF_RANGE, e -> e.setSamplesMicroVolts(List.of(0, 1_000_000, 0))));
        all.add(ecg("ECG lead name with control characters", MALFORMED_READING, e -> e.setLead("I\u0000\n")));
        all.add(plaintext("ECG lead name not UTF-8", MALFORMED_READING, HostileInputs::leadNotUtf8));
        all.add(plaintext("ECG lead name claiming a gigabyte", MALFORMED_READING, HostileInputs::hugeStringClaim));

        // Open mHealth JSON (content type 0x02): the four schemas CardioWatch reads, in their own units.
        all.add(openMHealth("Open mHealth: not JSON", MALFORMED_READING, d -> "heart rate 72"));
        all.add(openMHealth("Open mHealth: a schema CardioWatch does not read", MALFORMED_READING,
                d -> omh("body-weight", "\"body_weight\": {\"value\": 70, \"unit\": \"kg\"}", d.now())));
        all.add(openMHealth("Open mHealth: heart rate in another unit", MALFORMED_READING,
                d -> omh("heart-rate", "\"heart_rate\": {\"value\": 1.2, \"unit\": \"Hz\"}", d.now())));
        all.add(openMHealth("Open mHealth: heart rate 900 beats/min", OUT_OF_RANGE,
                d -> omh("heart-rate", "\"heart_rate\": {\"value\": 900, \"unit\": \"beats/min\"}", d.now())));
        all.add(openMHealth("Open mHealth: nested ten thousand deep", MALFORMED_READING,
                d -> "[".repeat(10_000) + "]".repeat(10_000)));
        all.add(new HostileInput("Open mHealth on the ECG stream", UNSUPPORTED_CONTENT_TYPE, true, d -> {
            TestDevice device = d.active();
            return List.of(device.sealed(device.ecgTopic(), SealedEnvelope.CONTENT_OPEN_MHEALTH,
                    omh("heart-rate", "\"heart_rate\": {\"value\": 72, \"unit\": \"beats/min\"}", d.now())
                            .getBytes(StandardCharsets.UTF_8)));
        }));

        // Topics a device may publish to but that name no valid device or stream.
        all.add(topic("device id with non-ASCII letters", MALFORMED_TOPIC, true, "cw/v1/d\u00e9vice-1/vitals"));
        all.add(topic("empty device id", MALFORMED_TOPIC, true, "cw/v1//vitals"));
        all.add(topic("device id of 65 characters", MALFORMED_TOPIC, true, "cw/v1/" + "d".repeat(65) + "/vitals"));
        all.add(topic("unknown stream", UNKNOWN_STREAM, true, "cw/v1/device-1/temperature"));
        // Topics the MQTT broker never lets a device publish to; only the inspector sees them.
        all.add(topic("topic outside cw/v1", MALFORMED_TOPIC, false, "other/device-1/vitals"));
        all.add(topic("topic with an extra level", MALFORMED_TOPIC, false, "cw/v1/device-1/vitals/extra"));
        return all;
    }

    private static HostileInput tampered(String name, RejectionReason reason, UnaryOperator<byte[]> change) {
        return new HostileInput(name, reason, true, d -> {
            TestDevice device = d.active();
            HostileInput.Message valid = device.vitals(TestDevice.normalVitals(d.now()));
            return List.of(device.message(change.apply(valid.payload().clone())));
        });
    }

    private static HostileInput vitals(String name, RejectionReason reason,
            java.util.function.BiFunction<DeviceVitals.Builder, Instant, DeviceVitals.Builder> change) {
        return new HostileInput(name, reason, true, d -> {
            DeviceVitals.Builder reading = DeviceVitals.newBuilder(TestDevice.normalVitals(d.now()));
            return List.of(d.active().vitals(change.apply(reading, d.now()).build()));
        });
    }

    private static HostileInput ecg(String name, RejectionReason reason, UnaryOperator<DeviceEcg.Builder> change) {
        return new HostileInput(name, reason, true, d ->
                List.of(d.active().ecg(change.apply(DeviceEcg.newBuilder(normalEcg(d.now()))).build())));
    }

    private static HostileInput plaintext(String name, RejectionReason reason,
            Function<HostileInput.Devices, byte[]> plaintext) {
        return new HostileInput(name, reason, true, d -> {
            TestDevice device = d.active();
            byte[] bytes = plaintext.apply(d);
            DeviceTopic topic = name.startsWith("ECG") ? device.ecgTopic() : device.vitalsTopic();
            return List.of(device.sealed(topic, bytes));
        });
    }

    private static HostileInput topic(String name, RejectionReason reason, boolean routable, String mqttTopic) {
        return new HostileInput(name, reason, routable, d -> {
            TestDevice device = d.active();
            return List.of(device.message(mqttTopic, device.vitals(TestDevice.normalVitals(d.now())).payload()));
        });
    }

    static DeviceEcg normalEcg(Instant now) {
        return DeviceEcg.newBuilder().setStartedAt(now).setSampleRateHz(250).setLead("I")
                .setSamplesMicroVolts(Collections.nCopies(500, 12)).build();
    }

    /** A correctly encoded reading whose RR array header claims 2^30 entries that never follow. */
    private static byte[] hugeArrayClaim(HostileInput.Devices d) {
        byte[] encoded = DevicePayloads.encode(DeviceVitals.newBuilder(TestDevice.normalVitals(d.now()))
                .setRrIntervalsMs(List.of(777)).build());
        // One block of one item: count 1 (zig-zag 0x02), 777 (zig-zag 1554 = 0x92 0x0C), end of array 0x00.
        byte[] block = {0x02, (byte) 0x92, 0x0C, 0x00};
        return replaceByteAt(encoded, indexOf(encoded, block), CLAIM_2_POW_30);
    }

    /** An ECG segment whose lead name's length prefix claims 2^30 bytes that never follow. */
    private static byte[] hugeStringClaim(HostileInput.Devices d) {
        byte[] encoded = DevicePayloads.encode(DeviceEcg.newBuilder(normalEcg(d.now())).setLead("ZZ").build());
        // The string is its zig-zag length (2 -> 0x04) then its bytes.
        return replaceByteAt(encoded, indexOf(encoded, new byte[] {0x04, 'Z', 'Z'}), CLAIM_2_POW_30);
    }

    /** An ECG segment whose lead name bytes are 0xC3 0x28, which is not UTF-8. */
    private static byte[] leadNotUtf8(HostileInput.Devices d) {
        byte[] encoded = DevicePayloads.encode(DeviceEcg.newBuilder(normalEcg(d.now())).setLead("ZZ").build());
        int at = indexOf(encoded, new byte[] {'Z', 'Z'});
        encoded[at] = (byte) 0xC3;
        encoded[at + 1] = 0x28;
        return encoded;
    }

    /** Puts {@code with} in place of the one byte at {@code at} (a one-byte length or count). */
    private static byte[] replaceByteAt(byte[] bytes, int at, byte[] with) {
        byte[] out = new byte[bytes.length - 1 + with.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(bytes, at + 1, out, at + with.length, bytes.length - at - 1);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("Encoding changed: the bytes to forge are no longer there");
    }

    private static byte[] flip(byte[] envelope, int index) {
        envelope[index] ^= 0x01;
        return envelope;
    }

    private static byte[] set(byte[] envelope, int index, byte value) {
        envelope[index] = value;
        return envelope;
    }

    private static byte[] zeroSequence(byte[] envelope) {
        Arrays.fill(envelope, 4, 12, (byte) 0);
        return envelope;
    }
}
