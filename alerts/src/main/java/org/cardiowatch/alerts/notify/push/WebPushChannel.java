package org.cardiowatch.alerts.notify.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.alerts.notify.NotificationGroup;
import org.cardiowatch.alerts.notify.NotificationSender;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.PushSubscription;
import org.cardiowatch.schemas.wire.P256Keys;

/**
 * Sends notifications by Web Push (RFC 8030) to every browser or phone where the recipient asked
 * for them: the message encrypted for each (RFC 8291), the request signed with CardioWatch's VAPID
 * key (RFC 8292), {@code Urgency: high} for a critical alert so a phone wakes for it. A
 * subscription the push service says is gone (404, 410) is removed. Accepted once one of the
 * recipient's devices has it: trying again would repeat it on the others; worth trying again when
 * none took it and a push service was away or busy (429, 5xx, no answer).
 */
public final class WebPushChannel implements NotificationSender {

    private final PushSubscriptions subscriptions;
    private final VapidSigner vapid;
    private final URI publicUrl;
    private final Duration timeToLive;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    public WebPushChannel(PushSubscriptions subscriptions, VapidSigner vapid, URI publicUrl, Duration timeToLive,
            Duration timeout, Clock clock) {
        this.subscriptions = subscriptions;
        this.vapid = vapid;
        this.publicUrl = publicUrl;
        this.timeToLive = timeToLive;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Whether the clinician has a device to be told on. */
    @Override
    public boolean reaches(String clinician) {
        return subscriptions.any(clinician);
    }

    @Override
    public Result send(NotificationGroup group) {
        List<PushSubscription> devices = subscriptions.of(group.lead().getRecipient());
        if (devices.isEmpty()) {
            return new Result(Outcome.REFUSED, "no device subscribed");
        }
        byte[] payload = WebPushMessage.payload(group, publicUrl);
        String urgency = group.leadAlert().alert().getSeverity() == AlertSeverity.CRITICAL ? "high" : "normal";
        int accepted = 0;
        List<String> temporary = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (PushSubscription device : devices) {
            int status = push(device, payload, urgency);
            if (status >= 200 && status < 300) {
                accepted++;
            } else if (status == 404 || status == 410) {
                subscriptions.remove(device);
                refused.add("gone (" + status + "), subscription removed");
            } else if (status < 0 || status == 429 || status >= 500) {
                temporary.add(status < 0 ? "no answer" : "push service " + status);
            } else {
                refused.add("push service " + status);
            }
        }
        if (accepted > 0) {
            return new Result(Outcome.ACCEPTED, "push service accepted, " + accepted + " of " + devices.size() + " devices");
        }
        if (!temporary.isEmpty()) {
            return new Result(Outcome.TRY_AGAIN, String.join("; ", temporary));
        }
        return new Result(Outcome.REFUSED, String.join("; ", refused));
    }

    /** The push service's status, or -1 when it did not answer. The endpoint is never logged: it is a capability. */
    private int push(PushSubscription device, byte[] payload, String urgency) {
        URI endpoint = URI.create(device.getEndpoint());
        byte[] body = WebPushEncryption.encrypt(payload,
                P256Keys.publicKey(P256Keys.base64Url(device.getP256dh(), "p256dh")), P256Keys.base64Url(device.getAuth(), "auth"));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("TTL", String.valueOf(timeToLive.toSeconds()))
                .header("Urgency", urgency)
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", vapid.authorization(endpoint, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
