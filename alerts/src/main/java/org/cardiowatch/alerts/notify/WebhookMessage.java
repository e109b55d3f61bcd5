package org.cardiowatch.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.Notification;

/**
 * What a notification says to the hospital's paging system, and its signature. It names the
 * alert's kind and severity, the step, the recipient, when it was raised and a link that opens the
 * alert after sign-in; never the patient's name, identifiers or values, so a forwarded message or
 * a lost pager discloses nothing. The alert id in the link is a name-based UUID, not the patient's id.
 *
 * <p>Signature (the scheme of Stripe's and Slack's webhooks): header {@value #SIGNATURE_HEADER}
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the shared secret>}; the
 * receiver recomputes it and refuses a timestamp outside its replay window. Header
 * {@value #IDEMPOTENCY_HEADER} carries the notification id: a message sent again after a crash
 * between the send and its record is the same message.
 */
public final class WebhookMessage {

    public static final String SIGNATURE_HEADER = "CardioWatch-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookMessage() {
    }

    /** The JSON body for a notification of the alert. */
    public static String body(Notification notification, AlertRecord alert, URI publicUrl) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("notificationId", notification.getNotificationId());
        message.put("event", switch (notification.getStep()) {
            case TREATING -> "alert.raised";
            case BACKUP -> "alert.escalated";
        });
        message.put("recipient", notification.getRecipient());
        message.put("kind", alert.alert().getKind().name());
        message.put("severity", alert.alert().getSeverity().name());
        message.put("raisedAt", alert.raisedAt().toString());
        message.put("link", link(publicUrl, alert.id()));
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
    }

    /** The page that shows the alert (after sign-in) with its acknowledge button. */
    public static String link(URI publicUrl, String alertId) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        return base + "/alert.html?id=" + alertId;
    }

    /** The value of the signature header for a body sent at {@code epochSeconds}. */
    public static String signature(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is in every JDK", e);
        }
    }
}
