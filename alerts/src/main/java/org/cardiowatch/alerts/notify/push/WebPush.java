package org.cardiowatch.alerts.notify.push;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.schemas.avro.PushSubscription;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell of Web Push: with {@code cardiowatch.alerts.notifications.push.enabled}, the
 * VAPID key pair (checked at start: a wrong key stops the service with the setting's name) and the
 * clinicians' subscriptions, for the channel and for the page where clinicians ask for it.
 */
@Startup
@ApplicationScoped
public class WebPush {

    private static final Logger LOG = Logger.getLogger(WebPush.class);

    private final AlertsConfig config;
    private final AlertsRuntime runtime;
    private final KafkaConnection kafka;
    private CompactedTopicView<PushSubscription> view;
    private PushSubscriptions subscriptions;
    private VapidSigner signer;

    WebPush(AlertsConfig config, AlertsRuntime runtime, KafkaConnection kafka) {
        this.config = config;
        this.runtime = runtime;
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        AlertsConfig.Push settings = config.notifications().push();
        if (!settings.enabled()) {
            return;
        }
        signer = new VapidSigner(
                settings.publicKey().orElseThrow(() -> missing("public-key")),
                settings.privateKey().orElseThrow(() -> missing("private-key")),
                settings.subject().orElse(config.notifications().publicUrl().toString()));
        PushServices services = new PushServices(settings.services());
        view = new CompactedTopicView<>(Topics.PUSH_SUBSCRIPTIONS, kafka.bootstrapServers(), kafka.clientSettings(),
                (key, value) -> { }).start();
        subscriptions = new PushSubscriptions(view, runtime.writer(), services, Clock.systemUTC());
        LOG.infof("Web Push is on: push services %s", settings.services());
    }

    private static IllegalArgumentException missing(String setting) {
        return new IllegalArgumentException("cardiowatch.alerts.notifications.push." + setting
                + " is required with cardiowatch.alerts.notifications.push.enabled=true (./cardiowatch vapid-keys makes a pair)");
    }

    /** The clinicians' subscriptions, when Web Push is on. */
    public Optional<PushSubscriptions> subscriptions() {
        return Optional.ofNullable(subscriptions);
    }

    /** The VAPID signer, when Web Push is on. */
    public Optional<VapidSigner> signer() {
        return Optional.ofNullable(signer);
    }

    @PreDestroy
    void stop() {
        if (view != null) {
            view.close();
        }
    }
}
