package org.cardiowatch.schemas.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.AuditEvent;
import org.cardiowatch.schemas.avro.AuditOutcome;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static List<AuditEvent> chainOf(String chainId, int count) {
        AuditChain chain = AuditChain.start(chainId);
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(chain.append(AuditEvent.newBuilder().setOccurredAt(Instant.ofEpochSecond(1_000 + i))
                    .setActor("cardio1").setActorRole("physician").setAction("vitals.read").setPatientId("p-" + i)
                    .setTarget("/api/patients/p-" + i + "/vitals").setOutcome(AuditOutcome.ALLOWED)
                    .setSourceAddress("127.0.0.1")));
        }
        return events;
    }

    @Test
    void shouldFindAnIntactChainIntact() {
        List<AuditChainVerifier.ChainReport> reports = AuditChainVerifier.verify(chainOf("alerts-1", 5));

        assertThat(reports, hasSize(1));
        assertThat(reports.get(0).problem(), nullValue());
        assertThat(reports.get(0).events(), is(5L));
        assertThat(reports.get(0).lastIndex(), is(4L));
    }

    @Test
    void shouldDetectADeletedEvent() {
        List<AuditEvent> events = chainOf("alerts-1", 5);
        events.remove(2);

        AuditChainVerifier.ChainReport report = AuditChainVerifier.verify(events).get(0);

        assertThat(report.intact(), is(false));
        assertThat(report.problem(), containsString("events 2 to 2 are missing"));
    }

    @Test
    void shouldDetectTheFirstEventsCutOff() {
        List<AuditEvent> events = chainOf("alerts-1", 5);

        assertThat(AuditChainVerifier.verify(events.subList(2, 5)).get(0).problem(),
                containsString("events 0 to 1 are missing"));
    }

    @Test
    void shouldDetectAModifiedEvent() {
        List<AuditEvent> events = chainOf("alerts-1", 5);
        events.get(3).setActor("someone-else");

        assertThat(AuditChainVerifier.verify(events).get(0).problem(), containsString("event 3 was altered"));
    }

    @Test
    void shouldDetectAModifiedEventWhoseHashWasRecomputed() {
        List<AuditEvent> events = chainOf("alerts-1", 5);
        AuditEvent forged = events.get(1);
        forged.setPatientId("p-other");
        forged.setHash(ByteBuffer.wrap(AuditChain.hashOf(forged)));

        assertThat(AuditChainVerifier.verify(events).get(0).problem(),
                containsString("event 2 does not follow event 1"));
    }

    @Test
    void shouldVerifyEachWriterChainOnItsOwn() {
        List<AuditEvent> events = new ArrayList<>(chainOf("alerts-1", 3));
        events.addAll(chainOf("alerts-2", 2));
        events.remove(0);

        List<AuditChainVerifier.ChainReport> reports = AuditChainVerifier.verify(events);

        assertThat(reports.get(0).intact(), is(false));
        assertThat(reports.get(1).intact(), is(true));
    }

    @Test
    void shouldLeaveNoGapWhenAnEventIsNeverWritten() {
        AuditChain chain = AuditChain.start("alerts-1");
        List<AuditEvent> stored = new ArrayList<>();
        stored.add(chain.append(draft("p-1")));
        chain.next(draft("p-2")); // the write failed: not confirmed
        AuditEvent retried = chain.next(draft("p-2"));
        chain.written(retried);
        stored.add(retried);

        assertThat(AuditChainVerifier.verify(stored).get(0).intact(), is(true));
    }

    private static AuditEvent.Builder draft(String patientId) {
        return AuditEvent.newBuilder().setOccurredAt(Instant.EPOCH).setActor("cardio1").setAction("patient.read")
                .setPatientId(patientId).setTarget("/api/patients/" + patientId).setOutcome(AuditOutcome.ALLOWED);
    }

    @Test
    void shouldContinueAChainAfterItsLastEvent() {
        List<AuditEvent> first = chainOf("alerts-1", 2);
        AuditChain resumed = AuditChain.continueAfter(first.get(1));
        List<AuditEvent> all = new ArrayList<>(first);
        all.add(resumed.append(AuditEvent.newBuilder(first.get(0))));

        assertThat(AuditChainVerifier.verify(all).get(0).intact(), is(true));
    }

    @Test
    void shouldSkipAnExactCopyOfTheEventBeforeButNotAnEventReplayedLater() {
        List<AuditEvent> events = chainOf("alerts-1", 4);
        List<AuditEvent> retried = new ArrayList<>(events);
        retried.add(2, AuditEvent.newBuilder(events.get(1)).build());
        List<AuditEvent> replayed = new ArrayList<>(events);
        replayed.add(AuditEvent.newBuilder(events.get(1)).build());

        AuditChainVerifier.ChainReport report = AuditChainVerifier.verify(retried).get(0);
        assertThat("a batch sent again after a failure that had landed hides nothing", report.intact(), is(true));
        assertThat(report.events(), is(4L));
        assertThat(AuditChainVerifier.verify(replayed).get(0).problem(), containsString("appears again"));
    }

    @Test
    void shouldBuildABatchThatContinuesTheChainWithoutMovingItUntilWritten() {
        AuditChain chain = AuditChain.start("alerts-1");
        List<AuditEvent.Builder> drafts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            drafts.add(draft("p-" + i));
        }

        List<AuditEvent> batch = chain.nextBatch(drafts);
        List<AuditEvent> again = chain.nextBatch(List.of(draft("p-0"), draft("p-1"), draft("p-2")));
        batch.forEach(chain::written);
        List<AuditEvent> all = new ArrayList<>(batch);
        all.add(chain.append(draft("p-3")));

        assertThat("built again before it is written, the batch is the same", again, org.hamcrest.Matchers.equalTo(batch));
        assertThat(AuditChainVerifier.verify(all).get(0).intact(), is(true));
        assertThat(AuditChainVerifier.verify(all).get(0).lastIndex(), is(3L));
    }
}
