package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.junit.jupiter.api.Test;

class DemoHistoryTest {

    private static final Instant NOW = Instant.parse("2026-12-05T18:30:00Z");
    private static final List<DemoCohort.DemoPatient> COHORT = DemoCohort.patients();
    private static final DemoHistory.Plan PLAN = DemoHistory.plan(COHORT, NOW, ZoneId.of("Europe/Paris"));

    @Test
    void shouldFillSevenDaysOfMinutesForEveryPatientUpToTheStart() {
        for (DemoCohort.DemoPatient patient : COHORT) {
            List<VitalsMinute> minutes = PLAN.minutes().get(patient.patientId());
            assertThat(minutes.get(0).getMinuteStart(), lessThanOrEqualTo(NOW.minus(Duration.ofDays(7))));
            Instant last = minutes.get(minutes.size() - 1).getMinuteStart();
            assertThat("up to the start, not into the live minutes", last, lessThan(NOW.minus(Duration.ofMinutes(1))));
            assertThat(last, greaterThan(NOW.minus(Duration.ofMinutes(3))));
            assertThat("a minute every minute but in a signal loss", minutes.size(), greaterThan(7 * 1440 - 600));
            assertThat(minutes.stream().map(m -> m.getClassifiedBeats() != null).distinct().toList(),
                    equalTo(List.of(patient.ecg())));
        }
    }

    @Test
    void shouldMarkEveryAlertAsSimulatedResolvedAndShownByTheMinutes() {
        assertThat(PLAN.alerts().stream().map(Alert::getKind).distinct().toList(), hasItems(AlertKind.TACHYCARDIA,
                AlertKind.BRADYCARDIA, AlertKind.LOW_SPO2, AlertKind.HIGH_SYSTOLIC, AlertKind.ATRIAL_FIBRILLATION,
                AlertKind.SIGNAL_LOSS));
        for (Alert alert : PLAN.alerts()) {
            assertThat(alert.getState(), is(AlertState.RESOLVED));
            assertThat(alert.getEvidence().getSummary(), startsWith(DemoHistory.MARK));
            assertThat(alert.getEvidence().getResolution(), startsWith(DemoHistory.MARK));
            assertThat(alert.getOpenedAt(), greaterThanOrEqualTo(NOW.minus(Duration.ofDays(7).plusMinutes(2))));
            assertThat(alert.getResolvedAt(), lessThan(NOW));
            List<VitalsMinute> during = PLAN.minutes().get(alert.getPatientId()).stream()
                    .filter(m -> m.getMinuteStart().isAfter(alert.getOpenedAt())
                            && m.getMinuteStart().isBefore(alert.getResolvedAt().minusSeconds(60))).toList();
            switch (alert.getKind()) {
                case TACHYCARDIA -> assertThat(during.stream().map(VitalsMinute::getHeartRateMean).toList(),
                        everyItem(greaterThan(130.0)));
                case LOW_SPO2 -> assertThat(during.stream().map(VitalsMinute::getSpo2Mean).toList(),
                        everyItem(lessThan(90.0)));
                case SIGNAL_LOSS -> assertThat("no minute while the device was silent", during.size(), is(0));
                default -> { }
            }
        }
        assertThat("every patient has an alert within the day the review shows", COHORT.stream().allMatch(p ->
                PLAN.alerts().stream().anyMatch(a -> a.getPatientId().equals(p.patientId())
                        && a.getOpenedAt().isAfter(NOW.minus(Duration.ofDays(1))))), is(true));
    }

    @Test
    void shouldImportTheAfStripAsHistoryThatIsNotAnalysedWithItsBeatsAndAlert() {
        MonitoringEnd imported = PLAN.importEnds().get(0);
        assertThat(imported.getReason(), is(MonitoringEndReason.HISTORY_IMPORTED));
        assertThat("every segment received before the end it is imported up to", PLAN.ecg().stream()
                .map(EcgSegment::getReceivedAt).toList(), everyItem(lessThanOrEqualTo(imported.getEndedAt())));
        assertThat(PLAN.ecg().stream().map(EcgSegment::getDeviceId).distinct().toList(),
                equalTo(List.of(imported.getDeviceId())));
        assertThat(PLAN.ecg().size(), is((int) DemoHistory.STRIP_LENGTH.toSeconds()));

        Alert af = PLAN.alerts().stream().filter(a -> a.getKind() == AlertKind.ATRIAL_FIBRILLATION
                && a.getPatientId().equals(imported.getPatientId())).findFirst().orElseThrow();
        List<Beat> inAf = PLAN.beats().stream().filter(b -> !b.getRPeakAt().isBefore(af.getOpenedAt())
                && !b.getRPeakAt().isAfter(af.getResolvedAt())).toList();
        assertThat("no P wave before the AF beats", inAf.stream().map(Beat::getPWave).distinct().toList(),
                equalTo(List.of(false)));
        assertThat("the alert counts them", af.getEvidence().getBeatCount(), is(inAf.size()));
        assertThat("P waves before the sinus beats around it", PLAN.beats().stream()
                .filter(b -> b.getRPeakAt().isBefore(af.getOpenedAt())).map(Beat::getPWave).distinct().toList(),
                equalTo(List.of(true)));
        assertThat(af.getEvidence().getRateBpm(), greaterThan(60.0));
        assertThat(af.getEvidence().getRateBpm(), lessThan(170.0));
    }

    @Test
    void shouldBeTheSameForTheSameStart() {
        DemoHistory.Plan again = DemoHistory.plan(COHORT, NOW, ZoneId.of("Europe/Paris"));
        assertThat(again.alerts(), equalTo(PLAN.alerts()));
        assertThat(again.minutes(), equalTo(PLAN.minutes()));
        assertThat(again.ecg(), equalTo(PLAN.ecg()));
    }
}
