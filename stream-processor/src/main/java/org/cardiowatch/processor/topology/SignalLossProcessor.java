package org.cardiowatch.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.cardiowatch.processor.detection.SignalLossMonitor;
import org.cardiowatch.processor.detection.SignalLossMonitor.SignalState;
import org.cardiowatch.processor.detection.SourceFinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each device's last arrival (vitals or ECG), one entry per patient and device: a device
 * that falls silent is noticed even while another device of the patient keeps sending. A
 * wall-clock punctuation opens the signal-loss findings.
 *
 * <p>When nothing at all arrives on the task for the timeout while it watches
 * {@value #QUIET_PATH_DEVICES} devices or more, the path from the devices (the ingest, Kafka) is
 * down, not the patients: instead of one signal-loss alert per patient, the task logs one warning
 * and counts it (Kafka Streams metric {@code signal-path-quiet-total}, scope {@code cardiowatch}),
 * and holds the patients' alerts. Once readings arrive again, each device gets a whole timeout to
 * come back before its own signal loss is raised. While nothing has arrived on such a task for half
 * the timeout, its devices' own signal losses wait too: the devices that happened to send last
 * before the path went down must not time out before the task does.
 */
final class SignalLossProcessor implements Processor<String, String, String, SourceFinding> {

    /** Fewer devices than this on a task: their silence is theirs, whatever the path. */
    static final int QUIET_PATH_DEVICES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SignalLossProcessor.class);

    private final SignalLossMonitor monitor;
    private final Duration checkInterval;
    private final Duration timeout;
    private ProcessorContext<String, SourceFinding> context;
    private KeyValueStore<String, SignalState> states;
    private Sensor pathQuiet;
    /** The last arrival of any device on this task (wall clock); the start counts as one. */
    private Instant lastArrivalOnTask;
    /** When the path came back after it was quiet: silences are counted from then at the earliest. */
    private Instant pathBackAt = Instant.EPOCH;
    private boolean quiet;

    SignalLossProcessor(SignalLossMonitor monitor, Duration checkInterval, Duration timeout) {
        this.monitor = monitor;
        this.checkInterval = checkInterval;
        this.timeout = timeout;
    }

    @Override
    public void init(ProcessorContext<String, SourceFinding> context) {
        this.context = context;
        this.states = context.getStateStore(ProcessorTopology.SIGNAL_STATE_STORE);
        this.pathQuiet = context.metrics().addRateTotalSensor("cardiowatch", "signal-" + context.taskId(),
                "signal-path-quiet", Sensor.RecordingLevel.INFO);
        // After a restart every device gets a whole timeout, as after the path was down.
        this.lastArrivalOnTask = Instant.ofEpochMilli(context.currentSystemTimeMs());
        this.pathBackAt = lastArrivalOnTask;
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
    }

    /** One arrival: the key is the patient, the value the device that sent. */
    @Override
    public void process(Record<String, String> record) {
        String patientId = record.key();
        String deviceId = record.value();
        if (patientId == null || deviceId == null) {
            return;
        }
        String key = ProcessorTopology.deviceKey(patientId, deviceId);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        lastArrivalOnTask = now;
        if (quiet) {
            quiet = false;
            pathBackAt = now;
            LOG.info("Readings arrive again on task {}: each device has {} to come back", context.taskId(), timeout);
        }
        SignalLossMonitor.Step step = monitor.onReading(states.get(key), now, deviceId);
        states.put(key, step.state());
        step.finding().ifPresent(finding -> context.forward(new Record<>(patientId,
                SourceFinding.ofDevice(deviceId, finding), now.toEpochMilli())));
    }

    private void checkSilence(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<KeyValue<String, SignalLossMonitor.Step>> changes = new ArrayList<>();
        int devices = 0;
        try (KeyValueIterator<String, SignalState> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, SignalState> entry = all.next();
                devices++;
                SignalLossMonitor.Step step = monitor.onTick(entry.value, now, pathBackAt);
                if (step.finding().isPresent()) {
                    changes.add(KeyValue.pair(entry.key, step));
                }
            }
        }
        Duration taskQuietFor = Duration.between(lastArrivalOnTask, now);
        if (devices >= QUIET_PATH_DEVICES && taskQuietFor.compareTo(timeout) >= 0) {
            if (!quiet) {
                quiet = true;
                pathQuiet.record();
                LOG.warn("No reading on task {} for {} from any of its {} devices: the path from the devices is down; "
                        + "their signal-loss alerts are held until readings arrive again", context.taskId(),
                        Duration.between(lastArrivalOnTask, now), devices);
            }
            return;
        }
        if (devices >= QUIET_PATH_DEVICES && taskQuietFor.compareTo(timeout.dividedBy(2)) >= 0) {
            // Nobody on the task has sent for half the timeout: the path may be going down. When it does,
            // the devices that sent a few seconds before the others would reach their timeout before the
            // task does (IngestOutageIT found 12 of 120): hold them until the task is quiet for the whole
            // timeout (the path is down) or readings arrive again (then a silent device is silent alone).
            return;
        }
        for (KeyValue<String, SignalLossMonitor.Step> change : changes) {
            states.put(change.key, change.value.state());
            String deviceId = change.value.state().deviceId();
            context.forward(new Record<>(ProcessorTopology.patientOf(change.key),
                    SourceFinding.ofDevice(deviceId, change.value.finding().orElseThrow()), wallClockMillis));
        }
    }
}
