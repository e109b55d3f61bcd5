package org.cardiowatch.alerts.routing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.CareTeam;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final CareTeam TEAM = CareTeam.newBuilder().setPatientId("p-1").setTreatingPhysician("cardio1")
            .setBackupPhysician("cardio2").setNurses(List.of("nurse1")).build();
    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void shouldLetTheTreatingPhysicianAndTheTeamsNursesIn() {
        assertThat(AccessPolicy.mayAccess("cardio1", Role.PHYSICIAN, TEAM, false), is(true));
        assertThat(AccessPolicy.mayAccess("nurse1", Role.NURSE, TEAM, false), is(true));
    }

    @Test
    void shouldLetTheBackupInOnlyWhileAnAlertIsEscalatedToThem() {
        assertThat("covering is not a standing right", AccessPolicy.mayAccess("cardio2", Role.PHYSICIAN, TEAM, false),
                is(false));
        assertThat(AccessPolicy.mayAccess("cardio2", Role.PHYSICIAN, TEAM, true), is(true));
    }

    @Test
    void shouldKeepOutsidersAdminsAndPatientsWithoutTeamOut() {
        assertThat(AccessPolicy.mayAccess("cardio3", Role.PHYSICIAN, TEAM, true), is(false));
        assertThat("an admin reads no patient data even with a matching name",
                AccessPolicy.mayAccess("cardio1", Role.ADMIN, TEAM, false), is(false));
        assertThat(AccessPolicy.mayAccess("cardio1", Role.PHYSICIAN, null, false), is(false));
    }

    @Test
    void shouldRouteToTreatingAndNursesAndToTheBackupOnlyOnceEscalated() {
        assertThat(AlertRouting.recipients(TEAM, false), contains("cardio1", "nurse1"));
        assertThat(AlertRouting.recipients(TEAM, true), contains("cardio1", "nurse1", "cardio2"));
    }

    @Test
    void shouldEscalateAnUnacknowledgedAlertOnceTheTimeoutHasPassed() {
        EscalationPolicy policy = new EscalationPolicy(Duration.ofMinutes(5));
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, true, false, false, TEAM, T0.plusSeconds(299)),
                nullValue());
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, true, false, false, TEAM, T0.plusSeconds(300)),
                is("cardio2"));
    }

    @Test
    void shouldNotEscalateWhatIsAcknowledgedResolvedAlreadyEscalatedOrWithoutBackup() {
        EscalationPolicy policy = new EscalationPolicy(Duration.ofMinutes(5));
        Instant late = T0.plus(Duration.ofHours(1));
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, true, true, false, TEAM, late), nullValue());
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, false, false, false, TEAM, late), nullValue());
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, true, false, true, TEAM, late), nullValue());
        CareTeam alone = CareTeam.newBuilder(TEAM).setBackupPhysician(null).build();
        assertThat(policy.dueEscalation(T0, AlertSeverity.CRITICAL, true, false, false, alone, late), nullValue());
    }
}
