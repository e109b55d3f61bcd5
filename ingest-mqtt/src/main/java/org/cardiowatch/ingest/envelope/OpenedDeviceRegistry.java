package org.cardiowatch.ingest.envelope;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.wire.DeviceKeyVault;

/**
 * The device registry as the inspector needs it: each device with its payload key opened from
 * the encrypted form cw.devices stores. A key that cannot be opened becomes an empty key, so that
 * device's messages are refused. Opened devices are kept until their stored record changes.
 */
public final class OpenedDeviceRegistry implements DeviceRegistry {

    private record Opened(ByteBuffer stored, Device device) {
    }

    private final Function<String, Optional<Device>> stored;
    private final DeviceKeyVault vault;
    private final ConcurrentHashMap<String, Opened> opened = new ConcurrentHashMap<>();

    public OpenedDeviceRegistry(Function<String, Optional<Device>> stored, DeviceKeyVault vault) {
        this.stored = stored;
        this.vault = vault;
    }

    @Override
    public Optional<Device> find(String deviceId) {
        return stored.apply(deviceId).map(device -> {
            Opened known = opened.get(deviceId);
            if (known != null && known.stored().equals(device.getPayloadKey())) {
                return known.device();
            }
            byte[] key = vault.open(deviceId, device.getPayloadKey()).orElse(new byte[0]);
            Device withKey = Device.newBuilder(device).setPayloadKey(ByteBuffer.wrap(key)).build();
            opened.put(deviceId, new Opened(device.getPayloadKey().duplicate(), withKey));
            return withKey;
        });
    }
}
