package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.BreachState;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threshold rules' state of a processor from before one entry per device (one entry per
 * device and rule, format 1) stays readable after an upgrade, and an episode open then goes on.
 */
class RuleStateFormatTest {

    private static final Instant START = Instant.parse("2026-12-06T09:00:00Z");
    private static final String PATIENT = "p-upgrade";
    private static final String DEVICE = "wrist-band-1";

    @TempDir
    Path stateDir;
    private long sequence;

    @Test
    void shouldReadAFormatOneEntryAsOneRulesStateAndWriteEveryRuleOfADeviceInFormatTwo() throws Exception {
        BreachState open = new BreachState(START.plusSeconds(90), START, START, null, 152.0, START.plusSeconds(5), 150.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            BreachState.write(out, open);
        }

        DeviceRules legacy = StateSerdes.DEVICE_RULES.deserializer().deserialize("t", bytes.toByteArray());
        assertThat(legacy.legacyState(), equalTo(open));

        DeviceRules rules = new DeviceRules();
        rules.set(AlertKind.TACHYCARDIA, open);
        rules.set(AlertKind.LOW_SPO2, BreachState.INITIAL);
        byte[] written = StateSerdes.DEVICE_RULES.serializer().serialize("t", rules);
        assertThat("format 2", written[0], is((byte) 2));
        DeviceRules read = StateSerdes.DEVICE_RULES.deserializer().deserialize("t", written);
        assertThat(read.legacyState(), nullValue());
        assertThat(read.size(), is(2));
        assertThat(read.of(AlertKind.TACHYCARDIA), equalTo(open));
        assertThat(read.of(AlertKind.LOW_SPO2), equalTo(BreachState.INITIAL));
        assertThat("a rule without state", read.of(AlertKind.BRADYCARDIA), equalTo(BreachState.INITIAL));
    }

    @Test
    void shouldResolveATachycardiaOpenedBeforeTheUpgradeOnceAndTakeItsEntriesIntoOne() {
        try (TopologyFixture fixture = new TopologyFixture(stateDir, START)) {
            TestInputTopic<String, VitalSigns> vitals = fixture.input(Topics.VITALS);
            TestOutputTopic<String, Alert> alerts = fixture.output(Topics.ALERTS);
            int second = 0;
            while (alerts.isEmpty() && second < 300) {
                send(vitals, START.plusSeconds(second++), 150f);
            }
            assertThat(alerts.readValuesToList().stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                    contains("TACHYCARDIA OPEN"));

            // What the processor before the upgrade kept: one entry per rule, its kind in the key.
            KeyValueStore<String, DeviceRules> store = fixture.driver.getKeyValueStore(ProcessorTopology.SOURCE_RULE_STORE);
            String device = ProcessorTopology.deviceKey(PATIENT, DEVICE);
            DeviceRules now = store.delete(device);
            for (AlertKind kind : List.of(AlertKind.BRADYCARDIA, AlertKind.TACHYCARDIA)) {
                store.put(device + "|" + kind.name(), DeviceRules.legacy(now.of(kind)));
            }

            for (int back = 0; back < 300; back++) {
                send(vitals, START.plusSeconds(second++), 70f);
            }
            assertThat("the episode open before the upgrade resolves, once, and nothing opens again",
                    alerts.readValuesToList().stream().map(a -> a.getKind() + " " + a.getState()).toList(),
                    contains("TACHYCARDIA RESOLVED"));
            assertThat("one entry for the device, in format 2", keysOf(store), contains(device));
            assertThat(store.get(device).legacyState(), nullValue());
            assertThat(store.get(device).of(AlertKind.TACHYCARDIA).isOpen(), is(false));
        }
    }

    @Test
    void shouldLeaveAnotherPatientsEntriesAloneWhenTakingOverADevicesLegacyEntries() {
        try (TopologyFixture fixture = new TopologyFixture(stateDir, START)) {
            TestInputTopic<String, VitalSigns> vitals = fixture.input(Topics.VITALS);
            KeyValueStore<String, DeviceRules> store = fixture.driver.getKeyValueStore(ProcessorTopology.SOURCE_RULE_STORE);
            // "p-upgrade|wrist-band-1|x" is also the key of patient "p-upgrade|wrist-band-1"'s device "x".
            String otherPatientsDevice = ProcessorTopology.deviceKey(PATIENT + "|" + DEVICE, "TACHYCARDIA");
            DeviceRules others = new DeviceRules();
            others.set(AlertKind.TACHYCARDIA, BreachState.INITIAL);
            store.put(otherPatientsDevice, others);

            send(vitals, START, 70f);

            assertThat(keysOf(store), contains(ProcessorTopology.deviceKey(PATIENT, DEVICE), otherPatientsDevice));
            assertThat(store.get(otherPatientsDevice).size(), is(1));
        }
    }

    private List<String> keysOf(KeyValueStore<String, DeviceRules> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, DeviceRules> all = store.all()) {
            all.forEachRemaining((KeyValue<String, DeviceRules> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    private void send(TestInputTopic<String, VitalSigns> vitals, Instant at, float heartRate) {
        vitals.pipeInput(PATIENT, VitalSigns.newBuilder().setPatientId(PATIENT).setDeviceId(DEVICE)
                .setSequence(++sequence).setMeasuredAt(at).setReceivedAt(at).setHeartRateBpm(heartRate).build(), at);
    }
}
