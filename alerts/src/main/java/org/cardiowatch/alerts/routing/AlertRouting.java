package org.cardiowatch.alerts.routing;

import java.util.LinkedHashSet;
import java.util.Set;
import org.cardiowatch.schemas.avro.CareTeam;

/**
 * Who receives an alert live: the treating physician and the team's nurses from the start, the
 * backup physician once the alert has been escalated to them.
 */
public final class AlertRouting {

    private AlertRouting() {
    }

    public static Set<String> recipients(CareTeam team, boolean escalated) {
        Set<String> recipients = new LinkedHashSet<>();
        if (team == null) {
            return recipients;
        }
        recipients.add(team.getTreatingPhysician());
        recipients.addAll(team.getNurses());
        if (escalated && team.getBackupPhysician() != null) {
            recipients.add(team.getBackupPhysician());
        }
        return recipients;
    }
}
