package de.amtsbote.sandbox.mail;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of a peer's log ({@code peer-log.jsonl}). Which fields are set depends on the {@link Event}; the others are
 * null (and left out of the JSON line).
 *
 * @param time                      when it happened
 * @param event                     what happened
 * @param messageId                 the Message-ID of the mail concerned (received, sent, or the receipt sent/received)
 * @param from                      the sender address
 * @param to                        the recipient address
 * @param subject                   the subject, decoded
 * @param encrypted                 RECEIVED: whether the message was encrypted
 * @param decrypted                 RECEIVED: whether it decrypted with the peer's key (null if not encrypted)
 * @param signed                    RECEIVED, RECEIPT_RECEIVED: whether it was signed (null if that could not be seen,
 *                                  because it did not decrypt); RECEIPT_SENT, SENT: whether the peer signed it
 * @param signatureValid            whether every signature verified and every signer certificate validated (null if
 *                                  not signed)
 * @param signer                    the first signer's certificate subject, if any
 * @param signerAddresses           the e-mail addresses that signer certificate names
 * @param readable                  RECEIVED: whether the peer could open it: every S/MIME layer decrypted or verified
 *                                  (an unprotected message is readable, an S/MIME layer that fails is not)
 * @param flags                     legacy algorithms accepted only as flagged, and "no revocation checking" notes
 * @param problem                   what failed, in a sentence, if anything did
 * @param attachments               RECEIVED (when readable), SENT: the attachments with size and SHA-256
 * @param dispositionNotificationTo RECEIVED, SENT: the Disposition-Notification-To address, if any
 * @param essReceiptRequested       RECEIVED, SENT: whether the signature carries an ESS receipt request
 * @param receiptsPlanned           RECEIVED: the receipts the peer will send ("processed", "displayed after PT15S",
 *                                  "ess-signed-receipt after PT15S", "deleted/error"); empty: none
 * @param originalMessageId         RECEIPT_SENT, RECEIPT_FAILED, RECEIPT_RECEIVED, DUPLICATE: the Message-ID the
 *                                  receipt is about
 * @param receipt                   RECEIPT_*: the disposition ("processed", "displayed", "deleted/error"), or
 *                                  "ess-signed-receipt", or "delivery-status" for a DSN; for a received MDN, the
 *                                  whole Disposition field
 * @param matchesSent               RECEIPT_RECEIVED: whether the receipt is about a message this peer sent
 */
public record MailLogEntry(Instant time, Event event, String messageId, String from, String to, String subject,
                           Boolean encrypted, Boolean decrypted, Boolean signed, Boolean signatureValid, String signer,
                           List<String> signerAddresses, Boolean readable, List<String> flags, String problem,
                           List<Attachment> attachments, String dispositionNotificationTo,
                           Boolean essReceiptRequested, List<String> receiptsPlanned, String originalMessageId,
                           String receipt, Boolean matchesSent) {

    /** What a log line records. */
    public enum Event {
        /** A new message arrived in the peer's mailbox and was opened (or failed to open). */
        RECEIVED,
        /** A message arrived whose Message-ID the peer had seen before: logged, never answered again. */
        DUPLICATE,
        /** The peer sent a receipt (MDN or ESS signed receipt) to the gateway. */
        RECEIPT_SENT,
        /** A receipt could not be handed to the gateway after every attempt. */
        RECEIPT_FAILED,
        /** A receipt (MDN, ESS signed receipt, DSN) arrived for the peer. */
        RECEIPT_RECEIVED,
        /** The peer sent a message to a gateway participant. */
        SENT;

        /** The name in the JSON line: {@code received}, {@code receipt-sent}, ... */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Event ofJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * An attachment as the peer saw it, after decoding the transfer encoding.
     *
     * @param name        the file name (RFC 2231 decoded)
     * @param contentType the media type
     * @param size        bytes
     * @param sha256      lower-case hex SHA-256 of the bytes
     */
    public record Attachment(String name, String contentType, long size, String sha256) {
    }

    public MailLogEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        signerAddresses = signerAddresses == null ? List.of() : List.copyOf(signerAddresses);
        flags = flags == null ? List.of() : List.copyOf(flags);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        receiptsPlanned = receiptsPlanned == null ? List.of() : List.copyOf(receiptsPlanned);
    }

    static Builder of(Instant time, Event event) {
        return new Builder(time, event);
    }

    /** Fills a log line field by field; only this package writes them. */
    static final class Builder {
        private final Instant time;
        private final Event event;
        String messageId;
        String from;
        String to;
        String subject;
        Boolean encrypted;
        Boolean decrypted;
        Boolean signed;
        Boolean signatureValid;
        String signer;
        List<String> signerAddresses;
        Boolean readable;
        List<String> flags;
        String problem;
        List<Attachment> attachments;
        String dispositionNotificationTo;
        Boolean essReceiptRequested;
        List<String> receiptsPlanned;
        String originalMessageId;
        String receipt;
        Boolean matchesSent;

        private Builder(Instant time, Event event) {
            this.time = time;
            this.event = event;
        }

        Builder messageId(String v) {
            messageId = v;
            return this;
        }

        Builder from(String v) {
            from = v;
            return this;
        }

        Builder to(String v) {
            to = v;
            return this;
        }

        Builder subject(String v) {
            subject = v;
            return this;
        }

        Builder originalMessageId(String v) {
            originalMessageId = v;
            return this;
        }

        Builder receipt(String v) {
            receipt = v;
            return this;
        }

        Builder problem(String v) {
            problem = v;
            return this;
        }

        Builder signed(Boolean v) {
            signed = v;
            return this;
        }

        MailLogEntry build() {
            return new MailLogEntry(time, event, messageId, from, to, subject, encrypted, decrypted, signed,
                    signatureValid, signer, signerAddresses, readable, flags, problem, attachments,
                    dispositionNotificationTo, essReceiptRequested, receiptsPlanned, originalMessageId, receipt,
                    matchesSent);
        }
    }
}
