package org.cardiowatch.alerts.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.cardiowatch.schemas.wire.WebhookSignature;

/**
 * Posts signed notifications to the hospital's paging or secure-messaging endpoint. A 2xx answer
 * is delivery; a 408, a 429, a 5xx, a timeout or no connection is worth trying again; any other
 * answer is a refusal of that message, which trying again would not change.
 */
public final class WebhookChannel implements NotificationSender {

    private final URI url;
    private final URI publicUrl;
    private final String secret;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    /** @param publicUrl the dashboard's address as clinicians reach it, where the message's link starts */
    public WebhookChannel(URI url, String secret, Duration timeout, URI publicUrl, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException(
                    "cardiowatch.alerts.notifications.webhook-secret must be set, 32 characters or more, with the webhook URL");
        }
        this.url = url;
        this.publicUrl = publicUrl;
        this.secret = secret;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Result send(NotificationGroup group) {
        return send(group.messageId(), WebhookMessage.body(group, publicUrl));
    }

    Result send(String notificationId, String body) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(WebhookMessage.IDEMPOTENCY_HEADER, notificationId)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Result(Outcome.ACCEPTED, "HTTP " + status);
            }
            boolean worthRetrying = status == 408 || status == 429 || status >= 500;
            return new Result(worthRetrying ? Outcome.TRY_AGAIN : Outcome.REFUSED, "HTTP " + status);
        } catch (IOException e) {
            return new Result(Outcome.TRY_AGAIN, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.TRY_AGAIN, "interrupted");
        }
    }
}
