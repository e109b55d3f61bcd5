package org.cardiowatch.alerts.notify;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.cardiowatch.alerts.notify.TestAlerts.patient;
import static org.cardiowatch.alerts.notify.TestAlerts.raise;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.NotificationStep;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alerts reach the care team's paging system as signed webhooks, on a real Kafka and a real HTTP
 * endpoint: the treating physician at once, the backup at the escalation, nothing once
 * acknowledged, each notification delivered once however long the endpoint is down, and no
 * patient's name, id or value in any message the tests send.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class NotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    NotificationService notifications;

    @Test
    void shouldPageTheTreatingPhysicianOnceThenTheBackupAtTheEscalationWithSignedMessagesThatNameNoPatient() {
        String patient = patient("cardio1", "cardio3");
        String alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.TACHYCARDIA);

        await("the treating physician is paged").atMost(WAIT).until(() -> messagesOf(alertId).size() == 1);
        JsonPath first = JsonPath.from(messagesOf(alertId).get(0).body());
        assertThat(first.getString("recipient"), equalTo("cardio1"));
        assertThat(first.getString("event"), equalTo("alert.raised"));
        assertThat(first.getString("kind"), equalTo("TACHYCARDIA"));
        assertThat(first.getString("severity"), equalTo("CRITICAL"));
        assertThat(first.getString("link"), equalTo("https://cardiowatch.test/alert.html?id=" + alertId));

        await("unacknowledged past the 5 s timeout: the backup is paged").atMost(WAIT)
                .until(() -> messagesOf(alertId).size() == 2);
        JsonPath second = JsonPath.from(messagesOf(alertId).get(1).body());
        assertThat(second.getString("recipient"), equalTo("cardio3"));
        assertThat(second.getString("event"), equalTo("alert.escalated"));
        await("and nobody twice").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> messagesOf(alertId).size() == 2);
        assertThat("every message signed", messagesOf(alertId).stream().allMatch(WebhookReceiver.Received::signatureValid),
                equalTo(true));
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'notification.sent' }.actor", hasItems("notifier"));
        as("cardio3").get("/api/review/notifications").then().statusCode(200)
                .body("find { it.clinician == 'cardio3' }.sent", greaterThan(0));
        as("cardio2").get("/api/review/notifications").then().statusCode(200)
                .body("clinician", not(org.hamcrest.Matchers.hasItem("cardio3")));
    }

    @Test
    void shouldKeepTryingWhileThePagingSystemIsDownAndDeliverEachNotificationOnce() {
        String patient = patient("cardio1", null);
        KafkaWithUsersResource.pager().down(true);
        String alertId;
        try {
            alertId = raise(patient, AlertSeverity.WARNING, AlertKind.LOW_SPO2);
            await("tried while down").atMost(WAIT).until(() -> messagesOf(alertId).size() >= 3);
        } finally {
            KafkaWithUsersResource.pager().down(false);
        }
        await("delivered once it is back").atMost(WAIT).until(() -> delivered(alertId).size() == 1);
        await("and not again").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> delivered(alertId).size() == 1);
        Notification state = stateOf(alertId).get(0);
        assertThat(state.getState(), equalTo(NotificationState.SENT));
        assertThat("each attempt recorded", state.getAttempts(), greaterThan(3));
        assertThat("one idempotency key for all the attempts", messagesOf(alertId).stream()
                .map(WebhookReceiver.Received::idempotencyKey).distinct().toList(), hasSize(1));
    }

    @Test
    void shouldCancelWhatIsPendingWhenTheAlertIsAcknowledged() {
        String patient = patient("cardio1", "cardio3");
        KafkaWithUsersResource.pager().down(true);
        try {
            String alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.PAUSE);
            await("being tried").atMost(WAIT).until(() -> !messagesOf(alertId).isEmpty());
            as("cardio1").post("/api/alerts/" + alertId + "/ack").then().statusCode(200);

            await("cancelled by the acknowledgement").atMost(WAIT).until(() -> stateOf(alertId).stream()
                    .allMatch(n -> n.getState() == NotificationState.CANCELLED));
            assertThat(stateOf(alertId).get(0).getReason(), equalTo("acknowledged by cardio1"));
            KafkaWithUsersResource.pager().down(false);
            await("nothing delivered, nor the escalation sent").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                    .until(() -> delivered(alertId).isEmpty());
            as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                    .body("findAll { it.action == 'notification.cancelled' }.target",
                            org.hamcrest.Matchers.hasItem(containsString("acknowledged by cardio1")));
        } finally {
            KafkaWithUsersResource.pager().down(false);
        }
    }

    @Test
    void shouldLeaveInformationalAlertsOnTheDashboard() {
        String patient = patient("cardio1", "cardio3");
        String alertId = raise(patient, AlertSeverity.INFO, AlertKind.BIGEMINY);
        await("nothing sent").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> messagesOf(alertId).isEmpty());
    }

    @Test
    void shouldSendNoPatientsNameIdOrValueInAnyMessageOfTheTests() {
        String patient = patient("cardio1", null);
        String alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.TACHYCARDIA);
        await().atMost(WAIT).until(() -> !messagesOf(alertId).isEmpty());

        List<WebhookReceiver.Received> all = KafkaWithUsersResource.pager().received();
        assertThat(all, not(empty()));
        for (WebhookReceiver.Received message : all) {
            String body = message.body();
            assertThat(body, not(containsString("Paged ")));      // every test patient's name starts so
            assertThat(body, not(containsString("p-notify-")));   // and every id
            assertThat(body, not(containsString("148")));         // the worst value the alerts carry
            assertThat(body, not(containsString("summary")));
            assertThat(message.idempotencyKey(), not(containsString("p-notify-")));
        }
        await("and the e-mail").atMost(WAIT).until(() -> !emailsOf(alertId).isEmpty());
        for (SmtpServer.Message email : KafkaWithUsersResource.mail().messages()) {
            // Subject, every header and the text: the whole message as the server stored it.
            assertThat(email.raw(), not(containsString("Paged ")));
            assertThat(email.raw(), not(containsString("p-notify-")));
            assertThat(email.raw(), not(containsString("148")));
            assertThat(email.raw(), not(containsString("the test's evidence")));
        }
    }

    @Test
    void shouldEmailTheTreatingPhysicianThenTheBackupThroughARealSmtpServerOverStartTls() {
        // The server takes no message before STARTTLS: a message received came over TLS.
        String patient = patient("cardio1", "cardio3");
        String alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.VENTRICULAR_TACHYCARDIA);

        await("the treating physician's e-mail").atMost(WAIT).until(() -> emailsOf(alertId).size() == 1);
        SmtpServer.Message first = emailsOf(alertId).get(0);
        assertThat(first.headers().get("to"), equalTo("cardio1@hospital.test"));
        assertThat(first.headers().get("subject"), equalTo("CardioWatch: CRITICAL alert raised (ventricular tachycardia)"));
        assertThat(first.text(), containsString("https://cardiowatch.test/alert.html?id=" + alertId));
        String notificationId = NotificationPlanner.notificationId(alertId, NotificationStep.TREATING, "cardio1",
                NotificationChannel.EMAIL);
        assertThat("its Message-ID is the notification's, the same if it is ever sent again",
                first.headers().get("message-id"), equalTo("<" + notificationId + "@cardiowatch>"));

        await("unacknowledged: the backup's e-mail").atMost(WAIT).until(() -> emailsOf(alertId).size() == 2);
        SmtpServer.Message second = emailsOf(alertId).get(1);
        assertThat(second.headers().get("to"), equalTo("cardio3@hospital.test"));
        assertThat(second.headers().get("subject"), containsString("escalated"));
        await("each once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> emailsOf(alertId).size() == 2);
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'notification.sent' }.target",
                        hasItems(containsString("via EMAIL"), containsString("via WEBHOOK")));
    }

    @Test
    void shouldLoseNoEmailWhileTheMailServerIsStoppedFor30SecondsAndSendEachOnceWhenItIsBack() throws InterruptedException {
        String patient = patient("cardio2", null);
        KafkaWithUsersResource.mail().stop();
        Instant stopped = Instant.now();
        String alertId;
        try {
            alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.PAUSE);
            await("tried while the mail server is stopped").atMost(WAIT).until(() -> emailStateOf(alertId)
                    .map(Notification::getAttempts).orElse(0) >= 2);
            // The outage the issue names: the server stays away 30 s, the service keeps trying.
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), stopped.plusSeconds(30)).toMillis()));
            assertThat("still waiting, nothing lost", emailStateOf(alertId).orElseThrow().getState(),
                    equalTo(NotificationState.PLANNED));
        } finally {
            KafkaWithUsersResource.mail().start();
        }
        await("sent once it is back").atMost(Duration.ofSeconds(60)).until(() -> emailsOf(alertId).size() == 1);
        await("and not again").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> emailsOf(alertId).size() == 1);
        assertThat(emailStateOf(alertId).orElseThrow().getState(), equalTo(NotificationState.SENT));
    }

    @Test
    void shouldGroupOnePatientsAlertsIntoOneMessagePerRecipientAndChannelAndLetNoCriticalAlertWait() {
        String patient = patient("cardio2", null);
        String first = raise(patient, AlertSeverity.WARNING, AlertKind.LOW_SPO2);
        await("the first alone, at once").atMost(WAIT).until(() -> messagesOf(first).size() == 1);
        String second = raise(patient, AlertSeverity.WARNING, AlertKind.HIGH_SYSTOLIC);
        await("the second waits: cardio2 was just told of this patient").atMost(WAIT).until(() -> notifications.notifier()
                .orElseThrow().notifications().values().stream().anyMatch(n -> n.getAlertId().equals(second)
                        && n.getChannel() == NotificationChannel.WEBHOOK && n.getState() == NotificationState.PLANNED));
        String critical = raise(patient, AlertSeverity.CRITICAL, AlertKind.PAUSE);

        await("the critical one does not wait, and takes the waiting one along").atMost(WAIT)
                .until(() -> messagesOf(critical).size() == 1);
        JsonPath grouped = JsonPath.from(messagesOf(critical).get(0).body());
        assertThat(grouped.getInt("count"), equalTo(2));
        assertThat("the most severe leads", grouped.getString("kind"), equalTo("PAUSE"));
        assertThat(grouped.getList("alerts.link"), org.hamcrest.Matchers.contains(
                "https://cardiowatch.test/alert.html?id=" + critical, "https://cardiowatch.test/alert.html?id=" + second));
        await("and the second in that message only").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> messagesOf(second).size() == 1 && messagesOf(first).size() == 1);
        await("one e-mail for the two as well").atMost(WAIT).until(() -> emailsOf(critical).size() == 1);
        assertThat(emailsOf(critical).get(0).headers().get("subject"),
                equalTo("CardioWatch: 2 alerts of a patient in your care team (CRITICAL pause and 1 more)"));
        assertThat(emailsOf(second), hasSize(1));
    }

    private static List<SmtpServer.Message> emailsOf(String alertId) {
        return KafkaWithUsersResource.mail().messages().stream().filter(m -> m.text().contains(alertId)).toList();
    }

    private java.util.Optional<Notification> emailStateOf(String alertId) {
        return notifications.notifier().orElseThrow().notifications().values().stream()
                .filter(n -> n.getAlertId().equals(alertId) && n.getChannel() == NotificationChannel.EMAIL).findFirst();
    }

    private List<WebhookReceiver.Received> messagesOf(String alertId) {
        return KafkaWithUsersResource.pager().received().stream().filter(r -> r.body().contains(alertId)).toList();
    }

    private List<WebhookReceiver.Received> delivered(String alertId) {
        return KafkaWithUsersResource.pager().delivered().stream().filter(r -> r.body().contains(alertId)).toList();
    }

    private List<Notification> stateOf(String alertId) {
        return notifications.notifier().orElseThrow().notifications().values().stream()
                .filter(n -> n.getAlertId().equals(alertId) && n.getChannel() == NotificationChannel.WEBHOOK).toList();
    }
}
