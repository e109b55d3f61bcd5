package org.cardiowatch.ingest.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest's broker does not start without its certificates, and says which setting is wrong. */
class IngestRuntimeStoresTest {

    private static final String NAME = "CARDIOWATCH_INGEST_BROKER_KEY_STORE";

    @TempDir
    Path folder;

    @Test
    void shouldNameTheMissingSetting() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> IngestRuntime.required(Optional.empty(), NAME, "the listener's server certificate"));

        assertThat(error.getMessage(), containsString(NAME + " is required: the listener's server certificate"));
    }

    @Test
    void shouldRefuseAPathThatIsNotAReadableFile() {
        Path missing = folder.resolve("broker.p12");

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> IngestRuntime.required(Optional.of(missing), NAME, "the listener's server certificate"));
        assertThat(error.getMessage(), containsString(NAME + " names " + missing + ", which is not a readable file"));
        assertThrows(IllegalStateException.class, () -> IngestRuntime.required(Optional.of(folder), NAME, "a folder"));
    }

    @Test
    void shouldTakeAReadableFile() throws IOException {
        Path store = Files.write(folder.resolve("broker.p12"), new byte[] {1});

        assertThat(IngestRuntime.required(Optional.of(store), NAME, "the listener's server certificate"), equalTo(store));
    }
}
