package org.cardiowatch.alerts.routing;

import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.CareTeam;

/**
 * Who may see and act on a patient: the members of the patient's care team (treating physician,
 * backup physician, nurses). Admins manage reference data and see no patient data.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static boolean mayAccess(String username, Role role, CareTeam team) {
        if (team == null || username == null || role == Role.ADMIN) {
            return false;
        }
        return username.equals(team.getTreatingPhysician())
                || username.equals(team.getBackupPhysician())
                || team.getNurses().contains(username);
    }
}
