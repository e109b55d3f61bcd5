package org.cardiowatch.alerts.notify;

/** One channel that tells a clinician of an alert: the paging webhook, e-mail, Web Push. */
public interface NotificationSender {

    /** How a send ended. */
    enum Outcome { ACCEPTED, TRY_AGAIN, REFUSED }

    /** An outcome and what the receiver said (its status, or the failure), for the record and the log. */
    record Result(Outcome outcome, String detail) {
    }

    /**
     * Sends the notifications of the group (one patient, one recipient) as one message: accepted
     * (delivered to the channel), worth trying again (the receiver is away or busy), or refused for
     * good (trying again would not change it).
     */
    Result send(NotificationGroup group);

    /** Whether this channel can reach the clinician (e-mail: only those with an address). */
    default boolean reaches(String clinician) {
        return true;
    }
}
