package org.cardiowatch.ingest.hostile;

import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final AtomicInteger IDS = new AtomicInteger();

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
    public TestDevice active() {
        return enrol(DeviceStatus.ACTIVE, true);
    }

    @Override
    public TestDevice revoked() {
        return enrol(DeviceStatus.REVOKED, true);
    }

    @Override
    public TestDevice withoutConsent() {
        return enrol(DeviceStatus.ACTIVE, false);
    }

    @Override
    public TestDevice unknown() {
        int id = IDS.incrementAndGet();
        return TestDevice.create("hostile-stranger-" + id, "hostile-nobody-" + id, false);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    private TestDevice enrol(DeviceStatus status, boolean consent) {
        int id = IDS.incrementAndGet();
        TestDevice device = TestDevice.create("hostile-dev-" + id, "hostile-patient-" + id, status == DeviceStatus.ACTIVE);
        writer.write(Topics.DEVICES, device.deviceId(), Device.newBuilder().setDeviceId(device.deviceId())
                .setPatientId(device.patientId()).setStatus(status).setPayloadKey(ByteBuffer.wrap(device.key()))
                .setEnrolledAt(Instant.now()).build());
        if (consent) {
            writer.write(Topics.CONSENTS, device.patientId(), Consent.newBuilder().setPatientId(device.patientId())
                    .setStatus(ConsentStatus.ACTIVE).setRecordedBy("test").setRecordedAt(Instant.EPOCH).build());
        }
        await("the bridge's registries have seen the enrolment").atMost(WAIT).until(() ->
                devices.get(device.deviceId()).isPresent() && brokerHasRead.test(device.deviceId())
                        && (!consent || consents.get(device.patientId()).isPresent()));
        return device;
    }
}
