package org.cardiowatch.schemas.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.AuditEvent;

/**
 * One writer's hash chain of audit events. Each event's hash covers the previous event's hash and
 * every field of the event, in a fixed byte layout that does not depend on Avro, so a verifier in
 * any language can recompute it: previous hash (32 bytes), then each field as a 4-byte length and
 * its UTF-8 bytes (length -1 for an absent field), numbers as 8-byte big-endian.
 */
public final class AuditChain {

    public static final int HASH_BYTES = 32;
    public static final byte[] GENESIS = new byte[HASH_BYTES];

    private final String chainId;
    private long nextIndex;
    private byte[] lastHash;

    private AuditChain(String chainId, long nextIndex, byte[] lastHash) {
        this.chainId = chainId;
        this.nextIndex = nextIndex;
        this.lastHash = lastHash;
    }

    /** A chain with no events yet. */
    public static AuditChain start(String chainId) {
        return new AuditChain(chainId, 0, GENESIS.clone());
    }

    /** Continues a chain after its last written event (read back from the audit topic at start). */
    public static AuditChain continueAfter(AuditEvent last) {
        return new AuditChain(last.getChainId(), last.getIndex() + 1, bytes(last.getHash()));
    }

    public String chainId() {
        return chainId;
    }

    /**
     * Gives the draft its chain, index and hashes, without moving the chain on: call
     * {@link #written} once the event is stored, so an event that failed to be written leaves no
     * gap. Callers build, write and confirm under one lock, so the topic holds the chain in order.
     */
    public synchronized AuditEvent next(AuditEvent.Builder draft) {
        draft.setChainId(chainId).setIndex(nextIndex).setPreviousHash(ByteBuffer.wrap(lastHash.clone()))
                .setHash(ByteBuffer.wrap(GENESIS));
        AuditEvent event = draft.build();
        event.setHash(ByteBuffer.wrap(hashOf(event)));
        return event;
    }

    /**
     * The drafts as the chain's next events, in order, without moving the chain on: call
     * {@link #written} for each once they are stored.
     */
    public synchronized List<AuditEvent> nextBatch(List<AuditEvent.Builder> drafts) {
        List<AuditEvent> events = new ArrayList<>(drafts.size());
        long index = nextIndex;
        byte[] previous = lastHash;
        for (AuditEvent.Builder draft : drafts) {
            draft.setChainId(chainId).setIndex(index++).setPreviousHash(ByteBuffer.wrap(previous.clone()))
                    .setHash(ByteBuffer.wrap(GENESIS));
            AuditEvent event = draft.build();
            previous = hashOf(event);
            event.setHash(ByteBuffer.wrap(previous));
            events.add(event);
        }
        return events;
    }

    /** Moves the chain past an event returned by {@link #next} that is now stored. */
    public synchronized void written(AuditEvent event) {
        if (event.getIndex() != nextIndex) {
            throw new IllegalStateException("Audit event " + event.getIndex() + " is not the chain's next (" + nextIndex + ")");
        }
        nextIndex++;
        lastHash = bytes(event.getHash());
    }

    /** {@link #next} and {@link #written} at once, for an event kept in memory. */
    public synchronized AuditEvent append(AuditEvent.Builder draft) {
        AuditEvent event = next(draft);
        written(event);
        return event;
    }

    /** The hash an event must carry, given its fields and its previous hash. */
    public static byte[] hashOf(AuditEvent event) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(bytes(event.getPreviousHash()));
            text(out, event.getChainId());
            out.writeLong(event.getIndex());
            out.writeLong(event.getOccurredAt().toEpochMilli());
            text(out, event.getActor());
            text(out, event.getActorRole());
            text(out, event.getAction());
            text(out, event.getPatientId());
            text(out, event.getTarget());
            text(out, event.getOutcome().name());
            text(out, event.getSourceAddress());
            return MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static void text(DataOutputStream out, CharSequence value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
