package org.cardiowatch.alerts.messaging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertAction;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

class AlertBoardTest {

    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
    private final AlertBoard board = new AlertBoard(Duration.ofHours(24));

    @Test
    void shouldKeepTheFirstAcknowledgementWhenAlertsAreAcknowledgedTwice() {
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0));
        board.apply(action("a1", AlertActionKind.ACKNOWLEDGED, "cardio1", T0.plusSeconds(5)));
        board.apply(action("a1", AlertActionKind.ACKNOWLEDGED, "cardio2", T0.plusSeconds(9)));

        AlertRecord record = board.get("a1").orElseThrow();
        assertThat(record.acknowledgedBy(), equalTo("cardio1"));
        assertThat(record.acknowledgedAt(), equalTo(T0.plusSeconds(5)));
    }

    @Test
    void shouldNotReopenAResolvedAlertWhenAnOlderEventArrivesLate() {
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0));
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.RESOLVED, T0.plusSeconds(90)));
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.UPDATED, T0.plusSeconds(30)));

        assertThat(board.get("a1").orElseThrow().alert().getState(), is(AlertState.RESOLVED));
        assertThat("a resolved alert is not open", board.open(p -> true), empty());
    }

    @Test
    void shouldTimeEscalationFromTheAlertsArrivalNotFromTheOnsetOrTheDevicesClock() {
        // Raised from readings a device had buffered for an hour: its event time is an hour old.
        Alert opened = alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0.plusSeconds(60));
        opened.setOpenedAt(T0);
        board.apply(opened, T0.plus(Duration.ofHours(1)));
        assertThat(board.get("a1").orElseThrow().raisedAt(), equalTo(T0.plus(Duration.ofHours(1))));
    }

    @Test
    void shouldListOpenAlertsMostSevereThenNewestFirstAndOnlyForTheGivenPatients() {
        arrive(alert("w-old", "p1", AlertSeverity.WARNING, AlertState.OPEN, T0));
        arrive(alert("c", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0.plusSeconds(1)));
        arrive(alert("w-new", "p1", AlertSeverity.WARNING, AlertState.OPEN, T0.plusSeconds(2)));
        arrive(alert("other", "p2", AlertSeverity.CRITICAL, AlertState.OPEN, T0.plusSeconds(3)));

        assertThat(board.open("p1"::equals).stream().map(AlertRecord::id).toList(), contains("c", "w-new", "w-old"));
    }

    @Test
    void shouldTellListenersOfEveryChangeButNotOfARepeatedAction() {
        List<String> changes = new ArrayList<>();
        board.onChange(record -> changes.add(record.id()));
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0));
        board.apply(action("a1", AlertActionKind.ESCALATED, "escalation-policy", T0.plusSeconds(300)));
        board.apply(action("a1", AlertActionKind.ESCALATED, "escalation-policy", T0.plusSeconds(305)));

        assertThat("the alert and its escalation; the repeated escalation changes nothing", changes, hasSize(2));
    }

    @Test
    void shouldSayWhetherAnOpenAlertOfThePatientIsEscalatedToTheUser() {
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0));
        assertThat(board.hasOpenAlertEscalatedTo("p1", "cardio2"), is(false));
        board.apply(action("a1", AlertActionKind.ESCALATED, "escalation-policy", T0.plusSeconds(300)));
        assertThat(board.hasOpenAlertEscalatedTo("p1", "cardio2"), is(true));
        assertThat("not to someone else", board.hasOpenAlertEscalatedTo("p1", "cardio3"), is(false));
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.RESOLVED, T0.plusSeconds(400)));
        assertThat("the access ends with the alert", board.hasOpenAlertEscalatedTo("p1", "cardio2"), is(false));
    }

    @Test
    void shouldMergeASavedStateWithTheEventsKeepingTheLaterAlertAndTheFirstAcknowledgement() {
        Alert opened = alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0);
        board.restore(new AlertRecord(opened, T0.plusSeconds(1), "cardio1", T0.plusSeconds(30), null, null));
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.UPDATED, T0.plusSeconds(60)));
        board.restore(new AlertRecord(opened, T0.plusSeconds(1), "cardio2", T0.plusSeconds(90), "cardio2",
                T0.plusSeconds(300)));

        AlertRecord merged = board.get("a1").orElseThrow();
        assertThat("an older saved state does not undo a later event", merged.alert().getState(), is(AlertState.UPDATED));
        assertThat("the first acknowledgement stays", merged.acknowledgedBy(), equalTo("cardio1"));
        assertThat("an escalation saved by another instance is taken", merged.escalatedTo(), equalTo("cardio2"));
        assertThat(merged.raisedAt(), equalTo(T0.plusSeconds(1)));
    }

    @Test
    void shouldForgetResolvedAlertsAfterTheRetention() {
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.RESOLVED, T0));
        board.prune(T0.plus(Duration.ofHours(25)));
        assertThat(board.get("a1").isPresent(), is(false));
    }

    @Test
    void shouldKeepEachPatientsAlertsApartThroughPruningForgettingAndRestoring() {
        arrive(alert("a1", "p1", AlertSeverity.CRITICAL, AlertState.OPEN, T0));
        arrive(alert("a2", "p1", AlertSeverity.WARNING, AlertState.RESOLVED, T0));
        arrive(alert("b1", "p2", AlertSeverity.WARNING, AlertState.OPEN, T0));
        board.restore(new AlertRecord(alert("c1", "p3", AlertSeverity.WARNING, AlertState.OPEN, T0), T0, null, null,
                null, null));

        assertThat(ids(board.ofPatient("p1")), contains("a1", "a2"));
        assertThat(ids(board.openOf("p1")), contains("a1"));
        board.prune(T0.plus(Duration.ofHours(25)));
        assertThat("the resolved one pruned", ids(board.ofPatient("p1")), contains("a1"));
        assertThat(ids(board.forget("p2")), contains("b1"));
        assertThat(board.ofPatient("p2"), empty());
        assertThat(board.forget("p2"), empty());
        assertThat("restored alerts are indexed too", ids(board.ofPatient("p3")), contains("c1"));
        assertThat(ids(board.all()), org.hamcrest.Matchers.containsInAnyOrder("a1", "c1"));
    }

    private static List<String> ids(List<AlertRecord> records) {
        return records.stream().map(AlertRecord::id).toList();
    }

    /** The alert as published at its own event time (a device with a true clock, no delay). */
    private void arrive(Alert alert) {
        board.apply(alert, alert.getUpdatedAt());
    }

    private static Alert alert(String id, String patient, AlertSeverity severity, AlertState state, Instant at) {
        return Alert.newBuilder().setAlertId(id).setPatientId(patient).setKind(AlertKind.TACHYCARDIA)
                .setSeverity(severity).setState(state).setOpenedAt(at).setUpdatedAt(at)
                .setEvidence(AlertEvidence.newBuilder().setSummary("test").build()).build();
    }

    private static AlertAction action(String id, AlertActionKind kind, String actor, Instant at) {
        return AlertAction.newBuilder().setAlertId(id).setPatientId("p1").setAction(kind).setActor(actor)
                .setTarget(kind == AlertActionKind.ESCALATED ? "cardio2" : null).setAt(at).build();
    }
}
