package org.cardiowatch.ingest.hostile;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.ConsentStatus;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;

/** Enrols test devices the way the admin API does: records on cw.devices and cw.consents. */
final class KafkaEnrolledDevices implements HostileInput.Devices {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TopicWriter writer;
    private final CompactedTopicView<Device> devices;
    private final CompactedTopicView<Consent> consents;
    private final Predicate<String> brokerHasRead;

    /** @param brokerHasRead whether the MQTT broker has read a device's latest enrolment record */
    KafkaEnrolledDevices(TopicWriter writer, CompactedTopicView<Device> devices, CompactedTopicView<Consent> consents,
            Predicate<String> brokerHasRead) {
        this.writer = writer;
        this.devices = devices;
        this.consents = consents;
        this.brokerHasRead = brokerHasRead;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public TestDevice enrol(DeviceStatus status, boolean consent) {
        TestDevice device = TestDevice.next("hostile-dev", status == DeviceStatus.ACTIVE);
        writer.write(Topics.DEVICES, device.deviceId(), device.registryRecord(status, Instant.now()));
        if (consent) {
            writer.write(Topics.CONSENTS, device.patientId(), Consent.newBuilder().setPatientId(device.patientId())
                    .setStatus(ConsentStatus.ACTIVE).setRecordedBy("test").setRecordedAt(Instant.EPOCH).build());
        }
        await("the ingest's registries have seen the enrolment").atMost(WAIT).until(() ->
                devices.get(device.deviceId()).isPresent() && brokerHasRead.test(device.deviceId())
                        && (!consent || consents.get(device.patientId()).isPresent()));
        return device;
    }
}
