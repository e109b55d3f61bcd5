package org.cardiowatch.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Notification;

/**
 * What a notification says to the hospital's paging system, and its signature. It names the
 * alert's kind and severity, the step, the recipient, when it was raised and a link that opens the
 * alert after sign-in; never the patient's name, identifiers or values, so a forwarded message or
 * a lost pager discloses nothing. The alert id in the link is a name-based UUID, not the patient's id.
 *
 * <p>Signed as {@link org.cardiowatch.schemas.wire.WebhookSignature} says. Header
 * {@value #IDEMPOTENCY_HEADER} carries the notification id (a group's: one derived from its
 * notifications'): a message sent again after a crash between the send and its record is the same message.
 */
public final class WebhookMessage {

    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookMessage() {
    }

    /**
     * The JSON body for a group: the lead (most severe) notification's fields, and for a group of
     * several, {@code count} and each one under {@code alerts}.
     */
    public static String body(NotificationGroup group, URI publicUrl) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("notificationId", group.messageId());
        message.put("recipient", group.lead().getRecipient());
        message.putAll(fields(group.lead(), group.leadAlert(), publicUrl));
        if (group.size() > 1) {
            message.put("count", group.size());
            List<Map<String, Object>> each = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("notificationId", group.notifications().get(i).getNotificationId());
                one.putAll(fields(group.notifications().get(i), group.alerts().get(i), publicUrl));
                each.add(one);
            }
            message.put("alerts", each);
        }
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
    }

    private static Map<String, Object> fields(Notification notification, AlertRecord alert, URI publicUrl) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", switch (notification.getStep()) {
            case TREATING -> "alert.raised";
            case BACKUP -> "alert.escalated";
            case ON_CALL -> "alert.on-call";
        });
        fields.put("kind", alert.alert().getKind().name());
        fields.put("severity", alert.alert().getSeverity().name());
        fields.put("raisedAt", alert.raisedAt().toString());
        fields.put("link", link(publicUrl, alert.id()));
        fields.put("repeat", notification.getRepeat());
        return fields;
    }

    /** The page that shows the alert (after sign-in) with its acknowledge button. */
    public static String link(URI publicUrl, String alertId) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        return base + "/alert.html?id=" + alertId;
    }
}
