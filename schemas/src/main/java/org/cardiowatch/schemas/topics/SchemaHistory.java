package org.cardiowatch.schemas.topics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every version of a schema that was ever released, as committed under
 * {@code src/main/resources/avro-history/<Name>/v<N>.avsc}. Readers register all of them so data
 * written by an older producer (or still sitting in a topic) stays readable after a change.
 */
public final class SchemaHistory {

    private static final int MAX_VERSIONS = 999;

    private SchemaHistory() {
    }

    /** The released versions of the named record, oldest first; empty when none is committed. */
    public static List<Schema> versionsOf(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; version <= MAX_VERSIONS; version++) {
            String resource = "/avro-history/" + recordName + "/v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read schema history " + resource, e);
            }
        }
        return versions;
    }
}
