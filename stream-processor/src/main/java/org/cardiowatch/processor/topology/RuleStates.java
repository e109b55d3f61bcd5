package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.processor.detection.SustainedBreachDetector;
import org.cardiowatch.processor.detection.ThresholdRule;
import org.cardiowatch.schemas.avro.AlertKind;

/**
 * The state of each threshold rule on each of a patient's devices, one entry per patient and
 * device ({@link DeviceRules}): a device's readings are never interleaved with another device's. A
 * device's reported rate and its rate from beats go through the same rule's state (one is used at
 * a time), so an episode on one device stays one episode when it stops reporting a rate.
 */
final class RuleStates {

    private final KeyValueStore<String, DeviceRules> states;
    private final SustainedBreachDetector detector;

    RuleStates(KeyValueStore<String, DeviceRules> states, SustainedBreachDetector detector) {
        this.states = states;
        this.detector = detector;
    }

    /** The rules of one device, for one record: read at the first evaluation, written once by {@link Device#save()}. */
    Device of(String patientId, String deviceId) {
        return new Device(ProcessorTopology.deviceKey(patientId, deviceId));
    }

    final class Device {

        private final String key;
        private DeviceRules rules;
        private boolean changed;

        private Device(String key) {
            this.key = key;
        }

        /** Evaluates one value of the device against one rule of the patient. */
        Optional<Finding> evaluate(ThresholdRule rule, Duration sustain, Instant at, double value) {
            if (rules == null) {
                load();
            }
            SustainedBreachDetector.Step step = detector.evaluate(rule, sustain, rules.of(rule.kind()), at, value);
            changed |= rules.set(rule.kind(), step.state());
            return step.finding();
        }

        /** Writes the device's entry when a rule's state changed. */
        void save() {
            if (changed) {
                states.put(key, rules);
                changed = false;
            }
        }

        private void load() {
            rules = states.get(key);
            if (rules == null) {
                rules = new DeviceRules();
                changed = takeOverLegacyEntries();
            }
        }

        /**
         * A processor upgraded from one entry per device and rule ("patient|device|KIND") takes
         * those entries into the device's one entry at its first reading, so an open episode goes
         * on; they are deleted once taken.
         */
        private boolean takeOverLegacyEntries() {
            List<String> taken = new ArrayList<>();
            try (KeyValueIterator<String, DeviceRules> entries = states.prefixScan(key + "|", new StringSerializer())) {
                while (entries.hasNext()) {
                    KeyValue<String, DeviceRules> entry = entries.next();
                    Optional<AlertKind> kind = kindNamed(entry.key.substring(key.length() + 1));
                    if (kind.isPresent() && entry.value != null && entry.value.legacyState() != null) {
                        rules.set(kind.get(), entry.value.legacyState());
                        taken.add(entry.key);
                    }
                }
            }
            taken.forEach(states::delete);
            return !taken.isEmpty();
        }
    }

    private static Optional<AlertKind> kindNamed(String name) {
        for (AlertKind kind : AlertKind.values()) {
            if (kind.name().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
