package org.cardiowatch.schemas.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardiowatch.schemas.avro.AuditEvent;

/**
 * Checks audit chains as read from the audit topic: every chain starts at index 0, has no gap,
 * each event names its predecessor's hash, and each hash matches the event's fields. A removed
 * event shows as a gap (or a chain that starts late), an altered one as a hash that does not match,
 * an altered one re-hashed by the attacker as a broken link to the next event. An exact copy of
 * the event just before (a write sent again after a failure that had in fact landed) is skipped:
 * it hides and changes nothing.
 */
public final class AuditChainVerifier {

    /** The outcome for one chain; {@code problem} is null when the chain is intact. */
    public record ChainReport(String chainId, long events, long lastIndex, String headHash, String problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    private AuditChainVerifier() {
    }

    /** @param events in the order the topic holds them (per chain, that is the order written) */
    public static List<ChainReport> verify(List<AuditEvent> events) {
        Map<String, List<AuditEvent>> chains = new LinkedHashMap<>();
        for (AuditEvent event : events) {
            chains.computeIfAbsent(event.getChainId(), id -> new ArrayList<>()).add(event);
        }
        List<ChainReport> reports = new ArrayList<>();
        chains.forEach((chainId, chain) -> reports.add(verifyChain(chainId, chain)));
        return reports;
    }

    private static ChainReport verifyChain(String chainId, List<AuditEvent> chain) {
        byte[] expectedPrevious = AuditChain.GENESIS;
        long expectedIndex = 0;
        AuditEvent last = null;
        int copies = 0;
        for (AuditEvent event : chain) {
            if (last != null && event.getIndex() == last.getIndex() && event.equals(last)) {
                // An exact copy of the event before it: a batch sent again after a failure that had in fact landed.
                copies++;
                continue;
            }
            last = event;
            String problem = null;
            if (event.getIndex() != expectedIndex) {
                problem = event.getIndex() > expectedIndex
                        ? "events " + expectedIndex + " to " + (event.getIndex() - 1) + " are missing"
                        : "event " + event.getIndex() + " appears again after event " + (expectedIndex - 1);
            } else if (!Arrays.equals(AuditChain.bytes(event.getPreviousHash()), expectedPrevious)) {
                problem = "event " + event.getIndex() + " does not follow event " + (expectedIndex - 1)
                        + ": its previous hash differs (the event before it was altered or replaced)";
            } else if (!Arrays.equals(AuditChain.hashOf(event), AuditChain.bytes(event.getHash()))) {
                problem = "event " + event.getIndex() + " was altered: its hash does not match its fields";
            }
            if (problem != null) {
                return new ChainReport(chainId, chain.size() - copies, event.getIndex(), hex(expectedPrevious), problem);
            }
            expectedPrevious = AuditChain.bytes(event.getHash());
            expectedIndex++;
        }
        return new ChainReport(chainId, chain.size() - copies, expectedIndex - 1, hex(expectedPrevious), null);
    }

    private static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
