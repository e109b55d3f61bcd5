package org.cardiowatch.alerts.config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cardiowatch.alerts.ecg.EcgStripReader;
import org.cardiowatch.alerts.history.HistoryWriter;
import org.cardiowatch.fhir.FhirPush;
import org.cardiowatch.alerts.history.InfluxHistoryStore;
import org.cardiowatch.alerts.messaging.AlertBoard;
import org.cardiowatch.alerts.messaging.AlertBoardFeed;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.alerts.messaging.RecentVitals;
import org.cardiowatch.schemas.topics.TopicFollower;
import org.cardiowatch.alerts.routing.EscalationPolicy;
import org.cardiowatch.alerts.security.ClinicianDirectory;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.PatientReview;
import org.cardiowatch.schemas.avro.SignOut;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.ErasedPatients;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.cardiowatch.schemas.wire.DeviceKeyVault;
import org.cardiowatch.schemas.wire.DeviceKeyVaults;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell of the alerts service: reads the reference topics, follows alerts, actions and
 * vitals, runs the escalation check, and writes actions and reference data.
 */
@Startup
@ApplicationScoped
public class AlertsRuntime {

    private static final Logger LOG = Logger.getLogger(AlertsRuntime.class);
    public static final String ESCALATION_ACTOR = "escalation-policy";

    private final AlertsConfig config;
    private final KafkaConnection kafka;
    private final Clock clock = Clock.systemUTC();
    private ClinicianDirectory clinicians;
    private CompactedTopicView<Patient> patients;
    private CompactedTopicView<CareTeam> careTeams;
    private CompactedTopicView<Device> devices;
    private ErasedPatients erased;
    private AlertBoard board;
    private RecentVitals recentVitals;
    private TopicWriter writer;
    private AlertBoardFeed feed;
    private TopicFollower vitalsFollower;
    private ScheduledExecutorService scheduler;
    private Optional<LocalCertificateAuthority> deviceCa = Optional.empty();
    private DeviceKeyVault deviceKeys = DeviceKeyVault.clear();
    private InfluxHistoryStore historyStore;
    private EcgStripReader ecgStrips;
    private FhirPush fhirPush;
    private CompactedTopicView<PatientReview> reviews;
    private CompactedTopicView<SignOut> signOuts;
    private HistoryWriter historyWriter;
    private java.time.ZoneId displayZone;
    private final List<java.util.function.Consumer<String>> forgetters = new java.util.concurrent.CopyOnWriteArrayList<>();

