package org.cardiowatch.alerts.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationState;
import org.cardiowatch.schemas.avro.NotificationStep;
import org.junit.jupiter.api.Test;

class EmailMessageTest {

    private static final Instant RAISED = Instant.parse("2026-12-05T17:03:11Z");

    @Test
    void shouldSayWhatWhenAndWhereToLookButNothingOfThePatient() {
        AlertRecord alert = new AlertRecord(Alert.newBuilder().setAlertId("a-1").setPatientId("p-secret-42")
                .setKind(AlertKind.ATRIAL_FIBRILLATION).setSeverity(AlertSeverity.WARNING).setState(AlertState.OPEN)
                .setOpenedAt(RAISED).setUpdatedAt(RAISED).setEvidence(AlertEvidence.newBuilder()
                        .setSummary("Chiara Dietz irregular at 98 bpm").setWorstValue(98.0).build()).build(), RAISED,
                null, null, null, null);
        Notification notification = Notification.newBuilder().setNotificationId("n-1").setAlertId("a-1")
                .setPatientId("p-secret-42").setRecipient("cardio3").setStep(NotificationStep.BACKUP)
                .setChannel(NotificationChannel.EMAIL).setState(NotificationState.PLANNED).setPlannedAt(RAISED)
                .setUpdatedAt(RAISED).build();

        EmailMessage.Parts parts = EmailMessage.of(notification, alert, URI.create("https://cw.hospital.fr"),
                ZoneId.of("Europe/Paris"));

        assertThat(parts.subject(), equalTo("CardioWatch: WARNING alert escalated (atrial fibrillation)"));
        assertThat(parts.text(), containsString("Raised: 5 Dec 2026, 18:03:11 CET"));
        assertThat(parts.text(), containsString("https://cw.hospital.fr/alert.html?id=a-1"));
        assertThat(parts.messageId(), equalTo("<n-1@cardiowatch>"));
        for (String part : new String[] {parts.subject(), parts.text(), parts.messageId()}) {
            assertThat(part, not(containsString("p-secret-42")));
            assertThat(part, not(containsString("Chiara")));
            assertThat(part, not(containsString("98")));
        }
    }

    @Test
    void shouldRefuseAnAddressThatIsNotOnePlainAddress() {
        for (String wrong : new String[] {"cardio1", "Dr X <x@h.fr>", "a@h.fr, b@h.fr", "a@h.fr\r\nBcc: z@evil.test", ""}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> EmailChannel.addresses(Map.of("cardio1", wrong)), wrong);
            assertThat(refused.getMessage(), containsString("addresses.\"cardio1\""));
        }
        assertThat(EmailChannel.addresses(Map.of("cardio1", "dr.o'neil+cw@chu-lyon.fr")).get("cardio1"),
                equalTo("dr.o'neil+cw@chu-lyon.fr"));
    }

    @Test
    void shouldListAGroupsAlertsMostSevereFirstInOneMessageWithItsOwnId() {
        AlertRecord warning = record("a-1", AlertKind.LOW_SPO2, AlertSeverity.WARNING);
        AlertRecord critical = record("a-2", AlertKind.PAUSE, AlertSeverity.CRITICAL);
        NotificationGroup group = NotificationGroup.of(java.util.List.of(notification("n-1", "a-1"), notification("n-2", "a-2")),
                java.util.List.of(warning, critical));

        EmailMessage.Parts parts = EmailMessage.of(group, URI.create("https://cw.hospital.fr"), ZoneId.of("Europe/Paris"));

        assertThat(parts.subject(), equalTo("CardioWatch: 2 alerts of a patient in your care team (CRITICAL pause and 1 more)"));
        assertThat(parts.text().indexOf("alert.html?id=a-2") < parts.text().indexOf("alert.html?id=a-1"), equalTo(true));
        assertThat(parts.text(), not(containsString("p-secret-42")));
        assertThat("the group's id, not either notification's", parts.messageId(), not(containsString("n-1")));
        assertThat("the same group, the same id", EmailMessage.of(NotificationGroup.of(java.util.List.of(notification("n-2", "a-2"),
                notification("n-1", "a-1")), java.util.List.of(critical, warning)), URI.create("https://cw.hospital.fr"),
                ZoneId.of("Europe/Paris")).messageId(), equalTo(parts.messageId()));
    }

    private static AlertRecord record(String id, AlertKind kind, AlertSeverity severity) {
        return new AlertRecord(Alert.newBuilder().setAlertId(id).setPatientId("p-secret-42").setKind(kind).setSeverity(severity)
                .setState(AlertState.OPEN).setOpenedAt(RAISED).setUpdatedAt(RAISED)
                .setEvidence(AlertEvidence.newBuilder().setSummary("x").build()).build(), RAISED, null, null, null, null);
    }

    private static Notification notification(String id, String alertId) {
        return Notification.newBuilder().setNotificationId(id).setAlertId(alertId).setPatientId("p-secret-42")
                .setRecipient("cardio1").setStep(NotificationStep.TREATING).setChannel(NotificationChannel.EMAIL)
                .setState(NotificationState.PLANNED).setPlannedAt(RAISED).setUpdatedAt(RAISED).build();
    }
}
