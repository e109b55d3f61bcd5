package org.cardiowatch.alerts.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import org.cardiowatch.alerts.audit.AuditLog;
import org.cardiowatch.alerts.config.AlertsRuntime;
import org.cardiowatch.alerts.messaging.AlertRecord;
import org.cardiowatch.alerts.routing.AlertRouting;
import org.cardiowatch.schemas.avro.CareTeam;
import org.cardiowatch.schemas.avro.Patient;
import org.jboss.logging.Logger;

/** Pushes every change of an alert to the open dashboards of its recipients, and nobody else's. */
@Startup
@ApplicationScoped
public class AlertPush {

    private static final Logger LOG = Logger.getLogger(AlertPush.class);

    private final AlertsRuntime runtime;
    private final OpenConnections connections;
    private final ObjectMapper json;
    private final AuditLog audit;

    AlertPush(AlertsRuntime runtime, OpenConnections connections, ObjectMapper json, AuditLog audit) {
        this.runtime = runtime;
        this.connections = connections;
        this.json = json;
        this.audit = audit;
    }

    @PostConstruct
    void register() {
        runtime.board().onChange(this::push);
    }

    void push(AlertRecord record) {
        CareTeam team = runtime.careTeams().get(record.patientId()).orElse(null);
        Set<String> recipients = AlertRouting.recipients(team, record.isEscalated());
        if (recipients.isEmpty()) {
            return;
        }
        String name = runtime.patients().get(record.patientId()).map(Patient::getDisplayName).orElse(record.patientId());
        String message;
        try {
            message = json.writeValueAsString(Map.of("type", "alert", "alert", AlertView.of(record, name)));
        } catch (JsonProcessingException e) {
            LOG.errorf("Cannot encode an alert for the dashboard: %s", e.getOriginalMessage());
            return;
        }
        for (WebSocketConnection connection : connections) {
            String user = connection.userData().get(AlertSocket.USER);
            if (recipients.contains(user)) {
                // Handed to the audit and not waited for: an alarm never waits on the audit trail.
                audit.recordAlarmPush(user, record.patientId(), "/ws/alerts#" + record.id());
                connection.sendText(message).subscribe().with(sent -> { },
                        error -> LOG.debugf("Dashboard push failed: %s", error.toString()));
            }
        }
    }
}
