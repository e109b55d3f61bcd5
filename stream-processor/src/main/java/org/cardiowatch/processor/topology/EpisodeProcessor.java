package org.cardiowatch.processor.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.AlertFactory;
import org.cardiowatch.processor.detection.PatientEpisode;
import org.cardiowatch.processor.detection.SourceFinding;
import org.cardiowatch.schemas.avro.Alert;

/**
 * Folds every source's findings into the patient's one alert per kind ({@link PatientEpisode}).
 * With end-monitoring ({@link MonitoringEndProcessor}, which ends episodes through the same
 * class), the only step that writes cw.alerts, so every rule's findings go through the same lifecycle.
 */
final class EpisodeProcessor implements Processor<String, SourceFinding, String, Alert> {

    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, PatientEpisode> episodes;

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.episodes = context.getStateStore(ProcessorTopology.PATIENT_EPISODE_STORE);
    }

    @Override
    public void process(Record<String, SourceFinding> record) {
        String patientId = record.key();
        SourceFinding change = record.value();
        if (patientId == null || change == null) {
            return;
        }
        String key = patientId + "|" + change.finding().kind();
        PatientEpisode stored = episodes.get(key);
        PatientEpisode episode = stored == null ? new PatientEpisode() : stored;
        // The record's time is when the alert arose here (wall clock): the alerts service times escalation
        // from it. The alert's fields keep the event time (the device's clock).
        episode.fold(change).ifPresent(patientChange -> context.forward(new Record<>(patientId,
                AlertFactory.toAlert(patientId, patientChange), context.currentSystemTimeMs())));
        if (episode.isOpen()) {
            episodes.put(key, episode);
        } else if (stored != null) {
            // A closed episode holds nothing: the key goes, so a patient's closed episodes take no state.
            episodes.delete(key);
        }
    }
}
