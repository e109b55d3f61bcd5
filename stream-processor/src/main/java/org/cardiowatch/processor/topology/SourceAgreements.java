package org.cardiowatch.processor.topology;

import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.Measure;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SourceFinding;

/** Each patient's agreement state per measure, in a store shared by every step that sees a value of it. */
final class SourceAgreements {

    private final KeyValueStore<String, SourceAgreement.State> states;
    private final SourceAgreement agreement;

    SourceAgreements(KeyValueStore<String, SourceAgreement.State> states, SourceAgreement agreement) {
        this.states = states;
        this.agreement = agreement;
    }

    Optional<SourceFinding> observe(String patientId, Measure measure, String deviceId, Instant at, double value) {
        String key = patientId + "|" + measure.name();
        SourceAgreement.State stored = states.get(key);
        SourceAgreement.State state = stored == null ? new SourceAgreement.State() : stored;
        Optional<SourceFinding> finding = agreement.onValue(state, measure, deviceId, at, value);
        states.put(key, state);
        return finding;
    }
}
