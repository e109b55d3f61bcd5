package org.cardiowatch.ingest.hostile;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;

/** Device and consent registries held in memory, for unit tests of the inspector. */
final class InMemoryDevices implements HostileInput.Devices {

    private final Map<String, Device> registry = new ConcurrentHashMap<>();
    private final Set<String> consenting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private final Instant now;

    InMemoryDevices(Instant now) {
        this.now = now;
    }

    Optional<Device> find(String deviceId) {
        return Optional.ofNullable(registry.get(deviceId));
    }

    boolean hasConsent(String patientId) {
        return consenting.contains(patientId);
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
        int id = ids.incrementAndGet();
        return TestDevice.create("stranger-" + id, "nobody-" + id, false);
    }

    @Override
    public Instant now() {
        return now;
    }

    private TestDevice enrol(DeviceStatus status, boolean consent) {
        int id = ids.incrementAndGet();
        TestDevice device = TestDevice.create("device-" + id, "patient-" + id, status == DeviceStatus.ACTIVE);
        registry.put(device.deviceId(), Device.newBuilder().setDeviceId(device.deviceId())
                .setPatientId(device.patientId()).setStatus(status).setPayloadKey(ByteBuffer.wrap(device.key()))
                .setEnrolledAt(now).build());
        if (consent) {
            consenting.add(device.patientId());
        }
        return device;
    }
}
