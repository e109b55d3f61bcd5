package org.cardiowatch.alerts.notify;

import static org.awaitility.Awaitility.await;
import static org.cardiowatch.alerts.SignedIn.as;
import static org.cardiowatch.alerts.notify.TestAlerts.patient;
import static org.cardiowatch.alerts.notify.TestAlerts.patientOfTeam;
import static org.cardiowatch.alerts.notify.TestAlerts.raise;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cardiowatch.alerts.KafkaWithUsersResource;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The notification policy and the clinicians' channel choices through their APIs, on a real Kafka
 * and the tests' paging system and mail server: what is saved is what the notifications then do,
 * and bad input is refused with its reason.
 */
@QuarkusTest
@Tag("broker") // a Kafka broker started for it: not in the fast loop
@QuarkusTestResource(KafkaWithUsersResource.class)
class NotificationPolicyApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    NotificationService notifications;

    @Test
    void shouldSaveATeamsPolicyAuditedAndRefuseABadOneWithTheReason() {
        Map<String, Object> policy = Map.of("rules", List.of(
                Map.of("priority", "CRITICAL", "channels", List.of("WEBHOOK", "WEB_PUSH"), "repeatEveryMinutes", 10),
                Map.of("priority", "WARNING", "channels", List.of("EMAIL"))),
                "quietHours", Map.of("from", "22:00", "to", "07:00"), "onCallAfterMinutes", 15,
                "onCall", List.of(Map.of("clinician", "cardio2", "from", "2026-12-05T19:00:00Z", "to", "2026-12-06T07:00:00Z")));
        as("admin").contentType(ContentType.JSON).body(policy).put("/api/admin/notification-policies/ward-7").then()
                .statusCode(200).body("team", equalTo("ward-7")).body("setBy", equalTo("admin"));
        await("listed").atMost(WAIT).until(() -> as("admin").get("/api/admin/notification-policies").then().statusCode(200)
                .extract().<List<String>>path("team").contains("ward-7"));
        as("admin").get("/api/admin/notification-policies").then()
                .body("find { it.team == 'ward-7' }.onCall[0].clinician", equalTo("cardio2"))
                .body("find { it.team == 'ward-7' }.quietHours.from", equalTo("22:00"))
                .body("team", hasItem("default")); // the policy in force for teams without their own
        as("auditor1").queryParam("actor", "admin").get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'admin.notification-policy.put' }.target",
                        hasItem("/api/admin/notification-policies/ward-7"));

        as("admin").contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("priority", "WARNING",
                "channels", List.of("EMAIL"))))).put("/api/admin/notification-policies/ward-7").then().statusCode(400)
                .body("error", equalTo("rules must have one for CRITICAL: a critical alert must reach someone outside the dashboard"));
        as("admin").contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("priority", "CRITICAL",
                "channels", List.of("WEBHOOK"))), "quietHours", Map.of("from", "7 pm", "to", "07:00")))
                .put("/api/admin/notification-policies/ward-7").then().statusCode(400)
                .body("error", equalTo("quietHours.from must be a time HH:mm"));
        as("admin").contentType(ContentType.JSON).body("{\"rules\": 3}").put("/api/admin/notification-policies/ward-7")
                .then().statusCode(400);
        as("cardio1").contentType(ContentType.JSON).body(policy).put("/api/admin/notification-policies/ward-7").then()
                .statusCode(403);
    }

    @Test
    void shouldTellATeamOfALostSignalOnlyWhenItsPolicyAsksForIt() {
        as("admin").contentType(ContentType.JSON).body(Map.of("rules", List.of(
                Map.of("priority", "CRITICAL", "channels", List.of("WEBHOOK")),
                Map.of("priority", "TECHNICAL", "channels", List.of("WEBHOOK")))))
                .put("/api/admin/notification-policies/icu-test").then().statusCode(200);
        await().atMost(WAIT).until(() -> as("admin").get("/api/admin/notification-policies").then().extract()
                .<List<String>>path("team").contains("icu-test"));
        String inIcu = raise(patientOfTeam("cardio1", null, "icu-test"), AlertSeverity.WARNING, AlertKind.SIGNAL_LOSS);
        String elsewhere = raise(patient("cardio1", null), AlertSeverity.WARNING, AlertKind.SIGNAL_LOSS);

        await("the ICU's physician is paged").atMost(WAIT).until(() -> !pagesOf(inIcu).isEmpty());
        await("nobody else").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> pagesOf(elsewhere).isEmpty());
    }

    @Test
    void shouldTellAClinicianOnlyOnThePersonalChannelsTheyChose() {
        try {
            as("cardio2").contentType(ContentType.JSON).body(Map.of("channels", List.of("WEB_PUSH")))
                    .put("/api/notifications/channels").then().statusCode(200).body("channels", contains("WEB_PUSH"));
            as("cardio2").contentType(ContentType.JSON).body(Map.of("channels", List.of()))
                    .put("/api/notifications/channels").then().statusCode(400)
                    .body("error", equalTo("channels: choose at least one of EMAIL, WEB_PUSH (alerts must reach you somewhere)"));
            as("cardio2").contentType(ContentType.JSON).body(Map.of("channels", List.of("WEBHOOK")))
                    .put("/api/notifications/channels").then().statusCode(400);
            as("admin").get("/api/notifications/channels").then().statusCode(403);
            await("read back").atMost(WAIT).until(() -> as("cardio2").get("/api/notifications/channels").then()
                    .extract().<List<String>>path("channels").equals(List.of("WEB_PUSH")));

            String alertId = raise(patient("cardio2", null), AlertSeverity.CRITICAL, AlertKind.PAUSE);
            await("the paging system still told").atMost(WAIT).until(() -> !pagesOf(alertId).isEmpty());
            assertThat("no e-mail planned for cardio2", notifications.notifier().orElseThrow().notifications().values()
                    .stream().anyMatch(n -> n.getAlertId().equals(alertId) && n.getChannel() == NotificationChannel.EMAIL),
                    equalTo(false));
        } finally {
            as("cardio2").contentType(ContentType.JSON).body(Map.of("channels", List.of("EMAIL", "WEB_PUSH")))
                    .put("/api/notifications/channels").then().statusCode(200);
        }
    }

    private static List<WebhookReceiver.Received> pagesOf(String alertId) {
        return KafkaWithUsersResource.pager().received().stream().filter(r -> r.body().contains(alertId)).toList();
    }
}
