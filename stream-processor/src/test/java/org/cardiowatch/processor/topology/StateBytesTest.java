package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StateBytesTest {

    @Test
    void shouldReadBackWhatWasWrittenAcrossTheBuffersGrowth() throws IOException {
        StateBytes.Out bytes = new StateBytes.Out();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int i = 0; i < 100; i++) {
                out.writeInt(i * 1_000_003);
                out.writeLong(-i * 7_000_000_019L);
                out.writeFloat(i / 3f);
            }
            out.writeUTF("dev-é|42");
        }
        byte[] written = bytes.toByteArray();

        try (DataInputStream in = new DataInputStream(new StateBytes.In(written))) {
            for (int i = 0; i < 100; i++) {
                assertThat(in.readInt(), is(i * 1_000_003));
                assertThat(in.readLong(), is(-i * 7_000_000_019L));
                assertThat(in.readFloat(), is(i / 3f));
            }
            assertThat(in.readUTF(), is("dev-é|42"));
            assertThat(written.length, is(100 * 16 + 2 + "dev-é|42".getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void shouldEndWithEofAsAStateWrittenByAnOlderVersionDoes() throws IOException {
        // The readers tell an older state by its end: fewer bytes than the fields they now read.
        try (DataInputStream in = new DataInputStream(new StateBytes.In(new byte[] {0, 0, 0, 7, 1, 2}))) {
            assertThat(in.readInt(), is(7));
            assertThrows(EOFException.class, in::readInt);
        }
        StateBytes.In empty = new StateBytes.In(new byte[0]);
        assertThat(empty.read(), is(-1));
        assertThat(empty.read(new byte[4], 0, 4), is(-1));
        assertThat(empty.read(new byte[4], 0, 0), is(0));
    }
}
