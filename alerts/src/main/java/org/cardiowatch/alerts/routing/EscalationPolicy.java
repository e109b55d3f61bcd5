package org.cardiowatch.alerts.routing;

import java.time.Duration;
import java.time.Instant;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.CareTeam;

/**
 * An open alert that nobody acknowledged within the timeout goes to the care team's backup
 * physician, once. Informational alerts are not escalated.
 */
public final class EscalationPolicy {

    private final Duration timeout;

    public EscalationPolicy(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @param raisedAt when the alert was raised (its detection time, not the condition's onset)
     * @return the backup physician to escalate to, or null when nothing is due
     */
    public String dueEscalation(Instant raisedAt, AlertSeverity severity, boolean open, boolean acknowledged,
            boolean alreadyEscalated, CareTeam team, Instant now) {
        if (!open || acknowledged || alreadyEscalated || severity == AlertSeverity.INFO
                || team == null || team.getBackupPhysician() == null) {
            return null;
        }
        return Duration.between(raisedAt, now).compareTo(timeout) >= 0 ? team.getBackupPhysician() : null;
    }
}
