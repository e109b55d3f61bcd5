package org.cardiowatch.alerts.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsConfig;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.alerts.notify.push.WebPush;
import org.cardiowatch.alerts.notify.push.WebPushChannel;
import org.cardiowatch.schemas.avro.Notification;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell of the notifications: on when a webhook URL is configured, e-mail enabled (to
 * the clinicians with an address) or Web Push enabled (to the clinicians' subscribed devices), it checks every
 * {@code check-interval} on a thread of its own, records each notification sent, failed or
 * cancelled in the audit trail, and counts them in {@code cardiowatch_notifications_total}.
 */
@Startup
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);
    public static final String ACTOR = "notifier";

    private final AlertsConfig config;
    private final AlertsRuntime runtime;
    private final KafkaConnection kafka;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Mailer mailer;
    private final WebPush webPush;
    private final NotificationPolicies policies;
    private Notifier notifier;
    private ScheduledExecutorService scheduler;

    NotificationService(AlertsConfig config, AlertsRuntime runtime, KafkaConnection kafka, AuditLog audit,
            MeterRegistry meters, Mailer mailer, WebPush webPush, NotificationPolicies policies) {
        this.mailer = mailer;
        this.webPush = webPush;
        this.policies = policies;
        this.config = config;
        this.runtime = runtime;
        this.kafka = kafka;
        this.audit = audit;
        this.meters = meters;
    }

    @PostConstruct
    void start() {
        AlertsConfig.Notifications settings = config.notifications();
        Clock clock = Clock.systemUTC();
        Map<NotificationChannel, NotificationSender> senders = new EnumMap<>(NotificationChannel.class);
        settings.webhookUrl().ifPresent(url -> senders.put(NotificationChannel.WEBHOOK, new WebhookChannel(url,
                settings.webhookSecret().orElse(null), settings.webhookTimeout(), settings.publicUrl(), clock)));
        if (settings.email().enabled()) {
            senders.put(NotificationChannel.EMAIL, new EmailChannel(mailer, settings.email().addresses(),
                    settings.publicUrl(), runtime.displayZone()));
        }
        webPush.subscriptions().ifPresent(subscriptions -> senders.put(NotificationChannel.WEB_PUSH,
                new WebPushChannel(subscriptions, webPush.signer().orElseThrow(), settings.publicUrl(),
                        settings.push().timeToLive(), settings.push().timeout(), clock)));
        if (senders.isEmpty()) {
            LOG.info("Notifications are off: none of cardiowatch.alerts.notifications.webhook-url,"
                    + " .email.enabled, .push.enabled is set");
            return;
        }
        NotificationPlanner planner = new NotificationPlanner(reaches(senders), policies::policyOf, policies::accepts,
                runtime.displayZone());
        notifier = new Notifier(runtime.board(), runtime.careTeams()::get, runtime::ownsAlert,
                () -> runtime.isReady() && policies.isCaughtUp(), planner, senders, settings.retryPause(),
                settings.groupWindow(), runtime.writer(), this::record, clock,
                kafka.bootstrapServers(), kafka.clientSettings()).start();
        runtime.onForget(notifier::forget);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alert-notifications");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Notifications are on: %s; links to %s", senders.keySet(), settings.publicUrl());
    }

    /** Whom each channel reaches, as the planner asks it. */
    private static Map<NotificationChannel, Predicate<String>> reaches(Map<NotificationChannel, NotificationSender> senders) {
        Map<NotificationChannel, Predicate<String>> reaches = new EnumMap<>(NotificationChannel.class);
        senders.forEach((channel, sender) -> reaches.put(channel, sender::reaches));
        return reaches;
    }

    private void check() {
        try {
            notifier.check();
        } catch (RuntimeException e) {
            LOG.errorf("Notification check failed, next one in %s: %s", config.notifications().checkInterval(),
                    e.toString());
        }
    }

    private void record(String action, Notification notification, String detail) {
        meters.counter("cardiowatch_notifications_total", "outcome", action.substring(action.indexOf('.') + 1),
                "channel", notification.getChannel().name()).increment();
        audit.recordNotification(ACTOR, action, notification.getPatientId(), "notification/"
                + notification.getNotificationId() + " " + notification.getStep() + " to " + notification.getRecipient()
                + " via " + notification.getChannel() + (detail == null ? "" : ": " + detail));
    }

    /** The notifier, when notifications are on. */
    public Optional<Notifier> notifier() {
        return Optional.ofNullable(notifier);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (notifier != null) {
            notifier.close();
        }
    }
}
