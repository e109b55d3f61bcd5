package org.cardiowatch.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the device and consent registries are current and, in broker mode, the broker's own
 * copy of cw.devices too; in bridge mode, when connected to every MQTT broker.
 */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

    private final IngestRuntime runtime;

    IngestReadiness(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("ingest")
                .status(runtime.isReady())
                .withData("mode", runtime.mode().name().toLowerCase(java.util.Locale.ROOT))
                .withData("inFlight", runtime.inFlight());
        if (runtime.mode() == IngestConfig.Mode.BRIDGE) {
            response.withData("mqttBrokersConnected", runtime.brokersConnected());
        }
        return response.build();
    }
}
