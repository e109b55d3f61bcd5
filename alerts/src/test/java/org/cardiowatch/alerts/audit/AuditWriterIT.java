package org.cardiowatch.alerts.audit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.audit.AuditChain;
import org.cardiowatch.schemas.audit.AuditChainVerifier;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit chain written from its own thread against a real Kafka broker, through an outage of
 * Kafka: alarm events are taken at once, requests are refused once too many wait, and the chain
 * comes out gap-free and continues after a restart from its last event.
 */
class AuditWriterIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CHAIN = "alerts-it";

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTheChainGapFreeThroughAnOutageAndNeverHoldAnAlarm() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, FreePorts.next()).createTopics(3);
                TopicWriter writer = new TopicWriter(kafka.bootstrapServers())) {
            try (AuditWriter audit = new AuditWriter(AuditChain.start(CHAIN), writer, 5).start()) {
                for (int i = 0; i < 50; i++) {
                    // As requests do: each waits for its event before answering.
                    audit.submitForRequest(event("patient.read", "p-" + i)).get();
                }

                kafka.stop();
                for (int i = 0; i < 20; i++) {
                    audit.submitForAlarm(event("alert.push", "p-alarm-" + i));
                }
                List<CompletableFuture<Void>> duringOutage = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    duringOutage.add(audit.submitForRequest(event("patient.read", "p-outage-" + i)));
                }
                CompletableFuture<Void> oneTooMany = audit.submitForRequest(event("patient.read", "p-refused"));
                assertThat("the request beyond the queue's room is refused at once", oneTooMany.isCompletedExceptionally(),
                        is(true));
                ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        oneTooMany::get);
                assertThat(refused.getCause(), instanceOf(AuditWriter.AuditUnavailable.class));
                assertThat("the alarms' events wait, taken without waiting", audit.waiting() >= 20, is(true));

                kafka.start();
                CompletableFuture.allOf(duringOutage.toArray(CompletableFuture[]::new)).get();
                await("every alarm's event is stored too").atMost(WAIT).until(() -> audit.waiting() == 0);
            }

            List<AuditEvent> written = readChain(kafka);
            AuditChainVerifier.ChainReport report = AuditChainVerifier.verify(written).get(0);
            assertThat(report.problem(), report.intact(), is(true));
            assertThat("50 before, 20 alarms and 5 requests during the outage; the refused one not at all",
                    report.events(), is(75L));

            AuditEvent last = TopicScan.lastOf(kafka.bootstrapServers(), Map.of(), Topics.AUDIT, CHAIN,
                    e -> CHAIN.equals(e.getChainId()), 10).orElseThrow();
            assertThat("found from the end of the partition, a step of 10 records at a time", last.getIndex(), is(74L));
            try (AuditWriter resumed = new AuditWriter(AuditChain.continueAfter(last), writer, 5).start()) {
                resumed.submitForRequest(event("patient.read", "p-after-restart")).get();
            }
            AuditChainVerifier.ChainReport afterRestart = AuditChainVerifier.verify(readChain(kafka)).get(0);
            assertThat(afterRestart.problem(), afterRestart.intact(), is(true));
            assertThat(afterRestart.lastIndex(), equalTo(75L));
        }
    }

    private static List<AuditEvent> readChain(EmbeddedKafka kafka) {
        return TopicScan.read(kafka.bootstrapServers(), Map.of(), Topics.AUDIT, Instant.EPOCH,
                e -> CHAIN.equals(e.getChainId()), Integer.MAX_VALUE);
    }

    private static AuditEvent.Builder event(String action, String patientId) {
        return AuditEvent.newBuilder().setOccurredAt(Instant.now()).setActor("cardio1").setActorRole("physician")
                .setAction(action).setPatientId(patientId).setTarget("/api/patients/" + patientId)
                .setOutcome(AuditOutcome.ALLOWED);
    }
}
