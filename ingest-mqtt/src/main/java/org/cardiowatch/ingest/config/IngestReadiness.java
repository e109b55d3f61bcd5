package org.cardiowatch.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when connected to every MQTT broker and the device and consent registries are read. */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

    private final IngestRuntime runtime;

    IngestReadiness(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingest-bridge")
                .status(runtime.isReady())
                .withData("inFlight", runtime.inFlight())
                .withData("mqttBrokersConnected", runtime.brokersConnected())
                .build();
    }
}
