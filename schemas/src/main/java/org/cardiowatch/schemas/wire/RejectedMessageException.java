package org.cardiowatch.schemas.wire;

import org.cardiowatch.schemas.avro.RejectionReason;

/**
 * A device message that must be refused, with the reason code that goes to cw.ingest.rejected.
 * The detail names the failed check; it never carries payload content.
 */
public final class RejectedMessageException extends Exception {

    private final RejectionReason reason;

    public RejectedMessageException(RejectionReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public RejectedMessageException(RejectionReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
