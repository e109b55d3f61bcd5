package org.cardiowatch.alerts.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the reference topics and the alert history have been read. */
@Readiness
@ApplicationScoped
public class AlertsReadiness implements HealthCheck {

    private final AlertsRuntime runtime;

    AlertsReadiness(AlertsRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("alerts").status(runtime.isReady()).build();
    }
}
