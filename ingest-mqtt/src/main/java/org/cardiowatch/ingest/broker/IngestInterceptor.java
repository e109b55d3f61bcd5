package org.cardiowatch.ingest.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardiowatch.embedded.PublishPath;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.ingest.kafka.IngestMetrics;
import org.cardiowatch.ingest.kafka.IngestProducer;
import org.cardiowatch.ingest.validation.MessageInspector;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest in the MQTT broker's publish path (a HiveMQ extension interceptor, the SDK HiveMQ CE
 * and HiveMQ Enterprise share). Each publish is checked ({@link MessageInspector}) and written to
 * Kafka, and only then answered: the device's PUBACK is a success once Kafka has the record
 * ({@link SuccessPuback}), a failure reason code naming the CardioWatch reason when the message is
 * refused (the refusal is in cw.ingest.rejected first), and {@code 0x80 KAFKA_UNAVAILABLE} when
 * Kafka did not take it within {@code kafkaTimeout}, which the device answers by sending it again.
 * No device's message ever reaches an MQTT subscriber: the broker's queues, the ceiling of the former
 * subscribing bridge, are not on the path. A connection with more than
 * {@value #UNSETTLED_PER_CONNECTION} publishes not answered with success is ended
 * ({@link UnsettledPublishes}).
 */
public final class IngestInterceptor implements PublishPath, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestInterceptor.class);
    /**
     * Publishes a connection may have that were not answered with success before it is ended
     * ({@link UnsettledPublishes}): about 56 KB of the broker's heap.
     */
    public static final int UNSETTLED_PER_CONNECTION = 1_000;

    private final MessageInspector inspector;
    private final IngestProducer producer;
    private final IngestMetrics metrics;
    private final Duration kafkaTimeout;
    private final ExecutorService[] lanes;
    private final int unsettledPerConnection;
    /** Publishes taken and not yet answered: bounded by each device's receive maximum. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param kafkaTimeout how long a device's publish waits for Kafka before a failure PUBACK
     * @param lanes threads that check and send; each device always uses the same one
     */
    public IngestInterceptor(MessageInspector inspector, IngestProducer producer, IngestMetrics metrics,
            Duration kafkaTimeout, int lanes) {
        this(inspector, producer, metrics, kafkaTimeout, lanes, UNSETTLED_PER_CONNECTION);
    }

    /** As above, ending a connection past {@code unsettledPerConnection} publishes not answered with success. */
    public IngestInterceptor(MessageInspector inspector, IngestProducer producer, IngestMetrics metrics,
            Duration kafkaTimeout, int lanes, int unsettledPerConnection) {
        this.unsettledPerConnection = unsettledPerConnection;
        this.inspector = inspector;
        this.producer = producer;
        this.metrics = metrics;
        this.kafkaTimeout = kafkaTimeout;
        this.lanes = new ExecutorService[lanes];
        for (int i = 0; i < lanes; i++) {
            String name = "cw-ingest-lane-" + i;
            this.lanes[i] = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    @Override
    public PublishInboundInterceptor forConnection(String clientId, Runnable disconnect) {
        UnsettledPublishes unsettled = new UnsettledPublishes(unsettledPerConnection, () -> {
            metrics.connectionEnded();
            // The client id is the device id: no patient data.
            LOG.warn("Ending the MQTT connection of client {}: over {} of its messages not stored (refused, or"
                    + " Kafka away); it reconnects and sends again", clientId, unsettledPerConnection);
            disconnect.run();
        });
        return (input, output) -> onInboundPublish(input, output, unsettled);
    }

    private void onInboundPublish(PublishInboundInput input, PublishInboundOutput output,
            UnsettledPublishes unsettled) {
        unsettled.received();
        long arrived = System.nanoTime();
        PublishPacket packet = input.getPublishPacket();
        String topic = packet.getTopic();
        byte[] payload = payloadOf(packet);
        String certified = certifiedIdentity(packet);
        Async<PublishInboundOutput> async = output.async(kafkaTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR, PubackReason.KAFKA_UNAVAILABLE);
        inFlight.incrementAndGet();
        try {
            // Never on the broker's own thread: a Kafka producer can block (no metadata, full buffer),
            // and a blocked broker thread answers no device at all.
            laneOf(input.getClientInformation().getClientId())
                    .execute(() -> ingest(topic, payload, certified, output, async, unsettled, arrived));
        } catch (RejectedExecutionException closing) {
            answerUnavailable(output, async);
        }
    }

    private void ingest(String topic, byte[] payload, String certified, PublishInboundOutput output,
            Async<PublishInboundOutput> async, UnsettledPublishes unsettled, long arrived) {
        IngestDecision decision;
        try {
            decision = inspector.inspect(topic, payload, certified);
        } catch (RuntimeException e) {
            LOG.error("The ingest checks failed on a message ({}); the device is told to send it again",
                    e.getClass().getSimpleName());
            answerUnavailable(output, async);
            return;
        }
        producer.send(decision).whenComplete((written, error) -> {
            if (error != null) {
                metrics.kafkaFailed();
                LOG.warn("Kafka did not take a record ({}); the device is told to send it again",
                        error.getClass().getSimpleName());
                answerUnavailable(output, async);
                return;
            }
            inspector.written(decision);
            metrics.written(decision);
            try {
                // Past the timeout the broker has answered a failure already, whatever this answer says.
                if (answer(output, decision) && System.nanoTime() - arrived < kafkaTimeout.toNanos()) {
                    unsettled.succeeded();
                }
            } catch (UnsupportedOperationException alreadyAnswered) {
                // The timeout answered first (a failure PUBACK); the record reached Kafka anyway, and the
                // device's second copy is told apart by its sequence number.
            } finally {
                done(async);
            }
        });
    }

    private void answerUnavailable(PublishInboundOutput output, Async<PublishInboundOutput> async) {
        try {
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, PubackReason.KAFKA_UNAVAILABLE);
        } catch (UnsupportedOperationException alreadyAnswered) {
            // The timeout answered first, with the same failure.
        } finally {
            done(async);
        }
    }

    private void done(Async<PublishInboundOutput> async) {
        inFlight.decrementAndGet();
        async.resume();
    }

    /** Publishes taken and not yet answered (each waits for its checks and Kafka). */
    public int inFlight() {
        return inFlight.get();
    }

    /** One lane per device (by client id): a device's messages are checked in the order it sent them. */
    private ExecutorService laneOf(String clientId) {
        return lanes[Math.floorMod(clientId.hashCode(), lanes.length)];
    }

    /** Stops taking messages; those in the lanes are still answered. */
    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
    }

    /** @return whether the answer is a success */
    private static boolean answer(PublishInboundOutput output, IngestDecision decision) {
        if (decision instanceof IngestDecision.Rejected rejected) {
            IngestRejection rejection = rejected.rejection();
            PubackReason reason = PubackReason.of(rejection.getReason(), rejection.getDetail());
            output.preventPublishDelivery(reason.code(), reason.reasonString());
            return false;
        }
        // Accepted, or a copy Kafka already has: stored. Success, and no subscriber gets it.
        SuccessPuback.answer(output);
        return true;
    }

    private static byte[] payloadOf(PublishPacket packet) {
        ByteBuffer payload = packet.getPayload().orElse(ByteBuffer.allocate(0)).asReadOnlyBuffer();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }

    /** The device id the access extension stamped from the sender's certificate; null when none. */
    private static String certifiedIdentity(PublishPacket packet) {
        List<String> stamps = packet.getUserProperties().getAllForName(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY);
        if (stamps.size() > 1) {
            return "";  // Two stamps: trust neither (the extension writes exactly one).
        }
        return stamps.isEmpty() ? null : stamps.get(0);
    }
}
