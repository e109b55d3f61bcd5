package org.cardiowatch.alerts.notify;

import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.cardiowatch.schemas.avro.AlertPriority;
import org.cardiowatch.schemas.avro.ClinicianChannels;
import org.cardiowatch.schemas.avro.NotificationChannel;
import org.cardiowatch.schemas.avro.NotificationPolicy;
import org.cardiowatch.schemas.avro.NotificationRule;
import org.cardiowatch.schemas.avro.OnCallShift;
import org.cardiowatch.schemas.avro.QuietHours;

/**
 * The notification policy and a clinician's channel choice as the API takes them, checked: what is
 * refused says why (a 400 with the reason), and a policy that would leave a critical alert on the
 * dashboard alone is refused.
 */
public final class PolicyRequests {

    static final int MAX_MINUTES = 24 * 60;
    static final int MAX_SHIFTS = 500;
    /** The channels a clinician chooses among; the paging webhook is the hospital's, set by the policy alone. */
    public static final Set<NotificationChannel> PERSONAL = EnumSet.of(NotificationChannel.EMAIL, NotificationChannel.WEB_PUSH);

    public record Rule(String priority, List<String> channels, Integer repeatEveryMinutes) {
    }

    public record Quiet(String from, String to) {
    }

    public record Shift(String clinician, Instant from, Instant to) {
    }

    public record Policy(List<Rule> rules, Quiet quietHours, Integer onCallAfterMinutes, List<Shift> onCall) {
    }

    public record Channels(List<String> channels) {
    }

    private PolicyRequests() {
    }

    /**
     * @param isClinician whether a user name is a physician's or a nurse's (who may be on call)
     * @throws IllegalArgumentException with the reason when the policy is refused
     */
    public static NotificationPolicy policy(String team, Policy request, Predicate<String> isClinician, String setBy,
            Instant setAt) {
        require(team != null && team.matches("[a-z0-9][a-z0-9-]{0,39}"),
                "team must be 1 to 40 lowercase letters, digits or dashes ('default' for the hospital's policy)");
        require(request != null && request.rules() != null, "rules are required");
        List<NotificationRule> rules = new ArrayList<>();
        Set<AlertPriority> seen = EnumSet.noneOf(AlertPriority.class);
        for (int i = 0; i < request.rules().size(); i++) {
            Rule rule = request.rules().get(i);
            String at = "rules[" + i + "]";
            require(rule != null, at + " is empty");
            AlertPriority priority = priority(rule.priority(), at);
            require(seen.add(priority), "rules: one rule per priority (" + priority + " twice)");
            require(rule.repeatEveryMinutes() == null || within(rule.repeatEveryMinutes(), 1, MAX_MINUTES),
                    at + ".repeatEveryMinutes: from 1 to " + MAX_MINUTES + ", or none for no repeat");
            rules.add(NotificationRule.newBuilder().setPriority(priority).setChannels(channels(rule.channels(), at))
                    .setRepeatEveryMinutes(rule.repeatEveryMinutes()).build());
        }
        require(seen.contains(AlertPriority.CRITICAL),
                "rules must have one for CRITICAL: a critical alert must reach someone outside the dashboard");
        QuietHours quiet = null;
        if (request.quietHours() != null) {
            LocalTime from = time(request.quietHours().from(), "quietHours.from");
            LocalTime to = time(request.quietHours().to(), "quietHours.to");
            require(!from.equals(to), "quietHours: from and to must differ");
            quiet = QuietHours.newBuilder().setFrom(from.toString()).setTo(to.toString()).build();
        }
        require(request.onCallAfterMinutes() == null || within(request.onCallAfterMinutes(), 1, MAX_MINUTES),
                "onCallAfterMinutes: from 1 to " + MAX_MINUTES + ", or none for no on-call step");
        List<Shift> shifts = request.onCall() == null ? List.of() : request.onCall();
        require(shifts.size() <= MAX_SHIFTS, "onCall: at most " + MAX_SHIFTS + " shifts");
        List<OnCallShift> roster = new ArrayList<>();
        for (int i = 0; i < shifts.size(); i++) {
            Shift shift = shifts.get(i);
            String at = "onCall[" + i + "]";
            require(shift != null && shift.clinician() != null && isClinician.test(shift.clinician()),
                    at + ".clinician must be a physician's or a nurse's user name");
            require(shift.from() != null && shift.to() != null && shift.from().isBefore(shift.to()),
                    at + ": from and to are required, from before to");
            roster.add(OnCallShift.newBuilder().setClinician(shift.clinician()).setFrom(shift.from()).setTo(shift.to()).build());
        }
        return NotificationPolicy.newBuilder().setTeam(team).setRules(rules).setQuietHours(quiet)
                .setOnCallAfterMinutes(request.onCallAfterMinutes()).setOnCall(roster).setSetBy(setBy).setSetAt(setAt).build();
    }

    /** A clinician's choice of personal channels: one or both of EMAIL and WEB_PUSH. */
    public static ClinicianChannels channels(String clinician, Channels request, Instant setAt) {
        require(request != null && request.channels() != null && !request.channels().isEmpty(),
                "channels: choose at least one of EMAIL, WEB_PUSH (alerts must reach you somewhere)");
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : request.channels()) {
            NotificationChannel channel = channel(name, "channels");
            require(PERSONAL.contains(channel), "channels: " + channel + " is the hospital's, set by the notification policy");
            chosen.add(channel.name());
        }
        return ClinicianChannels.newBuilder().setClinician(clinician).setChannels(List.copyOf(chosen)).setSetAt(setAt).build();
    }

    private static List<String> channels(List<String> names, String at) {
        require(names != null && !names.isEmpty(), at + ".channels: at least one of WEBHOOK, EMAIL, WEB_PUSH");
        Set<String> channels = new LinkedHashSet<>();
        for (String name : names) {
            channels.add(channel(name, at + ".channels").name());
        }
        return List.copyOf(channels);
    }

    private static NotificationChannel channel(String name, String at) {
        for (NotificationChannel channel : NotificationChannel.values()) {
            if (channel.name().equals(name)) {
                return channel;
            }
        }
        throw new IllegalArgumentException(at + ": unknown channel '" + name + "' (WEBHOOK, EMAIL, WEB_PUSH)");
    }

    private static AlertPriority priority(String name, String at) {
        for (AlertPriority priority : AlertPriority.values()) {
            if (priority.name().equals(name)) {
                return priority;
            }
        }
        throw new IllegalArgumentException(at + ".priority must be CRITICAL, WARNING or TECHNICAL");
    }

    private static LocalTime time(String text, String at) {
        try {
            require(text != null && text.matches("\\d{2}:\\d{2}"), at + " must be a time HH:mm");
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + " must be a time HH:mm");
        }
    }

    private static boolean within(int value, int min, int max) {
        return value >= min && value <= max;
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }
}
