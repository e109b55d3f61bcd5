package org.cardiowatch.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.wire.DeviceStream;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.SealedEnvelope;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the reading inside an authentic envelope, as a broken or compromised device would send
 * it: decoding and validation must end in a decision, and an accepted reading must be one the
 * validator's ranges allow.
 */
@Tag("fuzz") // minutes of fuzzing: not in the fast loop
class ReadingFuzzTest {

    private static final DeviceTopic VITALS = new DeviceTopic(FuzzedIngest.DEVICE_ID, DeviceStream.VITALS);
    private static final DeviceTopic ECG = new DeviceTopic(FuzzedIngest.DEVICE_ID, DeviceStream.ECG);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Saved inputs (seeds) are a valid vitals reading and a valid ECG segment; each input goes to both streams. */
    @FuzzTest(maxDuration = "10s")
    void shouldDecideOnAnyReadingAndAcceptOnlyPlausibleOnes(byte[] plaintext) {
        for (DeviceTopic topic : new DeviceTopic[] {VITALS, ECG}) {
            byte[] envelope = SealedEnvelope.seal(SealedEnvelope.key(FuzzedIngest.KEY), topic, 1, plaintext, RANDOM);
            requirePlausible(FuzzedIngest.inspect(topic.mqttTopic(), envelope));
        }
    }

    private static void requirePlausible(IngestDecision decision) {
        if (decision instanceof IngestDecision.Accepted<?> accepted && accepted.value() instanceof VitalSigns vitals) {
            // The validator's physiological range for heart rate.
            Float heartRate = vitals.getHeartRateBpm();
            if (heartRate != null && !(heartRate >= 15 && heartRate <= 350)) {
                throw new AssertionError("An impossible heart rate was accepted: " + heartRate);
            }
        }
    }
}
