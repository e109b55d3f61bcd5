package org.cardiowatch.alerts.notify.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.alerts.notify.NotificationGroup;
import org.cardiowatch.alerts.notify.WebhookMessage;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.NotificationStep;

/**
 * What a push notification says, as the service worker ({@code sw.js}) shows it: a title with the
 * alert's severity and kind, a line saying whether it was raised or escalated, the link that opens
 * the alert after sign-in, and a tag so one alert's steps replace each other on the lock screen.
 * Never the patient's name, identifiers or values: a phone's lock screen is seen by others, and a
 * lost phone must disclose nothing. Encrypted for the browser besides (RFC 8291).
 */
public final class WebPushMessage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebPushMessage() {
    }

    /**
     * The JSON the service worker reads, UTF-8: one alert as its own; several of one patient in one
     * notification, led by the most severe.
     */
    public static byte[] payload(NotificationGroup group, URI publicUrl) {
        AlertRecord lead = group.leadAlert();
        boolean escalated = group.lead().getStep() != NotificationStep.TREATING;
        Map<String, Object> message = new LinkedHashMap<>();
        if (group.size() == 1) {
            message.put("title", "CardioWatch: " + lead.alert().getSeverity().name() + " alert (" + NotificationGroup.kindOf(lead) + ")");
            message.put("body", escalated ? "Escalated to you: nobody has acknowledged it. Open to see the patient."
                    : "Raised for a patient in your care team. Open to see the patient.");
        } else {
            message.put("title", "CardioWatch: " + group.size() + " alerts of one patient");
            message.put("body", group.kinds() + ". Open to see the patient.");
        }
        message.put("url", WebhookMessage.link(publicUrl, lead.id()));
        message.put("tag", "alert-" + lead.id());
        message.put("critical", lead.alert().getSeverity() == AlertSeverity.CRITICAL);
        try {
            return JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
    }
}
