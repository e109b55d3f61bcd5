package org.cardiowatch.ingest.hostile;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;

/** Device and consent registries held in memory, for unit tests of the inspector. */
final class InMemoryDevices implements HostileInput.Devices {

    private final Map<String, Device> registry = new ConcurrentHashMap<>();
    private final Set<String> consenting = ConcurrentHashMap.newKeySet();
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
    public Instant now() {
        return now;
    }

    @Override
    public TestDevice enrol(DeviceStatus status, boolean consent) {
        TestDevice device = TestDevice.next("device", status == DeviceStatus.ACTIVE);
        registry.put(device.deviceId(), device.registryRecord(status, now));
        if (consent) {
            consenting.add(device.patientId());
        }
        return device;
    }
}
