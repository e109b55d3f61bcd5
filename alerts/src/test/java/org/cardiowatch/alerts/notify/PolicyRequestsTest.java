package org.cardiowatch.alerts.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.junit.jupiter.api.Test;

class PolicyRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T21:00:00Z");
    private static final Set<String> CLINICIANS = Set.of("cardio1", "nurse1");
    private static final PolicyRequests.Rule CRITICAL = new PolicyRequests.Rule("CRITICAL", List.of("WEB_PUSH", "WEBHOOK"), 5);

    @Test
    void shouldTakeAFullPolicy() {
        NotificationPolicy policy = PolicyRequests.policy("cardiology-a", new PolicyRequests.Policy(
                List.of(CRITICAL, new PolicyRequests.Rule("WARNING", List.of("EMAIL", "EMAIL"), null)),
                new PolicyRequests.Quiet("22:00", "07:00"), 10,
                List.of(new PolicyRequests.Shift("nurse1", NOW, NOW.plusSeconds(43_200)))), CLINICIANS::contains, "admin", NOW);

        assertThat(policy.getRules().get(0).getChannels(), contains("WEB_PUSH", "WEBHOOK"));
        assertThat("each channel once", policy.getRules().get(1).getChannels(), contains("EMAIL"));
        assertThat(policy.getQuietHours().getFrom(), equalTo("22:00"));
        assertThat(policy.getOnCall().get(0).getClinician(), equalTo("nurse1"));
    }

    @Test
    void shouldRefuseEachBadEntryWithItsReason() {
        assertThat(refusal("Cardio A", List.of(CRITICAL), null, null, List.of()), equalTo(
                "team must be 1 to 40 lowercase letters, digits or dashes ('default' for the hospital's policy)"));
        assertThat(refusal("t", List.of(new PolicyRequests.Rule("WARNING", List.of("EMAIL"), null)), null, null, List.of()),
                equalTo("rules must have one for CRITICAL: a critical alert must reach someone outside the dashboard"));
        assertThat(refusal("t", List.of(CRITICAL, CRITICAL), null, null, List.of()),
                equalTo("rules: one rule per priority (CRITICAL twice)"));
        assertThat(refusal("t", List.of(new PolicyRequests.Rule("URGENT", List.of("EMAIL"), null)), null, null, List.of()),
                equalTo("rules[0].priority must be CRITICAL, WARNING or TECHNICAL"));
        assertThat(refusal("t", List.of(new PolicyRequests.Rule("CRITICAL", List.of("SMS"), null)), null, null, List.of()),
                equalTo("rules[0].channels: unknown channel 'SMS' (WEBHOOK, EMAIL, WEB_PUSH)"));
        assertThat(refusal("t", List.of(new PolicyRequests.Rule("CRITICAL", List.of(), null)), null, null, List.of()),
                equalTo("rules[0].channels: at least one of WEBHOOK, EMAIL, WEB_PUSH"));
        assertThat(refusal("t", List.of(new PolicyRequests.Rule("CRITICAL", List.of("EMAIL"), 0)), null, null, List.of()),
                equalTo("rules[0].repeatEveryMinutes: from 1 to 1440, or none for no repeat"));
        assertThat(refusal("t", List.of(CRITICAL), new PolicyRequests.Quiet("22h", "07:00"), null, List.of()),
                equalTo("quietHours.from must be a time HH:mm"));
        assertThat(refusal("t", List.of(CRITICAL), new PolicyRequests.Quiet("25:00", "07:00"), null, List.of()),
                equalTo("quietHours.from must be a time HH:mm"));
        assertThat(refusal("t", List.of(CRITICAL), new PolicyRequests.Quiet("07:00", "07:00"), null, List.of()),
                equalTo("quietHours: from and to must differ"));
        assertThat(refusal("t", List.of(CRITICAL), null, 0, List.of()),
                equalTo("onCallAfterMinutes: from 1 to 1440, or none for no on-call step"));
        assertThat(refusal("t", List.of(CRITICAL), null, 10, List.of(new PolicyRequests.Shift("mallory", NOW, NOW.plusSeconds(60)))),
                equalTo("onCall[0].clinician must be a physician's or a nurse's user name"));
        assertThat(refusal("t", List.of(CRITICAL), null, 10, List.of(new PolicyRequests.Shift("cardio1", NOW, NOW))),
                equalTo("onCall[0]: from and to are required, from before to"));
    }

    @Test
    void shouldLetAClinicianChooseTheirPersonalChannelsButNotSilenceThemselvesOrThePager() {
        assertThat(PolicyRequests.channels("cardio1", new PolicyRequests.Channels(List.of("WEB_PUSH")), NOW).getChannels(),
                contains("WEB_PUSH"));
        assertThat(assertThrows(IllegalArgumentException.class, () -> PolicyRequests.channels("cardio1",
                new PolicyRequests.Channels(List.of()), NOW)).getMessage(),
                equalTo("channels: choose at least one of EMAIL, WEB_PUSH (alerts must reach you somewhere)"));
        assertThat(assertThrows(IllegalArgumentException.class, () -> PolicyRequests.channels("cardio1",
                new PolicyRequests.Channels(List.of("WEBHOOK")), NOW)).getMessage(),
                equalTo("channels: WEBHOOK is the hospital's, set by the notification policy"));
    }

    private static String refusal(String team, List<PolicyRequests.Rule> rules, PolicyRequests.Quiet quiet, Integer onCallAfter,
            List<PolicyRequests.Shift> onCall) {
        return assertThrows(IllegalArgumentException.class, () -> PolicyRequests.policy(team,
                new PolicyRequests.Policy(rules, quiet, onCallAfter, onCall), CLINICIANS::contains, "admin", NOW)).getMessage();
    }
}
