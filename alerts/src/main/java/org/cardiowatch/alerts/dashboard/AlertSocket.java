package org.cardiowatch.alerts.dashboard;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.schemas.avro.AuditOutcome;

/**
 * The dashboard's live alert feed. Signing in is required for the upgrade; the connection
 * remembers who opened it, and {@link AlertPush} sends each alert only to its recipients.
 */
@WebSocket(path = "/ws/alerts")
@Authenticated
public class AlertSocket {

    static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("cw-user");

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditLog audit;

    @OnOpen
    String onOpen(WebSocketConnection connection) {
        audit.record(identity.getPrincipal().getName(), AuditLog.roleName(identity), "alert.stream.open", null,
                "/ws/alerts", AuditOutcome.ALLOWED, null);
        connection.userData().put(USER, identity.getPrincipal().getName());
        return "{\"type\":\"hello\",\"user\":\"" + identity.getPrincipal().getName().replace("\"", "") + "\"}";
    }
}
