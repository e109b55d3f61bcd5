package org.cardiowatch.schemas.topics;

import java.lang.reflect.Method;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Avro's model with one change for untrusted bytes: an array's item count, as the bytes claim it,
 * no longer decides how much memory is reserved up front. Avro sizes a new list by the claimed
 * count, so a 100-byte message claiming a billion items made the reader allocate gigabytes before
 * it found the items missing. Lists now start small and grow with the items actually read.
 *
 * <p>Strings and byte fields are allocated by the decoder itself from their claimed length; for
 * those Avro's own system-property limits are set here, unless the operator has set them: no
 * CardioWatch record holds a string over {@value #MAX_STRING_BYTES} bytes. Avro reads the
 * properties once, when its limits class loads, and building any record with a default value
 * loads it, so the limits are re-read here explicitly.
 */
final class BoundedSpecificData extends SpecificData {

    static final int MAX_STRING_BYTES = 1 << 20;
    static final int MAX_BYTES_LENGTH = 16 << 20;

    static {
        setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_STRING_BYTES);
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_BYTES_LENGTH);
        reloadAvroLimits();
    }

    /** Items reserved before any is read: enough for a typical RR list, small against the heap. */
    static final int INITIAL_ARRAY_CAPACITY = 1024;

    BoundedSpecificData(ClassLoader loader) {
        super(loader);
    }

    private static void reloadAvroLimits() {
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot apply Avro's decoding limits (Avro version changed?)", e);
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public DatumReader createDatumReader(Schema writer, Schema reader) {
        return new SpecificDatumReader(writer, reader, this) {
            @Override
            protected Object newArray(Object old, int size, Schema schema) {
                return super.newArray(old, Math.min(size, INITIAL_ARRAY_CAPACITY), schema);
            }
        };
    }
}
