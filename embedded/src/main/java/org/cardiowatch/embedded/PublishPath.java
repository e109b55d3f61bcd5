package org.cardiowatch.embedded;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;

/**
 * What a broker runs in its publish path (the ingest), one interceptor per client connection, so
 * that what lives as long as a connection can live in its interceptor, and the interceptor can end
 * its connection.
 */
@FunctionalInterface
public interface PublishPath {

    /**
     * The interceptor of a new connection.
     *
     * @param clientId the connection's MQTT client id
     * @param disconnect ends this connection with 0x89 Server busy: the device reconnects and sends
     *     again what had no PUBACK
     */
    PublishInboundInterceptor forConnection(String clientId, Runnable disconnect);
}
