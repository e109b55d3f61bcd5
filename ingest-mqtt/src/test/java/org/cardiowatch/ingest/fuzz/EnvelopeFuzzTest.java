package org.cardiowatch.ingest.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes what reaches the ingest from outside: any topic and any payload. Inspection must end
 * in a decision (never an exception), and random bytes must never be accepted: without the key no
 * envelope authenticates.
 */
@Tag("fuzz") // minutes of fuzzing: not in the fast loop
class EnvelopeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void shouldDecideOnAnyTopicAndPayloadAndAcceptNoForgery(FuzzedDataProvider data) {
        String topic = data.consumeBoolean() ? "cw/v1/" + FuzzedIngest.DEVICE_ID + "/vitals" : data.consumeString(80);
        byte[] payload = data.consumeRemainingAsBytes();

        IngestDecision decision = FuzzedIngest.inspect(topic, payload);

        if (decision instanceof IngestDecision.Accepted<?>) {
            throw new AssertionError("Bytes sealed without the device key were accepted");
        }
    }
}
