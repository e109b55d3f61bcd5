package org.cardiowatch.processor.topology;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.cardiowatch.processor.detection.BreachState;
import org.cardiowatch.schemas.avro.AlertKind;

/**
 * The state of every threshold rule on one device of a patient, one store entry: a reading is
 * evaluated against five rules, and one entry costs one read and one write per reading where one
 * entry per rule cost five of each (18 % of the stream thread under the load benchmark).
 */
final class DeviceRules {

    private final Map<AlertKind, BreachState> states;
    /**
     * A rule's state as it was stored before one entry per device held them all (one entry per
     * device and rule, its kind in the key): read once, then taken into the device's entry.
     */
    private final BreachState legacy;

    DeviceRules() {
        this(new EnumMap<>(AlertKind.class), null);
    }

    private DeviceRules(Map<AlertKind, BreachState> states, BreachState legacy) {
        this.states = states;
        this.legacy = legacy;
    }

    static DeviceRules legacy(BreachState state) {
        return new DeviceRules(new EnumMap<>(AlertKind.class), state);
    }

    /** The single rule's state of an entry written before one entry per device, or null. */
    BreachState legacyState() {
        return legacy;
    }

    /** The rule's state, {@link BreachState#INITIAL} when it has none. */
    BreachState of(AlertKind kind) {
        return states.getOrDefault(kind, BreachState.INITIAL);
    }

    /** @return whether the state changed */
    boolean set(AlertKind kind, BreachState state) {
        return !state.equals(states.put(kind, state));
    }

    int size() {
        return states.size();
    }

    void write(DataOutput out) throws IOException {
        out.writeByte(states.size());
        for (Map.Entry<AlertKind, BreachState> entry : states.entrySet()) {
            // By name: a kind added to the schema or reordered does not shift the others.
            out.writeUTF(entry.getKey().name());
            BreachState.write(out, entry.getValue());
        }
    }

    static DeviceRules read(DataInput in) throws IOException {
        int count = in.readUnsignedByte();
        Map<AlertKind, BreachState> states = new EnumMap<>(AlertKind.class);
        for (int i = 0; i < count; i++) {
            AlertKind kind = AlertKind.valueOf(in.readUTF());
            states.put(kind, BreachState.read(in));
        }
        return new DeviceRules(states, null);
    }
}
