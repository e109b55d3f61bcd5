package org.cardiowatch.ingest.hostile;

import java.util.List;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.RejectionReason;

/**
 * One hostile or malformed input and the reason code the ingest must refuse it with. The same
 * catalogue ({@link HostileInputs}) drives a unit test of the inspector and an integration test
 * through real MQTT and Kafka brokers.
 *
 * @param routable whether the MQTT broker lets a device publish it at all (under cw/v1/+/+), so the ingest sees it
 */
public record HostileInput(String name, RejectionReason reason, boolean routable, Attack attack) {

    /** What a device or an attacker publishes, and from whose connection (certificate). */
    public record Message(String mqttTopic, byte[] payload, TestDevice sender) {
    }

    /** Where an attack gets its devices: enrolled ones in each state, each new. */
    public interface Devices {
        /** Enrols a new device with this status, recording the patient's consent when asked. */
        TestDevice enrol(DeviceStatus status, boolean consent);

        java.time.Instant now();

        default TestDevice active() {
            return enrol(DeviceStatus.ACTIVE, true);
        }

        default TestDevice revoked() {
            return enrol(DeviceStatus.REVOKED, true);
        }

        default TestDevice withoutConsent() {
            return enrol(DeviceStatus.ACTIVE, false);
        }

        /** A device that was never enrolled. */
        default TestDevice unknown() {
            return TestDevice.next("stranger", false);
        }
    }

    /** Builds the messages of one attack; the last one (at least) must be refused with the reason. */
    @FunctionalInterface
    public interface Attack {
        List<Message> messages(Devices devices);
    }

    @Override
    public String toString() {
        return name;
    }
}
