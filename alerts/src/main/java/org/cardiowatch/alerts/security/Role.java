package org.cardiowatch.alerts.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Locale;

/**
 * What a signed-in user may do. Clinicians act on their care team's patients; admins on reference
 * data only; auditors read the audit trail only.
 */
public enum Role {
    PHYSICIAN, NURSE, ADMIN, AUDITOR;

    /** The signed-in user's role; null for anyone without one of these roles. */
    public static Role of(SecurityIdentity identity) {
        for (Role role : values()) {
            if (identity.hasRole(role.roleName())) {
                return role;
            }
        }
        return null;
    }

    /** The role name used in {@code @RolesAllowed}. */
    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown role '" + text + "': use physician, nurse, admin or auditor", e);
        }
    }
}
