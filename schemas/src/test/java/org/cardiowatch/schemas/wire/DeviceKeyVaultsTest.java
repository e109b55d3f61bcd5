package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceKeyVaultsTest {

    private static final String PROPERTY = "cardiowatch.ingest.device-keys.master-key";

    @Test
    void shouldRefuseToStartWithoutAMasterKeyNamingTheSettingAndItsVariable() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> DeviceKeyVaults.fromConfig(Optional.empty(), PROPERTY, false));
        assertThat(refused.getMessage(), containsString(PROPERTY));
        assertThat(refused.getMessage(), containsString("CARDIOWATCH_INGEST_DEVICE_KEYS_MASTER_KEY"));
        assertThrows(IllegalStateException.class, () -> DeviceKeyVaults.fromConfig(Optional.of("  "), PROPERTY, false));
    }

    @Test
    void shouldKeepKeysInTheClearOnlyWhenAllowed() {
        assertThat(DeviceKeyVaults.fromConfig(Optional.empty(), PROPERTY, true), notNullValue());
    }

    @Test
    void shouldRefuseAKeyOfTheWrongSizeOrNotBase64() {
        assertThrows(IllegalArgumentException.class, () -> DeviceKeyVaults.fromConfig(
                Optional.of(Base64.getEncoder().encodeToString(new byte[16])), PROPERTY, false));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeyVaults.fromConfig(Optional.of("not base64!"),
                PROPERTY, false));
        assertThat(DeviceKeyVaults.fromConfig(Optional.of(Base64.getEncoder().encodeToString(new byte[32])), PROPERTY,
                false), notNullValue());
    }
}
