package org.cardiowatch.processor.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads format 212 signal files (two 12-bit samples in three bytes, frames interleaved). */
public final class WfdbSignals {

    private WfdbSignals() {
    }

    /**
     * All samples of every signal, in ADC units, checked against the header's initial values and
     * checksums.
     *
     * @throws IllegalArgumentException when the format is not 212 or a check fails
     */
    public static int[][] read(Path folder, WfdbHeader header) throws IOException {
        int count = header.signals().size();
        for (WfdbHeader.Signal signal : header.signals()) {
            if (signal.format() != 212) {
                throw new IllegalArgumentException("format " + signal.format() + " is not supported (only 212)");
            }
            if (!signal.file().equals(header.signals().get(0).file())) {
                throw new IllegalArgumentException("signals in separate files are not supported");
            }
        }
        byte[] bytes = Files.readAllBytes(folder.resolve(header.signals().get(0).file()));
        long available = (long) bytes.length * 2 / 3 / count;
        int length = (int) Math.min(header.samples() > 0 ? header.samples() : available, available);
        int[][] samples = new int[count][length];
        int channel = 0;
        long sample = 0;
        for (int offset = 0; offset + 2 < bytes.length && sample < length; offset += 3) {
            int b0 = bytes[offset] & 0xff;
            int b1 = bytes[offset + 1] & 0xff;
            int b2 = bytes[offset + 2] & 0xff;
            for (int value : new int[] {b0 | ((b1 & 0x0f) << 8), b2 | ((b1 & 0xf0) << 4)}) {
                if (sample < length) {
                    samples[channel][(int) sample] = value > 2047 ? value - 4096 : value;
                }
                if (++channel == count) {
                    channel = 0;
                    sample++;
                }
            }
        }
        for (int s = 0; s < count; s++) {
            WfdbHeader.Signal signal = header.signals().get(s);
            if (samples[s][0] != signal.initialValue()) {
                throw new IllegalArgumentException("signal " + s + ": first sample is not the header's initial value");
            }
            short checksum = 0;
            for (int value : samples[s]) {
                checksum += (short) value;
            }
            if (checksum != (short) signal.checksum()) {
                throw new IllegalArgumentException("signal " + s + ": checksum does not match the header");
            }
        }
        return samples;
    }
}
