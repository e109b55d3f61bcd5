package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest down for 6 minutes, longer than the real signal-loss timeout (5 minutes), on the real
 * stack: 120 wearables stream, the ingest is killed, nothing arrives for 6 minutes, the ingest comes
 * back and the devices with it. The stream processor must see the path down, say so once per
 * Streams task (the system alarm: a warning and the {@code signal-path-quiet-total} metric), and
 * raise no patient's signal loss: no storm of 120 alerts escalated 5 minutes later.
 *
 * <p>About 10 minutes, so not in the test command: {@code ./cardiowatch outage} runs it (tag "long").
 */
@Tag("long")
class IngestOutageIT {

    private static final int DEVICES = 120;
    private static final Duration OUTAGE = Duration.ofMinutes(6);
    private static final Duration READING_EVERY = Duration.ofSeconds(5);
    private static final String QUIET_PATH_WARNING = "the path from the devices is down";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void shouldRaiseOneSystemAlarmPerTaskAndNoPatientsSignalLossWhenTheIngestIsDownLongerThanTheTimeout()
            throws Exception {
        LocalStack.Settings settings = new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0,
                FreePorts.next(), FreePorts.next(), FreePorts.next(), "outage-password".toCharArray(), false,
                Map.of("CARDIOWATCH_PROCESSOR_SIGNAL_LOSS_TIMEOUT", "PT5M"), 1, 1);
        List<DemoCohort.DemoPatient> patients = patients();
        Set<String> patientIds = Set.copyOf(patients.stream().map(DemoCohort.DemoPatient::patientId).toList());
        try (LocalStack stack = LocalStack.start(settings)) {
            stack.enrol(patients);
            Instant start = Instant.now();
            long sequence = stream(stack, patients, 1, Duration.ofMinutes(1));

            stack.kill("ingest-mqtt");
            System.out.printf("OUTAGE ingest killed; nothing arrives for %s%n", OUTAGE);
            Thread.sleep(OUTAGE.toMillis());
            stack.restart("ingest-mqtt");
            stream(stack, patients, sequence, Duration.ofMinutes(1));

            List<Alert> signalLosses = TopicScan.read(stack.brokers().bootstrapServers(), stack.kafkaClientSettings(),
                    Topics.ALERTS, start, alert -> patientIds.contains(alert.getPatientId())
                            && alert.getKind() == AlertKind.SIGNAL_LOSS, Integer.MAX_VALUE);
            long warnings = Files.readAllLines(home.resolve("logs/stream-processor.log")).stream()
                    .filter(line -> line.contains(QUIET_PATH_WARNING)).count();
            System.out.printf("OUTAGE devices=%d outage-s=%d signal-loss-alerts=%d quiet-path-warnings=%d%n", DEVICES,
                    OUTAGE.toSeconds(), signalLosses.size(), warnings);
            assertThat("no patient's signal loss: the path was down, not the patients", signalLosses, empty());
            assertThat("the path down said at least once", warnings, greaterThanOrEqualTo(1L));
            assertThat("and at most once per Streams task (one per partition)", warnings, lessThanOrEqualTo(6L));
        }
    }

    /** Streams a reading from every device every 5 s for the duration; returns the next sequence number. */
    private static long stream(LocalStack stack, List<DemoCohort.DemoPatient> patients, long firstSequence,
            Duration duration) throws InterruptedException {
        List<SealedDevicePublisher> devices = new ArrayList<>();
        try {
            for (DemoCohort.DemoPatient patient : patients) {
                devices.add(stack.connectDevice(patient, firstSequence, stack.mqttServerUris()));
            }
            long rounds = duration.toMillis() / READING_EVERY.toMillis();
            for (long round = 0; round < rounds; round++) {
                Instant now = Instant.now();
                for (SealedDevicePublisher device : devices) {
                    device.publish(DeviceVitals.newBuilder().setMeasuredAt(now).setHeartRateBpm(70f).setSpo2Percent(97f)
                            .setRrIntervalsMs(List.of(857)).build());
                }
                Thread.sleep(Math.max(0, READING_EVERY.toMillis() - Duration.between(now, Instant.now()).toMillis()));
            }
            return firstSequence + rounds;
        } finally {
            devices.forEach(SealedDevicePublisher::close);
        }
    }

    private static List<DemoCohort.DemoPatient> patients() {
        SecureRandom random = new SecureRandom();
        List<DemoCohort.DemoPatient> patients = new ArrayList<>();
        for (int i = 1; i <= DEVICES; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String id = "outage-" + i;
            patients.add(new DemoCohort.DemoPatient("p-" + id, "Outage " + id, "cardio1", "cardio2", 70, false,
                    List.of(), "dev-" + id, key));
        }
        return patients;
    }
}
