package org.cardiowatch.ingest.hostile;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.ingest.validation.ReadingValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every entry of the hostile-input catalogue, straight through the inspector. */
class MessageInspectorHostileInputTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final InMemoryDevices devices = new InMemoryDevices(NOW);
    // The clock of the rate limiter stands still: no token comes back during a test.
    private final MessageInspector inspector = new MessageInspector(devices::find, devices::hasConsent,
            new ReadingValidator(HostileInputs.MAX_CLOCK_SKEW, HostileInputs.MAX_AGE),
            new ReplayGuard(HostileInputs.REPLAY_WINDOW),
            new RateLimiter(HostileInputs.PER_SECOND, HostileInputs.BURST, () -> 0L),
            HostileInputs.MAX_PAYLOAD_BYTES, true, Clock.fixed(NOW, ZoneOffset.UTC));

    static List<HostileInput> catalogue() {
        return HostileInputs.all();
    }

    @Test
    void shouldHoldAtLeastThirtyHostileInputs() {
        assertThat(HostileInputs.all().size(), greaterThanOrEqualTo(30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void shouldRefuseWithItsReasonAndStillAcceptTheNextValidReading(HostileInput input) {
        List<HostileInput.Message> messages = input.attack().messages(devices);
        IngestDecision last = null;
        for (HostileInput.Message message : messages) {
            last = inspector.inspect(message.mqttTopic(), message.payload(), message.sender().deviceId());
            // The sender's id is what the broker stamps from its certificate; written() is what
            // the ingest calls once Kafka has the record.
            inspector.written(last);
        }

        assertThat("the last message of the attack must be refused", last, instanceOf(IngestDecision.Rejected.class));
        assertThat("with the reason code of the check that catches it",
                ((IngestDecision.Rejected) last).rejection().getReason(), is(input.reason()));

        HostileInput.Message valid = devices.active().vitals(TestDevice.normalVitals(NOW));
        assertThat("a valid reading after the attack is still accepted",
                inspector.inspect(valid.mqttTopic(), valid.payload(), valid.sender().deviceId()), instanceOf(IngestDecision.Accepted.class));
    }

    @Test
    void shouldRefuseAMessageTheBrokerDidNotStampWithACertifiedIdentity() {
        HostileInput.Message message = devices.active().vitals(TestDevice.normalVitals(NOW));

        IngestDecision decision = inspector.inspect(message.mqttTopic(), message.payload(), null);

        assertThat(decision, instanceOf(IngestDecision.Rejected.class));
        assertThat(((IngestDecision.Rejected) decision).rejection().getReason(),
                is(org.cardiowatch.schemas.avro.RejectionReason.DEVICE_IDENTITY_MISMATCH));
    }

    @Test
    void shouldDropTheSameEnvelopeDeliveredAgainWithoutRefusingIt() {
        HostileInput.Message message = devices.active().vitals(TestDevice.normalVitals(NOW));
        IngestDecision first = inspector.inspect(message.mqttTopic(), message.payload(), message.sender().deviceId());
        inspector.written(first);

        IngestDecision again = inspector.inspect(message.mqttTopic(), message.payload(), message.sender().deviceId());

        assertThat(first, instanceOf(IngestDecision.Accepted.class));
        assertThat("a QoS 1 redelivery is acknowledged and dropped, not counted as an attack",
                again, instanceOf(IngestDecision.Redelivered.class));
    }

    @Test
    void shouldAcceptAReadingAgainWhenItsFirstDeliveryNeverReachedKafka() {
        HostileInput.Message message = devices.active().vitals(TestDevice.normalVitals(NOW));
        inspector.inspect(message.mqttTopic(), message.payload(), message.sender().deviceId());
        // No written(): Kafka did not take it, so the broker will deliver it again.

        assertThat(inspector.inspect(message.mqttTopic(), message.payload(), message.sender().deviceId()), instanceOf(IngestDecision.Accepted.class));
    }
}
