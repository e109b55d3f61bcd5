package org.cardiowatch.processor.topology;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Byte-array streams for the processor's state serdes, without the locking of
 * {@link java.io.ByteArrayInputStream} and {@link java.io.ByteArrayOutputStream}. Kafka Streams'
 * record cache keeps state serialized, so every beat reads and writes its patient's state whole,
 * and {@link java.io.DataInputStream} reads an int a byte at a time: with the synchronized
 * streams, a JFR profile of the processor under the load benchmark showed about a quarter of its
 * samples in {@code ByteArrayInputStream.read()}. A stream here belongs to one serde call on one
 * thread, so it needs no lock.
 */
final class StateBytes {

    private StateBytes() {
    }

    /** Reads a byte array; -1 at its end, as any stream. */
    static final class In extends InputStream {
        private final byte[] data;
        private int position;

        In(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int count = Math.min(length, data.length - position);
            System.arraycopy(data, position, into, offset, count);
            position += count;
            return count;
        }

        @Override
        public int available() {
            return data.length - position;
        }
    }

    /** Writes into a growing byte array. */
    static final class Out extends OutputStream {
        private byte[] buffer = new byte[128];
        private int size;

        @Override
        public void write(int b) {
            ensureRoom(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] from, int offset, int length) {
            ensureRoom(length);
            System.arraycopy(from, offset, buffer, size, length);
            size += length;
        }

        private void ensureRoom(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }
    }
}
