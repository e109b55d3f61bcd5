package org.cardiowatch.ingest.envelope;

import java.util.Optional;
import org.cardiowatch.schemas.avro.Device;

/** The enrolled devices, as the admin API last wrote them to cw.devices. */
@FunctionalInterface
public interface DeviceRegistry {

    Optional<Device> find(String deviceId);
}
