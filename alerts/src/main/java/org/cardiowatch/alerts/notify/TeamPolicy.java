package org.cardiowatch.alerts.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.schemas.avro.AlertPriority;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.cardiowatch.schemas.avro.NotificationRule;
import org.cardiowatch.schemas.avro.OnCallShift;

/**
 * A team's notification policy as the planner reads it: which channels and repeats each priority
 * of alert has, whether the quiet hours hold it now, who is on call. Without a policy of the team's
 * own or the hospital's, {@link #BUILT_IN}: critical and warning alerts on every channel, once, no
 * quiet hours, no on-call step.
 */
public final class TeamPolicy {

    /** The key of the hospital's policy, for the teams without their own. */
    public static final String DEFAULT_TEAM = "default";

    public static final TeamPolicy BUILT_IN = new TeamPolicy(NotificationPolicy.newBuilder().setTeam(DEFAULT_TEAM)
            .setRules(List.of(rule(AlertPriority.CRITICAL), rule(AlertPriority.WARNING)))
            .setSetBy("built-in").setSetAt(Instant.EPOCH).build());

    private final NotificationPolicy policy;

    public TeamPolicy(NotificationPolicy policy) {
        this.policy = policy;
    }

    public NotificationPolicy policy() {
        return policy;
    }

    /** Critical, warning, or technical (signal and devices); none for an informational alert. */
    public static Optional<AlertPriority> priorityOf(AlertRecord alert) {
        if (alert.isTechnical()) {
            return Optional.of(AlertPriority.TECHNICAL);
        }
        return switch (alert.alert().getSeverity()) {
            case CRITICAL -> Optional.of(AlertPriority.CRITICAL);
            case WARNING -> Optional.of(AlertPriority.WARNING);
            case INFO -> Optional.empty();
        };
    }

    /** The rule of this priority; none: the dashboard only. */
    public Optional<NotificationRule> ruleFor(AlertPriority priority) {
        return policy.getRules().stream().filter(rule -> rule.getPriority() == priority).findFirst();
    }

    /** The rule's channels this version knows, in its order. */
    public static Set<NotificationChannel> channelsOf(NotificationRule rule) {
        Set<NotificationChannel> channels = EnumSet.noneOf(NotificationChannel.class);
        for (String name : rule.getChannels()) {
            for (NotificationChannel channel : NotificationChannel.values()) {
                if (channel.name().equals(name)) {
                    channels.add(channel);
                }
            }
        }
        return channels;
    }

    public static Optional<Duration> repeatOf(NotificationRule rule) {
        return Optional.ofNullable(rule.getRepeatEveryMinutes()).map(Duration::ofMinutes);
    }

    /** Whether the quiet hours hold an alert of this priority now: never a critical one. */
    public boolean holds(AlertPriority priority, Instant now, ZoneId zone) {
        if (priority == AlertPriority.CRITICAL || policy.getQuietHours() == null) {
            return false;
        }
        LocalTime from = LocalTime.parse(policy.getQuietHours().getFrom());
        LocalTime to = LocalTime.parse(policy.getQuietHours().getTo());
        LocalTime time = now.atZone(zone).toLocalTime();
        return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to) : !time.isBefore(from) || time.isBefore(to);
    }

    /** How long after the escalation the clinician on call is told; none: no on-call step. */
    public Optional<Duration> onCallAfter() {
        return Optional.ofNullable(policy.getOnCallAfterMinutes()).map(Duration::ofMinutes);
    }

    /** Who is on call now, in the roster's order. */
    public List<String> onCallAt(Instant now) {
        return policy.getOnCall().stream().filter(shift -> !now.isBefore(shift.getFrom()) && now.isBefore(shift.getTo()))
                .map(OnCallShift::getClinician).distinct().toList();
    }

    private static NotificationRule rule(AlertPriority priority) {
        return NotificationRule.newBuilder().setPriority(priority)
                .setChannels(List.of(NotificationChannel.values()).stream().map(Enum::name).toList()).build();
    }
}