    AlertsRuntime(AlertsConfig config, KafkaConnection kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        displayZone = displayZone(config.display().timeZone());
        clinicians = config.usersFile().map(ClinicianDirectory::load).orElseGet(() -> {
            LOG.warn("No users file configured (cardiowatch.alerts.users-file): nobody can sign in locally");
            return ClinicianDirectory.of(List.of());
        });
        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> client = kafka.clientSettings();
        // First: the board, the recent vitals, the history and the FHIR push skip an erased patient's records.
        erased = new ErasedPatients(bootstrap, client).start();
        patients = new CompactedTopicView<>(Topics.PATIENTS, bootstrap, client, (k, v) -> { }).start();
        careTeams = new CompactedTopicView<>(Topics.CARE_TEAMS, bootstrap, client, (k, v) -> { }).start();
        devices = new CompactedTopicView<>(Topics.DEVICES, bootstrap, client, (k, v) -> { }).start();
        reviews = new CompactedTopicView<>(Topics.REVIEWS, bootstrap, client, (k, v) -> { }).start();
        signOuts = new CompactedTopicView<>(Topics.SIGN_OUTS, bootstrap, client, (k, v) -> { }).start();
        ecgStrips = new EcgStripReader(bootstrap, client);
        board = new AlertBoard(config.dashboard().keepResolved());
        recentVitals = new RecentVitals(config.dashboard().recentReadingsPerPatient(), config.dashboard().recentWindow());
        writer = new TopicWriter(bootstrap, client);
        startHistory(bootstrap, client);
        startFhirPush(bootstrap, client);
        deviceKeys = DeviceKeyVaults.fromConfig(config.deviceKeys().masterKey(), "cardiowatch.alerts.device-keys.master-key",
                config.deviceKeys().allowClear());
        deviceCa = config.deviceCa().folder().map(folder ->
                LocalCertificateAuthority.open(folder, config.deviceCa().password().orElse("").toCharArray()));
        feed = new AlertBoardFeed(board, bootstrap, client, writer, erased::isErased).start();
        vitalsFollower = new TopicFollower("vitals", bootstrap, client, List.of(Topics.VITALS.name()),
                clock.instant().minus(config.dashboard().recentWindow()),
                record -> {
                    if (!erased.isErased(record.key())) {
                        recentVitals.add(Topics.VITALS.decode(record.value()));
                    }
                }).start();
        EscalationPolicy policy = new EscalationPolicy(config.escalation().timeout());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alert-escalation");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.escalation().checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> escalateDue(policy), every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Alerts service started: Kafka %s, escalation after %s", bootstrap, config.escalation().timeout());
    }

    /**
     * Escalates what is due among the alerts this instance owns; runs on one scheduler thread. Not
     * before the board has read everything that was saved and in cw.alerts and cw.alert-actions at
     * start: an acknowledgement not read yet must not look like none.
     */
    void escalateDue(EscalationPolicy policy) {
        if (!feed.isCaughtUp()) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (AlertRecord record : board.open(patientId -> true)) {
                if (!feed.owns(record.id())) {
                    continue;
                }
                CareTeam team = careTeams.get(record.patientId()).orElse(null);
                String backup = policy.dueEscalation(record.raisedAt(), record.alert().getSeverity(),
                        record.isOpen(), record.isAcknowledged(), record.isEscalated(), team, now);
                if (backup != null) {
                    recordAction(record, AlertActionKind.ESCALATED, ESCALATION_ACTOR, backup);
                    LOG.infof("Escalated alert %s to the backup physician", record.id());
                }
            }
            feed.prune(now);
            recentVitals.prune(now);
        } catch (RuntimeException e) {
            LOG.errorf("Escalation check failed: %s", e.toString());
        }
    }

    /** Writes what someone did with an alert to cw.alert-actions and applies it at once. */
    public Optional<AlertRecord> recordAction(AlertRecord record, AlertActionKind kind, String actor, String target) {
        AlertAction action = AlertAction.newBuilder().setAlertId(record.id()).setPatientId(record.patientId())
                .setAction(kind).setActor(actor).setTarget(target).setAt(clock.instant()).build();
        writer.write(Topics.ALERT_ACTIONS, record.patientId(), action);
        return board.apply(action);
    }

    /** The hospital's time zone, in which the pages show every time. */
    public java.time.ZoneId displayZone() {
        return displayZone;
    }

    /** Refuses to start on a time zone that is none, rather than show every time in the wrong one. */
    static java.time.ZoneId displayZone(String id) {
        try {
            return java.time.ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new IllegalStateException("cardiowatch.alerts.display.time-zone is not a time zone: " + id
                    + " (an IANA id such as Europe/Paris)", e);
        }
    }

    /** Whether this instance owns the alert: escalates it, saves it, sends its notifications. */
    public boolean ownsAlert(String alertId) {
        return feed.owns(alertId);
    }

    /** Also called with an erased patient's id by {@link #forgetPatient}. */
    public void onForget(java.util.function.Consumer<String> forget) {
        forgetters.add(forget);
    }

    public boolean isReady() {
        return erased.isCaughtUp() && patients.isCaughtUp() && careTeams.isCaughtUp() && signOuts.isCaughtUp()
                && feed.isCaughtUp();
    }

    public ClinicianDirectory clinicians() {
        return clinicians;
    }

    public CompactedTopicView<Patient> patients() {
        return patients;
    }

    public CompactedTopicView<CareTeam> careTeams() {
        return careTeams;
    }

    public CompactedTopicView<Device> devices() {
        return devices;
    }

    /** The latest daily review of each patient. */
    /** Each clinician's last sign-out: their browser sessions begun before it are over. */
    public CompactedTopicView<SignOut> signOuts() {
        return signOuts;
    }

    public CompactedTopicView<PatientReview> reviews() {
        return reviews;
    }

    public EcgStripReader ecgStrips() {
        return ecgStrips;
    }

    public AlertBoard board() {
        return board;
    }

    public RecentVitals recentVitals() {
        return recentVitals;
    }

    private void startHistory(String bootstrap, Map<String, Object> client) {
        AlertsConfig.History history = config.history();
        if (history.url().isEmpty()) {
            LOG.info("History is off: cardiowatch.alerts.history.url is not set");
            return;
        }
        historyStore = new InfluxHistoryStore(history.url().get(), history.username(), history.password(),
                history.database(), history.rawRetention(), history.minuteRetention());
        historyWriter = new HistoryWriter(bootstrap, client, HistoryWriter.GROUP, historyStore, history.retryPause(),
                erased::isErased).start();
        LOG.infof("History is on: InfluxDB database %s (raw kept %s, minutes %s)", history.database(),
                history.rawRetention(), history.minuteRetention());
    }

    private void startFhirPush(String bootstrap, Map<String, Object> client) {
        AlertsConfig.FhirPush push = config.fhirPush();
        if (push.url().isEmpty()) {
            LOG.info("FHIR push is off: cardiowatch.alerts.fhir-push.url is not set");
            return;
        }
        fhirPush = new FhirPush(bootstrap, client, FhirPush.GROUP, push.url().get(), push.token(), push.timeout(),
                push.retryPause(), erased::isErased).start();
        LOG.infof("FHIR push is on: alerts, actions and per-minute vitals to %s", push.url().get());
    }

    /** The history store, when history is on. */
    public Optional<InfluxHistoryStore> history() {
        return Optional.ofNullable(historyStore);
    }

    /** The history store for an API that needs it: 503 when history is off. */
    public InfluxHistoryStore requireHistory() {
        return history().orElseThrow(() -> new ServiceUnavailableException("History is off on this installation"));
    }

    /**
     * Drops what this service holds in memory about an erased patient (open alerts, recent vitals)
     * and skips their records from now on, before the erasure comes back from cw.monitoring-ends.
     */
    public void forgetPatient(String patientId) {
        erased.add(patientId);
        feed.forget(patientId);
        recentVitals.forget(patientId);
        forgetters.forEach(forget -> forget.accept(patientId));
    }

    /** Encrypts payload keys before they are written to cw.devices. */
    public DeviceKeyVault deviceKeys() {
        return deviceKeys;
    }

    /** The authority that issues device certificates at enrolment, when this service is given one. */
    public Optional<LocalCertificateAuthority> deviceCa() {
        return deviceCa;
    }

    public TopicWriter writer() {
        return writer;
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {feed, fhirPush, historyWriter, historyStore, vitalsFollower, ecgStrips,
                erased, patients, careTeams, devices, reviews, signOuts, writer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                LOG.warnf("Close failed: %s", e.toString());
            }
        }
    }
}
