package org.cardiowatch.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * A hospital's FHIR server for the tests: HAPI FHIR's plain RestfulServer in Jetty, taking
 * transaction Bundles of PUTs into memory. It can be stopped and started again on the same port,
 * keeping what it stored, to play an outage.
 */
final class InMemoryFhirServer implements AutoCloseable {

    private final int port;
    private final Map<String, Resource> stored = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final java.util.Set<String> invalid = ConcurrentHashMap.newKeySet();
    private Server jetty;

    InMemoryFhirServer(int port) {
        this.port = port;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port + "/fhir");
    }

    synchronized InMemoryFhirServer start() throws Exception {
        RestfulServer fhir = new RestfulServer(FhirJson.R4);
        fhir.registerProvider(new TransactionProvider());
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(fhir), "/fhir/*");
        jetty = new Server(port);
        jetty.setHandler(context);
        jetty.start();
        return this;
    }

    synchronized void stop() throws Exception {
        jetty.stop();
    }

    /** What the server holds now, by "Type/id". */
    Map<String, Resource> stored() {
        return Map.copyOf(stored);
    }

    long count(String type) {
        return stored.keySet().stream().filter(key -> key.startsWith(type + "/")).count();
    }

    /** Refuses, as a real server's validation would, every transaction holding this resource ("Type/id"): HTTP 422. */
    void refuse(String url) {
        invalid.add(url);
    }

    /** Every PUT taken, counting one sent again. */
    int puts() {
        return puts.get();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** The system-level transaction operation: each entry a PUT by id. */
    public final class TransactionProvider {

        @Transaction
        public Bundle transaction(@TransactionParam Bundle bundle) {
            Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
            // A transaction is all or nothing: one invalid entry refuses the whole bundle.
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (invalid.contains(entry.getRequest().getUrl())) {
                    throw new ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException(
                            entry.getRequest().getUrl() + " is invalid");
                }
            }
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getRequest().getMethod() != Bundle.HTTPVerb.PUT) {
                    throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException("Only PUT is taken here");
                }
                stored.put(entry.getRequest().getUrl(), entry.getResource());
                puts.incrementAndGet();
                response.addEntry().getResponse().setStatus("200 OK").setLocation(entry.getRequest().getUrl());
            }
            return response;
        }
    }
}
