package org.cardiowatch.alerts.notify.push;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.cardiowatch.alerts.notify.TestAlerts.patient;
import static org.cardiowatch.alerts.notify.TestAlerts.raise;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.alerts.notify.NotificationService;
import org.cardiowatch.alerts.notify.TestAlerts;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "Notify me on this device", on a real Kafka and a real HTTP push service: a clinician's browser
 * subscribes through the API, and alerts reach it as a push service receives them, signed with
 * the VAPID key the browser subscribed with and readable only with the browser's keys; a
 * subscription the push service says is gone is removed; one that is away is tried again.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class WebPushNotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    NotificationService notifications;

    @Test
    void shouldPushTheTreatingPhysicianThenTheBackupSignedEncryptedAndNamingNoPatient() {
        LocalPushService.Browser phone = subscribe("cardio1", "cardio1-phone", "Firefox on Android");
        LocalPushService.Browser laptop = subscribe("cardio3", "cardio3-laptop", "Chrome on Linux");
        String patient = patient("cardio1", "cardio3");
        String alertId = raise(patient, AlertSeverity.CRITICAL, AlertKind.VENTRICULAR_TACHYCARDIA);

        await("the treating physician's phone").atMost(WAIT).until(() -> pushesOf(phone, alertId).size() == 1);
        LocalPushService.Received first = pushesOf(phone, alertId).get(0);
        assertThat("VAPID: " + first.vapidProblem(), first.vapidValid(), equalTo(true));
        assertThat(first.headers().get("Content-Encoding"), equalTo("aes128gcm"));
        assertThat("a critical alert wakes the phone", first.headers().get("Urgency"), equalTo("high"));
        assertThat(first.headers().get("TTL"), equalTo("3600"));
        assertThat(first.json().get("title").asText(), equalTo("CardioWatch: CRITICAL alert (ventricular tachycardia)"));
        assertThat(first.json().get("url").asText(), equalTo("https://cardiowatch.test/alert.html?id=" + alertId));
        assertThat(first.json().get("critical").asBoolean(), equalTo(true));

        await("unacknowledged past the 5 s timeout: the backup's laptop").atMost(WAIT)
                .until(() -> pushesOf(laptop, alertId).size() == 1);
        assertThat(pushesOf(laptop, alertId).get(0).json().get("body").asText(), containsString("Escalated to you"));
        await("each once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> pushesOf(phone, alertId).size() == 1 && pushesOf(laptop, alertId).size() == 1);
        assertThat(pushState(alertId, "cardio1").map(Notification::getState), equalTo(Optional.of(NotificationState.SENT)));
        as("auditor1").queryParam("patientId", patient).get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'notification.sent' }.target", hasItem(containsString("via WEB_PUSH")));

        for (LocalPushService.Received push : KafkaWithUsersResource.push().received()) {
            // The decrypted message and every header, of every push the tests sent.
            String everything = push.headers() + " " + push.message();
            assertThat(everything, not(containsString(TestAlerts.NAME_PREFIX)));
            assertThat(everything, not(containsString(TestAlerts.ID_PREFIX)));
            assertThat(everything, not(containsString("148")));
            assertThat(everything, not(containsString(TestAlerts.EVIDENCE)));
        }
    }

    @Test
    void shouldRemoveASubscriptionThePushServiceSaysIsGone() {
        LocalPushService.Browser old = subscribe("cardio2", "cardio2-old-tablet", "Safari on iPad");
        KafkaWithUsersResource.push().answer(old.name(), 410);
        raise(patient("cardio2", null), AlertSeverity.WARNING, AlertKind.LOW_SPO2);

        await("the subscription removed").atMost(WAIT).until(() -> !devicesOf("cardio2").contains("Safari on iPad"));
        // The first push to reach the tablet found it gone: this alert's, or that of another of cardio2's alerts.
        assertThat(notifications.notifier().orElseThrow().notifications().values().stream()
                .filter(n -> n.getRecipient().equals("cardio2") && n.getChannel() == NotificationChannel.WEB_PUSH
                        && n.getState() == NotificationState.FAILED).map(Notification::getReason).toList(),
                hasItem(containsString("gone (410), subscription removed")));
    }

    @Test
    void shouldTryAgainWhileThePushServiceIsAwayAndDeliverOnce() {
        LocalPushService.Browser phone = subscribe("cardio2", "cardio2-phone", "Chrome on Android");
        KafkaWithUsersResource.push().answer(phone.name(), 503);
        String alertId = raise(patient("cardio2", null), AlertSeverity.WARNING, AlertKind.HIGH_SYSTOLIC);
        try {
            await("tried while away").atMost(WAIT).until(() -> pushesOf(phone, alertId).size() >= 2);
            assertThat("a warning does not wake the phone", pushesOf(phone, alertId).get(0).headers().get("Urgency"),
                    equalTo("normal"));
        } finally {
            KafkaWithUsersResource.push().answer(phone.name(), 201);
        }
        await("delivered once back").atMost(WAIT).until(() -> delivered(phone, alertId) == 1);
        await("and not again").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> delivered(phone, alertId) == 1);
        assertThat(pushState(alertId, "cardio2").map(Notification::getState), equalTo(Optional.of(NotificationState.SENT)));
    }

    @Test
    void shouldRefuseABadSubscriptionWithTheReason() {
        String key = as("cardio1").get("/api/push/key").then().statusCode(200).extract().path("publicKey");
        LocalPushService.Browser browser = KafkaWithUsersResource.push().subscribe("refused", key);
        assertThat(refusal(Map.of("endpoint", "https://10.0.0.5/internal", "keys",
                Map.of("p256dh", browser.p256dh(), "auth", browser.auth()))), containsString("not at a push service"));
        assertThat(refusal(Map.of("endpoint", browser.endpoint(), "keys",
                Map.of("p256dh", browser.p256dh().substring(0, 80) + "AAAAAAA", "auth", browser.auth()))),
                containsString("keys.p256dh"));
        assertThat(refusal(Map.of("endpoint", browser.endpoint(), "keys", Map.of("p256dh", browser.p256dh(), "auth", "c2hvcnQ"))),
                containsString("keys.auth is not a 16-byte secret"));
        assertThat(refusal(Map.of("endpoint", browser.endpoint())), containsString("keys (p256dh, auth) are required"));
        assertThat(refusal(Map.of("endpoint", browser.endpoint(), "label", "a\nb", "keys",
                Map.of("p256dh", browser.p256dh(), "auth", browser.auth()))), containsString("control character"));
        as("cardio1").contentType(ContentType.JSON).body("[1,2]").post("/api/push/subscriptions").then().statusCode(400);
        as("admin").get("/api/push/key").then().statusCode(403);

        subscribe("cardio1", "cardio1-desk", "Edge on Windows");
        String id = as("cardio1").get("/api/push/subscriptions").then().statusCode(200).extract()
                .path("find { it.label == 'Edge on Windows' }.id");
        as("cardio2").delete("/api/push/subscriptions/" + id).then().statusCode(404);
        as("cardio1").delete("/api/push/subscriptions/" + id).then().statusCode(204);
        await().atMost(WAIT).until(() -> !devicesOf("cardio1").contains("Edge on Windows"));
    }

    /** The browser subscribes with the server's key and the page posts it, as dashboard.js does. */
    private static LocalPushService.Browser subscribe(String clinician, String name, String label) {
        String key = as(clinician).get("/api/push/key").then().statusCode(200).extract().path("publicKey");
        LocalPushService.Browser browser = KafkaWithUsersResource.push().subscribe(name, key);
        java.util.HashMap<String, Object> subscription = new java.util.HashMap<>();
        subscription.put("endpoint", browser.endpoint());
        subscription.put("expirationTime", null); // PushSubscription.toJSON() has it
        subscription.put("keys", Map.of("p256dh", browser.p256dh(), "auth", browser.auth()));
        subscription.put("label", label);
        as(clinician).contentType(ContentType.JSON).body(subscription).post("/api/push/subscriptions").then().statusCode(200);
        await("listed").atMost(WAIT).until(() -> devicesOf(clinician).contains(label));
        return browser;
    }

    private static String refusal(Map<String, Object> subscription) {
        return as("cardio1").contentType(ContentType.JSON).body(subscription).post("/api/push/subscriptions").then()
                .statusCode(400).extract().path("error");
    }

    private static List<String> devicesOf(String clinician) {
        return as(clinician).get("/api/push/subscriptions").then().statusCode(200).extract().path("label");
    }

    private static List<LocalPushService.Received> pushesOf(LocalPushService.Browser browser, String alertId) {
        return KafkaWithUsersResource.push().receivedBy(browser.name()).stream()
                .filter(r -> r.message() != null && r.message().contains(alertId)).toList();
    }

    private static long delivered(LocalPushService.Browser browser, String alertId) {
        return pushesOf(browser, alertId).stream().filter(r -> r.answered() == 201).count();
    }

    private Optional<Notification> pushState(String alertId, String recipient) {
        return notifications.notifier().orElseThrow().notifications().values().stream()
                .filter(n -> n.getAlertId().equals(alertId) && n.getRecipient().equals(recipient)
                        && n.getChannel() == NotificationChannel.WEB_PUSH).findFirst();
    }
}
