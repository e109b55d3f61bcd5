package org.cardiowatch.alerts.notify.push;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cardiowatch.schemas.avro.PushSubscription;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.wire.P256Keys;

/**
 * The browsers and phones where clinicians asked to be notified, as {@code cw.push-subscriptions}
 * holds them (every alerts instance reads all of it): added and removed by their clinician,
 * removed by the channel when the push service says one is gone. Checked when added: the endpoint
 * at an allowed push service, the keys a real P-256 point and a 16-byte secret, at most
 * {@value #MAX_PER_CLINICIAN} per clinician.
 */
public final class PushSubscriptions {

    static final int MAX_PER_CLINICIAN = 10;
    static final int MAX_LABEL = 80;

    private final CompactedTopicView<PushSubscription> view;
    private final TopicWriter writer;
    private final PushServices services;
    private final Clock clock;

    public PushSubscriptions(CompactedTopicView<PushSubscription> view, TopicWriter writer, PushServices services,
            Clock clock) {
        this.view = view;
        this.writer = writer;
        this.services = services;
        this.clock = clock;
    }

    /** The id of a subscription: the same endpoint, the same id (a browser subscribing again replaces itself). */
    static String idOf(String endpoint) {
        return UUID.nameUUIDFromBytes(("push|" + endpoint).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The clinician's subscriptions, oldest first. */
    public List<PushSubscription> of(String clinician) {
        return view.snapshot().values().stream().filter(s -> s.getClinician().equals(clinician))
                .sorted(Comparator.comparing(PushSubscription::getCreatedAt)).toList();
    }

    public boolean any(String clinician) {
        return view.snapshot().values().stream().anyMatch(s -> s.getClinician().equals(clinician));
    }

    /**
     * Adds (or renews) a subscription of the clinician's browser; stored once this returns.
     *
     * @throws IllegalArgumentException with the reason when it is refused
     */
    public PushSubscription add(String clinician, String endpoint, String p256dh, String auth, String label) {
        services.check(endpoint);
        if (p256dh == null || auth == null) {
            throw new IllegalArgumentException("keys.p256dh and keys.auth are required");
        }
        try {
            P256Keys.publicKey(P256Keys.base64Url(p256dh, "keys.p256dh"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keys.p256dh: " + e.getMessage());
        }
        if (P256Keys.base64Url(auth, "keys.auth").length != 16) {
            throw new IllegalArgumentException("keys.auth is not a 16-byte secret");
        }
        if (label != null && (label.length() > MAX_LABEL || label.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("label is longer than " + MAX_LABEL + " characters or holds a control character");
        }
        String id = idOf(endpoint);
        Optional<PushSubscription> existing = view.get(id);
        if (existing.isPresent() && !existing.get().getClinician().equals(clinician)) {
            // One browser, another clinician signed in on it now: the device is theirs from now on.
            remove(existing.get());
        } else if (existing.isEmpty() && of(clinician).size() >= MAX_PER_CLINICIAN) {
            throw new IllegalArgumentException("at most " + MAX_PER_CLINICIAN
                    + " devices per clinician: remove one you no longer use first");
        }
        PushSubscription subscription = PushSubscription.newBuilder().setSubscriptionId(id).setClinician(clinician)
                .setEndpoint(endpoint).setP256dh(p256dh).setAuth(auth).setLabel(label).setCreatedAt(clock.instant()).build();
        writer.write(Topics.PUSH_SUBSCRIPTIONS, id, subscription);
        return subscription;
    }

    /** The clinician's subscription of this id, if there is one. */
    public Optional<PushSubscription> find(String clinician, String subscriptionId) {
        return view.get(subscriptionId).filter(s -> s.getClinician().equals(clinician));
    }

    /** Removes a subscription (its clinician's wish, or the push service said it is gone); stored once this returns. */
    public void remove(PushSubscription subscription) {
        writer.write(Topics.PUSH_SUBSCRIPTIONS, subscription.getSubscriptionId(), null);
    }
}
