package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceKeyVaultTest {

    private static final byte[] MASTER = filled(32, 7);
    private static final byte[] KEY = filled(32, 42);
    private final DeviceKeyVault vault = DeviceKeyVault.withMasterKey(MASTER);

    @Test
    void shouldStoreNoTraceOfTheKeyAndGiveItBack() {
        byte[] stored = vault.seal("dev-1", KEY);

        assertThat("the stored form does not hold the key", indexOf(stored, KEY), is(-1));
        assertThat(vault.open("dev-1", ByteBuffer.wrap(stored)).map(Arrays::toString),
                equalTo(Optional.of(Arrays.toString(KEY))));
    }

    @Test
    void shouldSealTheSameKeyDifferentlyEachTime() {
        assertThat(Arrays.equals(vault.seal("dev-1", KEY), vault.seal("dev-1", KEY)), is(false));
    }

    @Test
    void shouldNotOpenAKeyMovedToAnotherDevice() {
        byte[] stored = vault.seal("dev-1", KEY);
        assertThat(vault.open("dev-2", ByteBuffer.wrap(stored)), equalTo(Optional.empty()));
    }

    @Test
    void shouldNotOpenWithAnotherMasterKeyOrAfterAChangedByte() {
        byte[] stored = vault.seal("dev-1", KEY);
        assertThat(DeviceKeyVault.withMasterKey(filled(32, 8)).open("dev-1", ByteBuffer.wrap(stored)),
                equalTo(Optional.empty()));
        stored[20] ^= 1;
        assertThat(vault.open("dev-1", ByteBuffer.wrap(stored)), equalTo(Optional.empty()));
    }

    @Test
    void shouldRefuseAKeyStoredInTheClearWhenAMasterKeyIsConfigured() {
        assertThat(vault.open("dev-1", ByteBuffer.wrap(KEY)), equalTo(Optional.empty()));
    }

    @Test
    void shouldKeepKeysInTheClearWithoutAMasterKey() {
        DeviceKeyVault clear = DeviceKeyVault.clear();
        byte[] stored = clear.seal("dev-1", KEY);
        assertThat(clear.encrypts(), is(false));
        assertThat(Arrays.equals(stored, KEY), is(true));
        assertThat(clear.open("dev-1", ByteBuffer.wrap(stored)).isPresent(), is(true));
        assertThat(clear.open("dev-1", ByteBuffer.wrap(vault.seal("dev-1", KEY))).isPresent(), is(false));
        assertThat(Arrays.equals(vault.seal("dev-1", KEY), KEY), not(true));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
