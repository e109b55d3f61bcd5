package org.cardiowatch.alerts.notify;

import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationStep;

/**
 * What a notification e-mail says. Like the webhook's message, the alert's kind and severity, the
 * step, when it was raised and a link that opens the alert after sign-in; never the patient's
 * name, identifiers or values, in the subject, the body or a header, so a forwarded or misdirected
 * e-mail discloses nothing. Its Message-ID is the notification's id: a message sent again after a
 * crash between the send and its record is the same message to the recipient's mail system.
 */
public final class EmailMessage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss zzz", Locale.UK);

    private static final String FOOTER = "This message names no patient on purpose. Do not forward it outside the care team.\n";

    /** The parts of the e-mail. */
    public record Parts(String subject, String text, String messageId) {
    }

    private EmailMessage() {
    }

    /** @param zone the hospital's time zone, in which the time is written */
    public static Parts of(Notification notification, AlertRecord alert, URI publicUrl, ZoneId zone) {
        return of(NotificationGroup.single(notification, alert), publicUrl, zone);
    }

    /** The e-mail of a group: one alert as before; several of one patient listed in one message. */
    public static Parts of(NotificationGroup group, URI publicUrl, ZoneId zone) {
        String messageId = "<" + group.messageId() + "@cardiowatch>";
        if (group.size() == 1) {
            AlertRecord alert = group.leadAlert();
            String kind = NotificationGroup.kindOf(alert);
            String severity = alert.alert().getSeverity().name();
            boolean escalated = group.lead().getStep() != NotificationStep.TREATING;
            String event = escalated ? "escalated to you: nobody has acknowledged it" : "raised";
            String subject = "CardioWatch: " + severity + " alert " + (escalated ? "escalated" : "raised") + " (" + kind + ")";
            String text = "A " + severity + " alert (" + kind + ") of a patient in your care team was " + event + ".\n"
                    + "Raised: " + TIME.format(alert.raisedAt().atZone(zone)) + "\n\n"
                    + "Open it, after signing in, to see the patient and acknowledge it:\n"
                    + WebhookMessage.link(publicUrl, alert.id()) + "\n\n" + FOOTER;
            return new Parts(subject, text, messageId);
        }
        String subject = "CardioWatch: " + group.size() + " alerts of a patient in your care team ("
                + group.leadAlert().alert().getSeverity().name() + " " + NotificationGroup.kindOf(group.leadAlert())
                + " and " + (group.size() - 1) + " more)";
        StringBuilder text = new StringBuilder(group.size() + " alerts of one patient in your care team, most severe first."
                + " Open each, after signing in, to see the patient and acknowledge it:\n\n");
        for (int i = 0; i < group.size(); i++) {
            AlertRecord alert = group.alerts().get(i);
            boolean escalated = group.notifications().get(i).getStep() != NotificationStep.TREATING;
            text.append("- ").append(alert.alert().getSeverity().name()).append(' ').append(NotificationGroup.kindOf(alert))
                    .append(escalated ? ", escalated to you" : "").append(", raised ")
                    .append(TIME.format(alert.raisedAt().atZone(zone))).append(":\n  ")
                    .append(WebhookMessage.link(publicUrl, alert.id())).append('\n');
        }
        return new Parts(subject, text.append('\n').append(FOOTER).toString(), messageId);
    }
}
