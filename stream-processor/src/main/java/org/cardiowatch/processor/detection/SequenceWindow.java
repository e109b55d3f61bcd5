package org.cardiowatch.processor.detection;

/**
 * Remembers which of a device's most recent 64 sequence numbers have been seen (the sliding
 * window of IPsec's anti-replay check), so a message delivered twice is analysed once, whatever
 * order the copies arrive in. At-least-once delivery makes such copies: MQTT redelivery, a device
 * sending again after a lost PUBACK or a Kafka timeout, producer retries.
 *
 * @param highest the highest sequence number seen, 0 before any
 * @param seen bit i set when {@code highest - i} has been seen
 */
public record SequenceWindow(long highest, long seen) {

    public static final SequenceWindow EMPTY = new SequenceWindow(0, 0);
    static final int SIZE = 64;

    /** What a sequence number is, given the window. */
    public enum Verdict {
        NEW, DUPLICATE, TOO_OLD
    }

    public Verdict check(long sequence) {
        if (sequence > highest) {
            return Verdict.NEW;
        }
        long age = highest - sequence;
        if (age >= SIZE) {
            return Verdict.TOO_OLD;
        }
        return (seen & (1L << age)) != 0 ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /** The window after accepting {@code sequence} (which {@link #check} called new). */
    public SequenceWindow accept(long sequence) {
        if (sequence > highest) {
            long shift = sequence - highest;
            long shifted = shift >= SIZE ? 0 : seen << shift;
            return new SequenceWindow(sequence, shifted | 1L);
        }
        return new SequenceWindow(highest, seen | (1L << (highest - sequence)));
    }
}
