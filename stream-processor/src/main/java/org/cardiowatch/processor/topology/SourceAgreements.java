package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.Measure;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SourceFinding;

/**
 * Each patient's agreement state per measure, in a store shared by every step that sees a value of
 * it. Most patients have one device per measure, which has nothing to agree with: until a second
 * device sends the measure nothing is stored (two changelog records less per reading), and only
 * which device sent it is remembered, in memory. The second device's first value starts the
 * stored state; the comparison begins with the next value of either device, and after a restart
 * with the second device's next value.
 */
final class SourceAgreements {

    private final KeyValueStore<String, SourceAgreement.State> states;
    private final SourceAgreement agreement;
    /** Patient and measure to the only device seen sending it, while nothing is stored for them. */
    private final Map<String, String> soleSources = new HashMap<>();

    SourceAgreements(KeyValueStore<String, SourceAgreement.State> states, SourceAgreement agreement) {
        this.states = states;
        this.agreement = agreement;
    }

    Optional<SourceFinding> observe(String patientId, Measure measure, String deviceId, Instant at, double value) {
        String key = patientId + "|" + measure.name();
        String sole = soleSources.get(key);
        if (deviceId.equals(sole)) {
            return Optional.empty();
        }
        SourceAgreement.State stored = states.get(key);
        if (stored == null && sole == null) {
            soleSources.put(key, deviceId);
            return Optional.empty();
        }
        soleSources.remove(key);
        SourceAgreement.State state = stored == null ? new SourceAgreement.State() : stored;
        Optional<SourceFinding> finding = agreement.onValue(state, measure, deviceId, at, value);
        states.put(key, state);
        return finding;
    }
}
