package org.cardiowatch.schemas.wire;

import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the device key vault from a service's configuration, the same way in every service. */
public final class DeviceKeyVaults {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceKeyVaults.class);

    private DeviceKeyVaults() {
    }

    /**
     * @param masterKeyBase64 the configured master key, Base64 of 32 bytes
     * @param property the setting's name, for the messages
     * @param allowClear whether a missing key is allowed (payload keys in the clear): for tests only
     * @throws IllegalStateException when the key is missing and that is not allowed: the service does
     *     not start, rather than keep devices' keys readable by anyone who reads cw.devices
     */
    public static DeviceKeyVault fromConfig(Optional<String> masterKeyBase64, String property, boolean allowClear) {
        if (masterKeyBase64.isEmpty() || masterKeyBase64.get().isBlank()) {
            if (!allowClear) {
                throw new IllegalStateException(property + " (" + environmentName(property) + ") is not set: without it"
                        + " device payload keys would be stored in cw.devices in the clear. Set it to Base64 of 32 random"
                        + " bytes (openssl rand -base64 32), the same in the ingest and the alerts service.");
            }
            LOG.warn("{} is not set: device payload keys are stored in cw.devices in the clear (allowed for tests only).",
                    property);
            return DeviceKeyVault.clear();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(masterKeyBase64.get().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not Base64");
        }
        if (key.length != DeviceKeyVault.MASTER_KEY_BYTES) {
            throw new IllegalArgumentException(property + " must be Base64 of " + DeviceKeyVault.MASTER_KEY_BYTES
                    + " bytes (openssl rand -base64 32)");
        }
        return DeviceKeyVault.withMasterKey(key);
    }

    /** The environment variable of a setting: cardiowatch.ingest.device-keys.master-key → CARDIOWATCH_INGEST_DEVICE_KEYS_MASTER_KEY. */
    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
