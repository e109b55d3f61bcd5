package org.cardiowatch.deploy;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cardiowatch.embedded.DashboardSocket;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.Topics;

/**
 * Where every reading of a scripted cohort went, counted from the topics (read committed, as the
 * services read them) and from a physician's dashboard socket: arrived in cw.vitals, or rejected
 * with a reason in cw.ingest-rejected, or lost; analysed once (its beats in cw.beats once) or
 * more; one tachycardia alert per scripted patient raised, resolved and shown on the dashboard, or
 * missed or duplicated, and none for the load's resting patients.
 */
record PipelineAccount(double readingsPerSecond, int sent, int inTopic, int copiesInTopic, int rejected, int lost, int beatsExpected,
        int beatsAnalysed, int beatsAnalysedTwice, int alertsExpected, int alertsRaised, int alertsResolved,
        int alertsDuplicated, int alertsMissed, int alertsUnexpected, int alertsOnDashboard, List<String> lostReadings) {

    private static final Pattern ALERT_ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    static PipelineAccount of(ScriptedCohort cohort, String bootstrapServers, Map<String, Object> clientSettings,
            DashboardSocket dashboard) {
        Instant since = cohort.start().minusSeconds(60);
        Map<String, ScriptedCohort.Sent> sent = cohort.sent();
        Set<String> devices = cohort.deviceIds();
        Set<String> patients = cohort.patientIds();
        Set<String> scripted = cohort.scriptedPatientIds();

        Map<String, Integer> arrived = new HashMap<>();
        TopicScan.forEach(bootstrapServers, clientSettings, Topics.VITALS, since, (key, v) -> {
            if (v != null && devices.contains(v.getDeviceId())) {
                arrived.merge(v.getDeviceId() + "/" + v.getSequence(), 1, Integer::sum);
            }
            return true;
        });
        Set<String> rejected = new HashSet<>();
        TopicScan.forEach(bootstrapServers, clientSettings, Topics.INGEST_REJECTED, since, (key, r) -> {
            if (r != null && r.getDeviceId() != null && devices.contains(r.getDeviceId()) && r.getSequence() != null) {
                rejected.add(r.getDeviceId() + "/" + r.getSequence());
            }
            return true;
        });
        Map<String, Integer> beats = new HashMap<>();
        TopicScan.forEach(bootstrapServers, clientSettings, Topics.BEATS, since, (key, b) -> {
            if (b != null && b.getSource() == BeatSource.DEVICE_RR && devices.contains(b.getDeviceId())) {
                beats.merge(b.getDeviceId() + "@" + b.getRPeakAt().toEpochMilli(), 1, Integer::sum);
            }
            return true;
        });
        Map<String, Alert> alerts = new HashMap<>();
        TopicScan.forEach(bootstrapServers, clientSettings, Topics.ALERTS, since, (key, a) -> {
            if (a != null && patients.contains(a.getPatientId())) {
                alerts.put(a.getAlertId(), a);
            }
            return true;
        });

        int lost = 0;
        int beatsExpected = 0;
        List<String> lostReadings = new java.util.ArrayList<>();
        for (Map.Entry<String, ScriptedCohort.Sent> reading : sent.entrySet()) {
            boolean inTopic = arrived.containsKey(reading.getKey());
            if (!inTopic && !rejected.contains(reading.getKey())) {
                lost++;
                lostReadings.add(reading.getKey());
            }
            if (inTopic) {
                beatsExpected += reading.getValue().beats();
            }
        }
        int copies = arrived.values().stream().mapToInt(n -> n - 1).sum();
        int analysed = beats.values().stream().mapToInt(Integer::intValue).sum();
        int analysedTwice = beats.values().stream().mapToInt(n -> n - 1).sum();

        Map<String, Set<String>> tachycardias = new HashMap<>();
        int resolved = 0;
        int unexpected = 0;
        for (Alert alert : alerts.values()) {
            if (alert.getKind() == AlertKind.TACHYCARDIA && scripted.contains(alert.getPatientId())) {
                tachycardias.computeIfAbsent(alert.getPatientId(), p -> new HashSet<>()).add(alert.getAlertId());
                resolved += alert.getState() == AlertState.RESOLVED ? 1 : 0;
            } else {
                unexpected++;
            }
        }
        int raised = tachycardias.values().stream().mapToInt(Set::size).sum();
        int duplicated = tachycardias.values().stream().mapToInt(ids -> ids.size() - 1).sum();
        int missed = (int) scripted.stream().filter(p -> !tachycardias.containsKey(p)).count();
        int onDashboard = (int) scripted.stream().filter(p -> shownOnce(dashboard.receivedContaining("\"" + p + "\""),
                tachycardias.getOrDefault(p, Set.of()))).count();
        return new PipelineAccount(cohort.readingsPerSecond(), sent.size(), arrived.size(), copies, rejected.size(), lost, beatsExpected, analysed,
                analysedTwice, scripted.size(), raised, resolved, duplicated, missed, unexpected, onDashboard,
                lostReadings.stream().sorted().toList());
    }

    /** The dashboard got the patient's one alert, and no other alert id for the patient. */
    private static boolean shownOnce(List<String> messages, Set<String> alertIds) {
        Set<String> shown = new HashSet<>();
        for (String message : messages) {
            if (message.contains("TACHYCARDIA")) {
                Matcher id = ALERT_ID.matcher(message);
                if (id.find()) {
                    shown.add(id.group(1));
                }
            }
        }
        return alertIds.size() == 1 && shown.equals(alertIds);
    }

    /** Everything has gone through: every reading accounted for and analysed, every alert resolved and shown. */
    boolean settled() {
        return lost == 0 && beatsAnalysed >= beatsExpected && alertsResolved >= alertsExpected
                && alertsOnDashboard >= alertsExpected;
    }

    /** Which readings were lost (device/sequence), for the message of a failed test. */
    String lostDetail() {
        return lostReadings.isEmpty() ? "none lost" : "lost " + String.join(" ", lostReadings);
    }

    /** One line per fault, for the test log and the issue's note. */
    String line(String fault) {
        return String.format("FAULT %-26s readings-per-s=%.0f sent=%d in-topic=%d copies-in-topic=%d rejected=%d lost=%d "
                + "beats-expected=%d analysed=%d analysed-twice=%d alerts-expected=%d raised=%d resolved=%d "
                + "duplicated=%d missed=%d unexpected=%d on-dashboard=%d", fault, readingsPerSecond, sent, inTopic, copiesInTopic,
                rejected, lost, beatsExpected, beatsAnalysed, beatsAnalysedTwice, alertsExpected, alertsRaised,
                alertsResolved, alertsDuplicated, alertsMissed, alertsUnexpected, alertsOnDashboard);
    }
}
