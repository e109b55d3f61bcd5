package org.cardiowatch.alerts.security;

import io.quarkus.runtime.Startup;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Refuses to start without a server certificate. Without one Quarkus would open no HTTPS port and
 * redirect every plain request to it: a service that answers nothing, or, with redirects turned
 * off, patient data in the clear. Saying which setting is missing is quicker to act on.
 */
@Startup
@ApplicationScoped
public class HttpsCheck {

    @Inject
    TlsConfigurationRegistry tls;

    @PostConstruct
    void check() {
        require(tls.getDefault());
    }

    static void require(Optional<TlsConfiguration> configuration) {
        if (configuration.map(TlsConfiguration::getKeyStore).isEmpty()) {
            throw new IllegalStateException("CW_TLS_KEY_STORE is not set: the alerts service serves the dashboard and"
                    + " its API over HTTPS only; give it a PKCS12 key store with its server certificate and key"
                    + " (and CW_TLS_KEY_STORE_PASSWORD). The local stack issues one from its authority.");
        }
    }
}
