package org.cardiowatch.schemas.topics;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.ClinicianChannels;
import org.cardiowatch.schemas.avro.Consent;
import org.cardiowatch.schemas.avro.CurrentAlert;
import org.cardiowatch.schemas.avro.DeadLetter;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.PatientReview;
import org.cardiowatch.schemas.avro.PatientThresholds;
import org.cardiowatch.schemas.avro.PushSubscription;
import org.cardiowatch.schemas.avro.SignOut;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;

/** The one registry of CardioWatch's topics: name, serdes and kind together. */
public final class Topics {

    private static final Serde<String> KEY = Serdes.String();

    public static final Topic<String, VitalSigns> VITALS = events("cw.vitals", VitalSigns.class, true);
    public static final Topic<String, EcgSegment> ECG = events("cw.ecg", EcgSegment.class, true);
    public static final Topic<String, Beat> BEATS = events("cw.beats", Beat.class, true);
    public static final Topic<String, Alert> ALERTS = events("cw.alerts", Alert.class, true);
    public static final Topic<String, AlertAction> ALERT_ACTIONS = events("cw.alert-actions", AlertAction.class, true);
    public static final Topic<String, VitalsMinute> VITALS_1M = events("cw.vitals.1m", VitalsMinute.class, true);
    /**
     * Records the stream processor could not read or process: where they are and why. Keyed and
     * partitioned like the readings, since the processor turns them into the patient's technical alert.
     */
    public static final Topic<String, DeadLetter> DEAD_LETTERS = events("cw.dead-letters", DeadLetter.class, true);
    public static final Topic<String, IngestRejection> INGEST_REJECTED =
            events("cw.ingest.rejected", IngestRejection.class, false);

    /**
     * Ends of monitoring (device revoked, consent withdrawn, discharge, erasure); kept forever like
     * the audit (see TopicProvisioner): one small record per end, and whoever writes a patient's data
     * outward reads it from the start to know the erased patients.
     */
    public static final Topic<String, MonitoringEnd> MONITORING_ENDS =
            events("cw.monitoring-ends", MonitoringEnd.class, true);

    /** Audit events, keyed by chain; kept forever (see TopicProvisioner). */
    public static final Topic<String, AuditEvent> AUDIT = events("cw.audit", AuditEvent.class, false);
    public static final Topic<String, Device> DEVICES = compacted("cw.devices", Device.class, false);
    public static final Topic<String, Patient> PATIENTS = compacted("cw.patients", Patient.class, true);
    public static final Topic<String, CareTeam> CARE_TEAMS = compacted("cw.care-teams", CareTeam.class, true);
    public static final Topic<String, PatientThresholds> THRESHOLDS =
            compacted("cw.thresholds", PatientThresholds.class, true);
    public static final Topic<String, Consent> CONSENTS = compacted("cw.consents", Consent.class, true);
    /** The current state of every alert on the board, by alert id (see CurrentAlert). */
    public static final Topic<String, CurrentAlert> ALERTS_CURRENT =
            compacted("cw.alerts.current", CurrentAlert.class, false);
    /** The last sign-out of each clinician: their sessions begun before it are over (see SignOut). */
    public static final Topic<String, SignOut> SIGN_OUTS = compacted("cw.sign-outs", SignOut.class, false);
    /** Each notification of an alert to a clinician and its delivery state, by notification id (see Notification). */
    public static final Topic<String, Notification> NOTIFICATIONS =
            compacted("cw.notifications", Notification.class, false);
    /** Each browser or phone where a clinician asked to be notified by Web Push, by subscription id (see PushSubscription). */
    public static final Topic<String, PushSubscription> PUSH_SUBSCRIPTIONS =
            compacted("cw.push-subscriptions", PushSubscription.class, false);
    /** Each team's notification policy and on-call roster, by team; 'default' for the hospital's (see NotificationPolicy). */
    public static final Topic<String, NotificationPolicy> NOTIFICATION_POLICIES =
            compacted("cw.notification-policies", NotificationPolicy.class, false);
    /** The personal channels each clinician chose, by user name (see ClinicianChannels). */
    public static final Topic<String, ClinicianChannels> CLINICIAN_CHANNELS =
            compacted("cw.clinician-channels", ClinicianChannels.class, false);
    /** The latest daily review of each patient. */
    public static final Topic<String, PatientReview> REVIEWS = compacted("cw.reviews", PatientReview.class, true);

    private Topics() {
    }

    public static List<Topic<?, ?>> all() {
        return List.of(VITALS, ECG, BEATS, ALERTS, ALERT_ACTIONS, VITALS_1M, INGEST_REJECTED, DEAD_LETTERS, MONITORING_ENDS, AUDIT,
                DEVICES, PATIENTS, CARE_TEAMS, THRESHOLDS, CONSENTS, REVIEWS, ALERTS_CURRENT, SIGN_OUTS, NOTIFICATIONS,
                PUSH_SUBSCRIPTIONS, NOTIFICATION_POLICIES, CLINICIAN_CHANNELS);
    }

    /** Event topics that no retention deletes: the audit trail and the ends of monitoring. */
    public static boolean keptForever(Topic<?, ?> topic) {
        return topic.equals(AUDIT) || topic.equals(MONITORING_ENDS);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> events(
            String name, Class<V> type, boolean keyedByPatient) {
        return new Topic<>(name, KEY, new AvroSerde<>(type), false, keyedByPatient);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> compacted(
            String name, Class<V> type, boolean keyedByPatient) {
        return new Topic<>(name, KEY, new AvroSerde<>(type), true, keyedByPatient);
    }
}
