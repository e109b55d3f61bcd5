package org.cardiowatch.deploy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.cardiowatch.schemas.avro.PushSubscription;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.wire.P256Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts service killed with SIGKILL while its notifications are planned and not yet delivered
 * (the paging system down, the mail server turning sessions away, the push service away), on the
 * real stack: after its restart, with all three back, each notification is delivered, once.
 */
class NotificationRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Under 10 s here; a minute was not enough once in CI, for a reason its output did not tell. */
    private static final Duration FIRST_TRIES = Duration.ofMinutes(2);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void shouldDeliverEachPlannedNotificationOnceAfterTheAlertsServiceWasKilledBeforeSendingIt() throws Exception {
        try (PushEndpoint pushService = new PushEndpoint()) {
            deliverOnceAfterARestart(pushService);
        }
    }

    private void deliverOnceAfterARestart(PushEndpoint pushService) throws Exception {
        LocalStack.Settings settings = new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0,
                FreePorts.next(), FreePorts.next(), FreePorts.next(), "notify-password".toCharArray(), false,
                Map.of("CARDIOWATCH_ALERTS_NOTIFICATIONS_RETRY_PAUSE", "PT1S",
                        "CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_SERVICES", pushService.origin()), 1, 1);
        try (LocalStack stack = LocalStack.start(settings);
                TopicWriter writer = new TopicWriter(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
            String patient = "p-notify-restart";
            writer.write(Topics.PATIENTS, patient, Patient.newBuilder().setPatientId(patient)
                    .setDisplayName("Restart " + patient).build());
            writer.write(Topics.CARE_TEAMS, patient, CareTeam.newBuilder().setPatientId(patient)
                    .setTreatingPhysician("cardio1").build());
            // cardio1's phone, as "Notify me on this device" stores it.
            String endpoint = pushService.origin() + "/push/cardio1-phone";
            writer.write(Topics.PUSH_SUBSCRIPTIONS, "restart-phone", PushSubscription.newBuilder()
                    .setSubscriptionId("restart-phone").setClinician("cardio1").setEndpoint(endpoint)
                    .setP256dh(P256Keys.newKeyPair().publicKey()).setAuth("BTBZMqHH6r4Tts7J_aSIgg")
                    .setLabel("Chrome on Android").setCreatedAt(Instant.now()).build());
            stack.pager().down(true);
            stack.mailbox().busy(true);
            pushService.answer(503);
            Instant at = Instant.now();
            String alertId = "restart-" + at.toEpochMilli();
            writer.write(Topics.ALERTS, patient, Alert.newBuilder().setAlertId(alertId).setPatientId(patient)
                    .setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.CRITICAL).setState(AlertState.OPEN)
                    .setOpenedAt(at).setUpdatedAt(at).setEvidence(AlertEvidence.newBuilder()
                            .setSummary("heartRateBpm above 130 bpm for 60 s").setWorstValue(151.0).build()).build());

            try {
                await("planned and tried on every channel while they are away").atMost(FIRST_TRIES)
                        .until(() -> stack.pager().refusedWhileDown() >= 2 && stack.mailbox().refusedWhileBusy() >= 2
                                && pushService.received().size() >= 2);
            } catch (ConditionTimeoutException e) {
                // The alerts service's own account of that wait is what tells why (it logs no patient data).
                System.out.printf("NOTIFY-RESTART not tried twice in %s: pager-refused=%d mail-refused=%d push-received=%d;"
                        + " alerts.log ends with:%n%s%n", FIRST_TRIES, stack.pager().refusedWhileDown(),
                        stack.mailbox().refusedWhileBusy(), pushService.received().size(), tail(home.resolve("logs/alerts.log")));
                throw e;
            }
            stack.kill("alerts");
            stack.pager().down(false);
            stack.mailbox().busy(false);
            pushService.answer(201);
            stack.restart("alerts");

            await("delivered after the restart").atMost(WAIT).until(() -> delivered(stack, alertId).size() == 1
                    && emails(stack, alertId).size() == 1 && pushes(pushService) == 1);
            await("and not again").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .until(() -> delivered(stack, alertId).size() == 1 && emails(stack, alertId).size() == 1
                            && pushes(pushService) == 1);
            assertThat("one idempotency key delivered once", stack.pager().deliveredKeys().stream().distinct().toList(),
                    hasSize(stack.pager().deliveredKeys().size()));
            assertThat(delivered(stack, alertId).get(0), not(containsString(patient)));
            assertThat(emails(stack, alertId).get(0), not(containsString(patient)));
            System.out.printf("NOTIFY-RESTART refused-while-down=%d webhook-delivered=%d mail-refused-while-busy=%d"
                    + " mail-delivered=%d push-refused-while-away=%d push-delivered=%d%n", stack.pager().refusedWhileDown(),
                    delivered(stack, alertId).size(), stack.mailbox().refusedWhileBusy(), emails(stack, alertId).size(),
                    pushService.received().size() - pushes(pushService), pushes(pushService));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static List<String> emails(LocalStack stack, String alertId) {
        return stack.mail().stream().map(LocalMailbox.Received::message).filter(m -> m.contains(alertId)).toList();
    }

    private static long pushes(PushEndpoint pushService) {
        return pushService.received().stream().filter(push -> push.answered() == 201).count();
    }

    private static List<String> delivered(LocalStack stack, String alertId) {
        return stack.pagerMessages().stream().map(Object::toString).filter(m -> m.contains(alertId)).toList();
    }
}
