package org.cardiowatch.fhir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cardiowatch.schemas.topics.CommittingBatchConsumer;
import org.cardiowatch.schemas.topics.Topics;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes new alerts (DetectedIssue), what clinicians did with them (Communication) and
 * per-minute vitals (vital-signs Observations) to a hospital's FHIR server, at least once: one
 * transaction Bundle of PUTs per batch, offsets committed only after the server took it, retried
 * from Kafka while the server is down or busy. Ids derive from the records, so a batch sent
 * again overwrites what it wrote: nothing doubles. Records of an erased patient still in the
 * topics are never sent.
 *
 * <p>A batch the server refuses as invalid (HTTP 400 or 422) is split in halves and sent again
 * until the record it refuses stands alone; that record is logged (its position, never its
 * content) and skipped rather than retried forever, so one bad record neither stops every
 * patient's push nor takes the rest of its batch with it. Any other answer but success (a refused
 * token, a busy or failing server) is retried until it succeeds.
 */
public final class FhirPush implements AutoCloseable {

    /** The consumer group: one per FHIR server pushed to. */
    public static final String GROUP = "cw-fhir-push";
    private static final Logger LOG = LoggerFactory.getLogger(FhirPush.class);
    private static final int MAX_BATCH = 500;

    private final URI base;
    private final Optional<String> bearerToken;
    private final HttpClient http;
    private final Duration timeout;
    private final CommittingBatchConsumer consumer;
    private final AtomicLong pushedResources = new AtomicLong();
    private final AtomicLong refusedResources = new AtomicLong();
    private final Predicate<String> erased;

    /**
     * @param base the FHIR server's base URL, such as {@code https://fhir.example.org/fhir}
     * @param bearerToken sent as {@code Authorization: Bearer …} when present
     * @param erased whether a patient id is an erased patient's ({@code ErasedPatients::isErased})
     */
    public FhirPush(String bootstrapServers, Map<String, Object> clientConfig, String groupId, URI base,
            Optional<String> bearerToken, Duration timeout, Duration retryPause, Predicate<String> erased) {
        this.base = base;
        this.erased = erased;
        this.bearerToken = bearerToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.consumer = new CommittingBatchConsumer("fhir-push", bootstrapServers, clientConfig, groupId,
                List.of(Topics.ALERTS.name(), Topics.ALERT_ACTIONS.name(), Topics.VITALS_1M.name()), MAX_BATCH,
                this::push, retryPause);
    }

    public FhirPush start() {
        consumer.start();
        return this;
    }

    /** Resources the server took (a resource sent again after a retry counts again). */
    public long pushedResources() {
        return pushedResources.get();
    }

    /** Resources of the records the server refused as invalid, and skipped. */
    public long refusedResources() {
        return refusedResources.get();
    }

    /** Batches that failed and were read again from Kafka. */
    public long failedBatches() {
        return consumer.failedBatches();
    }

    public boolean isServerUp() {
        return consumer.isSinkUp();
    }

    /** The batch as FHIR resources: the latest version of each (a transaction may name a resource once). */
    static Bundle transaction(List<ConsumerRecord<String, byte[]>> batch) {
        Map<String, Resource> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.value() == null) {
                continue;
            }
            List<? extends Resource> resources;
            try {
                resources = resources(record);
            } catch (RuntimeException e) {
                // Unreadable: sending it again would stop every patient's push behind it.
                LOG.warn("Skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getClass().getSimpleName());
                continue;
            }
            for (Resource resource : resources) {
                String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                latest.remove(key);
                latest.put(key, resource);
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        latest.forEach((url, resource) -> bundle.addEntry().setFullUrl(url).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(url));
        return bundle;
    }

    private static List<? extends Resource> resources(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(Topics.ALERTS.name())) {
            return List.of(AlertResources.detectedIssue(
                    Topics.ALERTS.decode(record.value()), null, null));
        }
        if (topic.equals(Topics.ALERT_ACTIONS.name())) {
            return List.of(AlertResources.communication(
                    Topics.ALERT_ACTIONS.decode(record.value())));
        }
        return VitalSignsObservations.of(Topics.VITALS_1M.decode(record.value()));
    }

    private void push(List<ConsumerRecord<String, byte[]>> batch) {
        pushOrSplit(batch.stream().filter(record -> !erased.test(record.key())).toList());
    }

    /**
     * Sends the records as one transaction. One the server refuses as invalid is split in halves
     * until the refused record stands alone, which is skipped: the others of its batch still go.
     */
    private void pushOrSplit(List<ConsumerRecord<String, byte[]>> records) {
        Bundle bundle = transaction(records);
        if (bundle.getEntry().isEmpty()) {
            return;
        }
        int status = send(bundle);
        if (status / 100 == 2) {
            pushedResources.addAndGet(bundle.getEntry().size());
        } else if ((status == 400 || status == 422) && records.size() > 1) {
            int half = records.size() / 2;
            pushOrSplit(records.subList(0, half));
            pushOrSplit(records.subList(half, records.size()));
        } else if (status == 400 || status == 422) {
            ConsumerRecord<String, byte[]> refused = records.get(0);
            refusedResources.addAndGet(bundle.getEntry().size());
            LOG.warn("The FHIR server refused the {} resources of {}-{}@{} as invalid (HTTP {}); skipped",
                    bundle.getEntry().size(), refused.topic(), refused.partition(), refused.offset(), status);
        } else {
            throw new FhirServerUnavailable("FHIR server answered HTTP " + status);
        }
    }

    private int send(Bundle bundle) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base).timeout(timeout)
                .header("Content-Type", FhirJson.MEDIA_TYPE).header("Accept", FhirJson.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(FhirJson.write(bundle)));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new FhirServerUnavailable("FHIR server unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirServerUnavailable("Interrupted");
        }
    }

    /** The server could not take a batch now; it is sent again. */
    static final class FhirServerUnavailable extends RuntimeException {
        FhirServerUnavailable(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
