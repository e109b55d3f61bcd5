package org.cardiowatch.alerts.routing;

import org.cardiowatch.alerts.security.Role;
import org.cardiowatch.schemas.avro.CareTeam;

/**
 * Who may see and act on a patient: the treating physician and the team's nurses always; the
 * backup physician only while an alert of that patient is escalated to them (least privilege:
 * covering for a colleague is not a standing right to the record). Admins manage reference data
 * and auditors read the audit trail; neither sees patient data.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /** @param escalatedToThem an open alert of this patient is escalated to this user */
    public static boolean mayAccess(String username, Role role, CareTeam team, boolean escalatedToThem) {
        if (team == null || username == null || role == null || role == Role.ADMIN || role == Role.AUDITOR) {
            return false;
        }
        return username.equals(team.getTreatingPhysician())
                || team.getNurses().contains(username)
                || escalatedToThem && username.equals(team.getBackupPhysician());
    }
}
