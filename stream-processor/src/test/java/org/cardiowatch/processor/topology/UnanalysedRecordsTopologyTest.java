package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.DeadLetter;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of a patient set aside on cw.dead-letters raise that patient's technical alert, one per episode. */
class UnanalysedRecordsTopologyTest {

    private static final Instant START = Instant.parse("2026-12-05T09:00:00Z");
    private static final String PATIENT = "chiara-dietz";

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TestInputTopic<String, DeadLetter> deadLetters;
    private TestInputTopic<String, MonitoringEnd> ends;
    private TestOutputTopic<String, Alert> alerts;
    private long offset;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(stateDir, START);
        deadLetters = fixture.input(Topics.DEAD_LETTERS);
        ends = fixture.input(Topics.MONITORING_ENDS);
        alerts = fixture.output(Topics.ALERTS);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldRaiseOneTechnicalAlertCountingTheRecordsAndResolveItOnceNoneIsSetAsideForTenMinutes() {
        for (int i = 0; i < 12; i++) {
            setAside(Topics.VITALS.name(), START.plusSeconds(i));
        }

        List<Alert> raised = alerts.readValuesToList();
        assertThat("opened once, updated at 10 records, not at each", kindsAndStates(raised),
                contains("DATA_NOT_ANALYSED OPEN", "DATA_NOT_ANALYSED UPDATED"));
        Alert open = raised.get(0);
        assertThat(open.getSeverity(), equalTo(AlertSeverity.WARNING));
        assertThat(open.getEvidence().getSummary(), equalTo(
                "the analysis may have missed an event: 1 record could not be analysed on vitals"));
        assertThat(raised.get(1).getEvidence().getWorstValue(), equalTo(10.0));
        assertThat("one alert", raised.get(1).getAlertId(), equalTo(open.getAlertId()));

        fixture.driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertThat("still open while less than 10 min passed", alerts.readValuesToList(), empty());
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<Alert> resolved = alerts.readValuesToList();
        assertThat(kindsAndStates(resolved), contains("DATA_NOT_ANALYSED RESOLVED"));
        assertThat(resolved.get(0).getEvidence().getResolution(), containsString("12 records set aside"));
        assertThat(resolved.get(0).getAlertId(), equalTo(open.getAlertId()));
    }

    @Test
    void shouldResolveTheTechnicalAlertOnDischargeAndRaiseNoneForAnErasedPatient() {
        setAside(Topics.ECG.name(), START);
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("DATA_NOT_ANALYSED OPEN"));

        end(MonitoringEndReason.DISCHARGED, START.plusSeconds(5));
        assertThat(kindsAndStates(alerts.readValuesToList()), contains("DATA_NOT_ANALYSED RESOLVED"));
        end(MonitoringEndReason.ERASED, START.plusSeconds(6));
        setAside(Topics.ECG.name(), START.plusSeconds(7));
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(11));

        assertThat("nothing about an erased patient", alerts.readValuesToList(), empty());
    }

    private void setAside(String topic, Instant at) {
        deadLetters.pipeInput(PATIENT, DeadLetter.newBuilder().setSourceTopic(topic).setPartition(0)
                .setOffset(offset++).setStep("detect-qrs").setReason("java.lang.IllegalStateException: test")
                .setFailedAt(at).build(), at);
    }

    private void end(MonitoringEndReason reason, Instant at) {
        ends.pipeInput(PATIENT, MonitoringEnd.newBuilder().setPatientId(PATIENT).setReason(reason).setEndedAt(at)
                .setRecordedBy("admin").build(), at);
    }

    private static List<String> kindsAndStates(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getKind() + " " + a.getState()).toList();
    }
}
