package org.cardiowatch.ingest.fuzz;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/** One enrolled, consenting device and an inspector, for the fuzz tests. */
final class FuzzedIngest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String DEVICE_ID = "fuzz-device";
    static final byte[] KEY = new byte[SealedEnvelope.KEY_BYTES];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
    }

    private static final Device DEVICE = Device.newBuilder().setDeviceId(DEVICE_ID).setPatientId("fuzz-patient")
            .setStatus(DeviceStatus.ACTIVE).setPayloadKey(ByteBuffer.wrap(KEY)).setEnrolledAt(NOW).build();

    private FuzzedIngest() {
    }

    /** A fresh inspector: no replay memory and a full token bucket, so every input is judged on its own. */
    static MessageInspector inspector() {
        return new MessageInspector(id -> DEVICE_ID.equals(id) ? Optional.of(DEVICE) : Optional.empty(),
                patient -> true, new ReadingValidator(Duration.ofMinutes(5), Duration.ofDays(7)),
                new ReplayGuard(16), new RateLimiter(1, 1_000, () -> 0L), 65_536, true, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /**
     * Inspection of a message from the fuzz device's connection must always come to a decision:
     * an exception here is a bug the fuzzer found.
     */
    static IngestDecision inspect(String topic, byte[] payload) {
        IngestDecision decision = inspector().inspect(topic, payload, DEVICE_ID);
        if (decision == null) {
            throw new AssertionError("The inspector returned no decision");
        }
        return decision;
    }
}
