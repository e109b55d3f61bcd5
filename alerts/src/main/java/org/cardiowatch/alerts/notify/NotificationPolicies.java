package org.cardiowatch.alerts.notify;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.config.KafkaConnection;
import org.cardiowatch.schemas.avro.ClinicianChannels;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.cardiowatch.schemas.topics.CompactedTopicView;
import org.cardiowatch.schemas.topics.Topics;

/**
 * The teams' notification policies and the clinicians' channel choices, as every alerts instance
 * reads them from {@code cw.notification-policies} and {@code cw.clinician-channels}, and writes
 * them for the APIs.
 */
@Startup
@ApplicationScoped
public class NotificationPolicies {

    private final AlertsRuntime runtime;
    private final KafkaConnection kafka;
    private CompactedTopicView<NotificationPolicy> policies;
    private CompactedTopicView<ClinicianChannels> choices;

    NotificationPolicies(AlertsRuntime runtime, KafkaConnection kafka) {
        this.runtime = runtime;
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        policies = new CompactedTopicView<>(Topics.NOTIFICATION_POLICIES, kafka.bootstrapServers(), kafka.clientSettings(),
                (key, value) -> { }).start();
        choices = new CompactedTopicView<>(Topics.CLINICIAN_CHANNELS, kafka.bootstrapServers(), kafka.clientSettings(),
                (key, value) -> { }).start();
    }

    /** The team's policy, else the hospital's ('default'), else the built-in one. */
    public TeamPolicy policyOf(String team) {
        return policies.get(team).or(() -> policies.get(TeamPolicy.DEFAULT_TEAM)).map(TeamPolicy::new)
                .orElse(TeamPolicy.BUILT_IN);
    }

    /** Every policy set, by team. */
    public List<NotificationPolicy> all() {
        return policies.snapshot().values().stream().sorted(java.util.Comparator.comparing(NotificationPolicy::getTeam)).toList();
    }

    public void put(NotificationPolicy policy) {
        runtime.writer().write(Topics.NOTIFICATION_POLICIES, policy.getTeam(), policy);
    }

    /** Whether the clinician takes this channel: the paging webhook always; a personal one unless they chose others. */
    public boolean accepts(String clinician, NotificationChannel channel) {
        if (!PolicyRequests.PERSONAL.contains(channel)) {
            return true;
        }
        return choices.get(clinician).map(choice -> choice.getChannels().contains(channel.name())).orElse(true);
    }

    /** The clinician's personal channels: their choice, or both. */
    public List<String> channelsOf(String clinician) {
        return choices.get(clinician).map(ClinicianChannels::getChannels)
                .orElse(PolicyRequests.PERSONAL.stream().map(Enum::name).toList());
    }

    public void choose(ClinicianChannels choice) {
        runtime.writer().write(Topics.CLINICIAN_CHANNELS, choice.getClinician(), choice);
    }

    /** Both views read up to date: the notifications wait for them, so no alert goes out under no policy. */
    public boolean isCaughtUp() {
        return policies.isCaughtUp() && choices.isCaughtUp();
    }

    @PreDestroy
    void stop() {
        if (policies != null) {
            policies.close();
        }
        if (choices != null) {
            choices.close();
        }
    }
}
