package org.cardiowatch.alerts.notify.push;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.avro.PushSubscription;

/**
 * "Notify me on this device": a clinician's own Web Push subscriptions. The page asks the browser
 * for a subscription with {@link #key()} and posts it here; each clinician sees and removes only
 * their own. Every change is audited (it decides where alerts about patients are sent). The
 * endpoint never leaves again: it is a capability to reach that device.
 */
@Path("/api/push")
@RolesAllowed({"physician", "nurse"})
@Produces(MediaType.APPLICATION_JSON)
public class PushSubscriptionResource {

    /** What the browser's {@code PushSubscription.toJSON()} gives, with a label the page adds. */
    public record NewSubscription(String endpoint, Keys keys, String label) {
    }

    public record Keys(String p256dh, String auth) {
    }

    /** A device as its clinician sees it in the list. */
    public record Device(String id, String label, Instant since) {
        static Device of(PushSubscription subscription) {
            return new Device(subscription.getSubscriptionId(), subscription.getLabel(), subscription.getCreatedAt());
        }
    }

    public record ServerKey(String publicKey) {
    }

    private final WebPush webPush;
    private final SecurityIdentity identity;
    private final AuditLog audit;

    PushSubscriptionResource(WebPush webPush, SecurityIdentity identity, AuditLog audit) {
        this.webPush = webPush;
        this.identity = identity;
        this.audit = audit;
    }

    /** The key a browser subscribes with ({@code applicationServerKey}); 404 while Web Push is off. */
    @GET
    @Path("/key")
    public ServerKey key() {
        return new ServerKey(webPush.signer().orElseThrow(PushSubscriptionResource::off).publicKey());
    }

    @GET
    @Path("/subscriptions")
    public List<Device> mine() {
        return subscriptions().of(me()).stream().map(Device::of).toList();
    }

    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Device subscribe(NewSubscription request) {
        if (request == null || request.keys() == null) {
            throw new IllegalArgumentException("endpoint and keys (p256dh, auth) are required");
        }
        PushSubscription added = subscriptions().add(me(), request.endpoint(), request.keys().p256dh(),
                request.keys().auth(), request.label());
        audit.record(identity, "push.subscribe", null, "push-subscription/" + added.getSubscriptionId(), AuditOutcome.ALLOWED);
        return Device.of(added);
    }

    @DELETE
    @Path("/subscriptions/{id}")
    public void unsubscribe(@PathParam("id") String id) {
        PushSubscription subscription = subscriptions().find(me(), id)
                .orElseThrow(() -> new NotFoundException("no device of yours with this id"));
        subscriptions().remove(subscription);
        audit.record(identity, "push.unsubscribe", null, "push-subscription/" + id, AuditOutcome.ALLOWED);
    }

    private PushSubscriptions subscriptions() {
        return webPush.subscriptions().orElseThrow(PushSubscriptionResource::off);
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    private static NotFoundException off() {
        return new NotFoundException("Web Push notifications are off on this server");
    }
}
