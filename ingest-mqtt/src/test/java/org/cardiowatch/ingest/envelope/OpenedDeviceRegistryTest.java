package org.cardiowatch.ingest.envelope;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.wire.DeviceKeyVault;
import org.junit.jupiter.api.Test;

class OpenedDeviceRegistryTest {

    private static final byte[] KEY = new byte[32];
    private final DeviceKeyVault vault = DeviceKeyVault.withMasterKey(new byte[32]);
    private final Map<String, Device> stored = new HashMap<>();
    private final OpenedDeviceRegistry registry = new OpenedDeviceRegistry(id -> Optional.ofNullable(stored.get(id)), vault);

    static {
        Arrays.fill(KEY, (byte) 5);
    }

    @Test
    void shouldGiveTheInspectorTheOpenedKey() {
        stored.put("dev-1", device("dev-1", vault.seal("dev-1", KEY)));

        assertThat(Arrays.equals(bytes(registry.find("dev-1").orElseThrow()), KEY), is(true));
    }

    @Test
    void shouldGiveAnEmptyKeyForAKeyWrittenInTheClearSoTheDeviceIsRefused() {
        stored.put("dev-1", device("dev-1", KEY));

        assertThat(bytes(registry.find("dev-1").orElseThrow()).length, is(0));
    }

    @Test
    void shouldOpenOnceAndAgainOnlyWhenTheStoredRecordChanges() {
        stored.put("dev-1", device("dev-1", vault.seal("dev-1", KEY)));
        Device first = registry.find("dev-1").orElseThrow();
        assertThat(registry.find("dev-1").orElseThrow(), sameInstance(first));

        stored.put("dev-1", device("dev-1", vault.seal("dev-1", KEY)));
        assertThat(registry.find("dev-1").orElseThrow() == first, is(false));
    }

    private static Device device(String id, byte[] payloadKey) {
        return Device.newBuilder().setDeviceId(id).setPatientId("p").setStatus(DeviceStatus.ACTIVE)
                .setPayloadKey(ByteBuffer.wrap(payloadKey)).setEnrolledAt(Instant.EPOCH).build();
    }

    private static byte[] bytes(Device device) {
        byte[] bytes = new byte[device.getPayloadKey().remaining()];
        device.getPayloadKey().duplicate().get(bytes);
        return bytes;
    }
}
