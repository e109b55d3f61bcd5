package org.cardiowatch.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker listens and the device and consent registries, the checks' and the broker's, are current. */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

    private final IngestRuntime runtime;

    IngestReadiness(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingest")
                .status(runtime.isReady())
                .withData("inFlight", runtime.inFlight())
                .build();
    }
}
