package org.cardiowatch.alerts.notify;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;
import java.net.URI;
import java.time.ZoneId;
import java.util.Map;

/**
 * Sends notifications by e-mail through the hospital's SMTP server (Quarkus Mailer, quarkus.mailer.*,
 * STARTTLS required), to the address of each clinician who has one. A permanent SMTP refusal (5xx)
 * is a refusal of that message; a temporary one (4xx), no connection or a failed TLS handshake is
 * worth trying again.
 */
public final class EmailChannel implements NotificationSender {

    private final Mailer mailer;
    private final Map<String, String> addresses;
    private final URI publicUrl;
    private final ZoneId zone;

    /** @param addresses each clinician's address by user name; see {@link #addresses(Map)} */
    public EmailChannel(Mailer mailer, Map<String, String> addresses, URI publicUrl, ZoneId zone) {
        this.mailer = mailer;
        this.addresses = addresses(addresses);
        this.publicUrl = publicUrl;
        this.zone = zone;
    }

    /** Whether the clinician has an address to be told at. */
    @Override
    public boolean reaches(String clinician) {
        return addresses.containsKey(clinician);
    }

    /**
     * The addresses, checked: each one a single plain address (no name, no list, no line break), so
     * a mistyped setting stops the service at start rather than losing an alarm later.
     */
    static Map<String, String> addresses(Map<String, String> given) {
        given.forEach((clinician, address) -> {
            if (address == null || !address.matches("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
                throw new IllegalArgumentException("cardiowatch.alerts.notifications.email.addresses.\"" + clinician
                        + "\" is not an e-mail address");
            }
        });
        return Map.copyOf(given);
    }

    @Override
    public Result send(NotificationGroup group) {
        String address = addresses.get(group.lead().getRecipient());
        if (address == null) {
            return new Result(Outcome.REFUSED, "no e-mail address for " + group.lead().getRecipient());
        }
        EmailMessage.Parts parts = EmailMessage.of(group, publicUrl, zone);
        try {
            mailer.send(Mail.withText(address, parts.subject(), parts.text()).addHeader("Message-ID", parts.messageId()));
            return new Result(Outcome.ACCEPTED, "SMTP accepted");
        } catch (RuntimeException e) {
            SMTPException refusal = smtpRefusal(e);
            if (refusal != null && refusal.isPermanent()) {
                return new Result(Outcome.REFUSED, "SMTP " + refusal.getReplyCode());
            }
            return new Result(Outcome.TRY_AGAIN, refusal != null ? "SMTP " + refusal.getReplyCode() : rootCause(e));
        }
    }

    /** The failure underneath the wrappers, for the log and the audit trail (it names the server, never the message). */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + (message.length() > 160 ? message.substring(0, 160) : message);
    }

    private static SMTPException smtpRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SMTPException smtp) {
                return smtp;
            }
        }
        return null;
    }
}
