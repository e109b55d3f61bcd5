package org.cardiowatch.schemas.topics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (a 10-byte header with the writer schema's fingerprint, then the
 * binary datum). There is no schema registry: every released version of the schema is known
 * from {@link SchemaHistory}, so a reader resolves data written with any of them.
 *
 * <p>Decoding reads the header here and the datum straight from the array: Avro's own
 * {@code BinaryMessageDecoder} reads it a byte at a time through a synchronized
 * {@code ByteArrayInputStream}, which a profile of the stream processor under load showed.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** The single-object encoding's marker, before the writer schema's fingerprint (little-endian). */
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    /** A reader per known writer schema, by its fingerprint; each resolves to the current schema. */
    private final Map<Long, DatumReader<T>> readers = new HashMap<>();

    public AvroSerde(Class<T> type) {
        this.type = type;
        // The model loads record classes with the loader of the type itself: under Quarkus tests
        // and dev mode the application has its own class loader, and Avro's default would mix them.
        SpecificData model = new BoundedSpecificData(type.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        Schema current = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        addReader(model, current, current);
        for (Schema released : SchemaHistory.versionsOf(current.getName())) {
            addReader(model, released, current);
        }
    }

    @SuppressWarnings("unchecked")
    private void addReader(SpecificData model, Schema writer, Schema current) {
        readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(writer),
                (DatumReader<T>) model.createDatumReader(writer, current));
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + type.getSimpleName(), e);
        }
    }

    /** @throws SerializationException when the bytes are not a datum of a known version. */
    public T decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new SerializationException("Not a valid " + type.getSimpleName() + " record: no single-object header");
        }
        DatumReader<T> reader = readers.get(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        if (reader == null) {
            throw new SerializationException("Not a valid " + type.getSimpleName()
                    + " record: written with a schema version this release does not know");
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES,
                    null));
        } catch (IOException | RuntimeException e) {
            // The message says what failed, never the bytes: they may hold patient data.
            throw new SerializationException("Not a valid " + type.getSimpleName() + " record: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
