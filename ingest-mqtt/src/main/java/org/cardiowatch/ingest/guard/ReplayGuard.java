package org.cardiowatch.ingest.guard;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses an envelope whose sequence number the device has already used, while letting through
 * the one case at-least-once delivery produces: the very same envelope delivered again.
 *
 * <p>Per device it remembers the highest accepted sequence number and, for the last
 * {@code window} accepted numbers, a fingerprint of the envelope. A sequence number
 * <ul>
 * <li>above every accepted one, or inside the window and not yet seen, is new (devices may
 *     deliver out of order after a reconnect);</li>
 * <li>inside the window and seen with the same fingerprint is a redelivery: dropped, not an error;</li>
 * <li>inside the window and seen with another fingerprint, or below the window, is a replay.</li>
 * </ul>
 * An exact copy replayed by an attacker while it is still inside the window is indistinguishable
 * from a redelivery; it is dropped all the same, so it never reaches analysis twice.
 *
 * <p>Only envelopes that passed authentication reach the guard, and a number is recorded only
 * once Kafka has taken the reading ({@link #recordAccepted}), so a reading refused for another
 * reason, or lost with Kafka away, can still be delivered again. The memory lives in this
 * process: after a restart, or when a device moves to another ingest instance, the stream
 * processor's own duplicate filter (device id and sequence number) is the second line.
 */
public final class ReplayGuard {

    /** What the guard says of a sequence number. */
    public enum Verdict {
        NEW, REDELIVERY, REPLAYED
    }

    private final int window;
    private final ConcurrentHashMap<String, DeviceWindow> devices = new ConcurrentHashMap<>();

    public ReplayGuard(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("The replay window holds at least one sequence number");
        }
        this.window = window;
    }

    public Verdict check(String deviceId, long sequence, long fingerprint) {
        DeviceWindow seen = devices.get(deviceId);
        return seen == null ? Verdict.NEW : seen.check(sequence, fingerprint);
    }

    public void recordAccepted(String deviceId, long sequence, long fingerprint) {
        devices.computeIfAbsent(deviceId, id -> new DeviceWindow(window)).record(sequence, fingerprint);
    }

    /** Devices the guard holds a window for (its memory is this times the window). */
    public int devices() {
        return devices.size();
    }

    /** The last accepted numbers of one device, in a ring indexed by sequence modulo the window. */
    private static final class DeviceWindow {
        private final long[] sequences;
        private final long[] fingerprints;
        private long highest;

        DeviceWindow(int window) {
            this.sequences = new long[window];
            this.fingerprints = new long[window];
        }

        synchronized Verdict check(long sequence, long fingerprint) {
            if (sequence > highest) {
                return Verdict.NEW;
            }
            if (sequence <= highest - sequences.length) {
                return Verdict.REPLAYED;
            }
            int slot = slot(sequence);
            if (sequences[slot] != sequence) {
                return Verdict.NEW;
            }
            return fingerprints[slot] == fingerprint ? Verdict.REDELIVERY : Verdict.REPLAYED;
        }

        synchronized void record(long sequence, long fingerprint) {
            if (sequence <= highest - sequences.length) {
                return;
            }
            int slot = slot(sequence);
            sequences[slot] = sequence;
            fingerprints[slot] = fingerprint;
            highest = Math.max(highest, sequence);
        }

        private int slot(long sequence) {
            return (int) Math.floorMod(sequence, (long) sequences.length);
        }
    }
}
