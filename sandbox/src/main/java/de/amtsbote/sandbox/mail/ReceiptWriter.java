package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.MimeText.CRLF;
import static de.amtsbote.sandbox.mail.MimeText.ascii;
import static de.amtsbote.sandbox.mail.MimeText.encoded;
import static de.amtsbote.sandbox.mail.MimeText.header;

import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * Writes the receipts a peer sends, written from RFC 8098 (MDN) and RFC 2634 (ESS signed receipts) and the wire
 * contract in the sandbox's {@code mail-peers.md}:
 *
 * <pre>
 * From, To (the Disposition-Notification-To), Subject, Date, Message-ID, In-Reply-To and References (the original
 * Message-ID), MIME-Version, Auto-Submitted for automatic ones, then either
 *   multipart/signed (application/pkcs7-signature, by the peer's key)
 *     multipart/report; report-type=disposition-notification
 * or (unsigned, weak evidence) the multipart/report itself, which holds
 *   text/plain (for a person), message/disposition-notification (Reporting-UA, Original-Recipient if the message had
 *   one, Final-Recipient, Original-Message-ID, Disposition, Error), text/rfc822-headers (the original's main headers)
 * </pre>
 */
final class ReceiptWriter {

    static final String PRODUCT = "Amtsbote-Sandbox-Mail-Peer/1";

    /** The dispositions a peer reports (RFC 8098 3.2.6). */
    enum Disposition {
        /** On arrival: the message was stored and opened by the recipient's system, not yet shown to a person. */
        PROCESSED("automatic-action/MDN-sent-automatically", "processed", "Eingangsbestätigung"),
        /** The person opened the message. */
        DISPLAYED("manual-action/MDN-sent-manually", "displayed", "Lesebestätigung"),
        /** The message could not be decrypted or verified and was discarded unread; the Error field says why. */
        DELETED_ERROR("automatic-action/MDN-sent-automatically", "deleted/error", "Nicht zustellbar");

        final String mode;
        final String type;
        final String subjectPrefix;

        Disposition(String mode, String type, String subjectPrefix) {
            this.mode = mode;
            this.type = type;
            this.subjectPrefix = subjectPrefix;
        }

        String field() {
            return mode + "; " + type;
        }

        boolean automatic() {
            return mode.startsWith("automatic-action");
        }
    }

    private ReceiptWriter() {
    }

    /**
     * Writes a complete MDN mail to {@code out}. A signed MDN closes {@code out} when it is finished; the caller
     * closes it either way (closing twice is harmless).
     *
     * @param signer null for an unsigned MDN
     * @param error  for {@link Disposition#DELETED_ERROR}: what failed, else null
     */
    static void writeMdn(OutputStream out, MailPeerConfig me, OriginalMessage original, Disposition disposition,
                         String error, CmsSigner signer, String messageId, Instant now) throws IOException {
        ascii(out, header("From", MimeText.mailbox(me.address(), me.name()))
                + header("To", "<" + original.dispositionNotificationTo() + ">")
                + header("Subject", encoded(disposition.subjectPrefix + ": " + original.subject()))
                + header("Date", MimeText.date(now))
                + header("Message-ID", messageId)
                + header("In-Reply-To", original.messageId())
                + header("References", original.messageId())
                + header("MIME-Version", "1.0")
                + (disposition.automatic() ? header("Auto-Submitted", "auto-replied") : ""));
        if (signer == null) {
            writeReport(out, me, original, disposition, error);
        } else {
            // closing the signing stream finishes the signature part (and closes out)
            SmimeSigningStream signed = SmimeWriter.multipartSigned(out, signer);
            try (signed) {
                writeReport(signed, me, original, disposition, error);
            }
        }
    }

    /** The multipart/report entity (its Content-Type header, a blank line, the parts), canonical CRLF. */
    private static void writeReport(OutputStream out, MailPeerConfig me, OriginalMessage original,
                                    Disposition disposition, String error) throws IOException {
        String boundary = MimeText.boundary("Report");
        ascii(out, "Content-Type: multipart/report; report-type=disposition-notification;" + CRLF
                + "\tboundary=\"" + boundary + "\"" + CRLF + CRLF
                + "--" + boundary + CRLF
                + "Content-Type: text/plain; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: quoted-printable" + CRLF + CRLF);
        MimeText.quotedPrintable(out, humanText(me, original, disposition, error));
        StringBuilder fields = new StringBuilder();
        fields.append(header("Reporting-UA", me.domain() + "; " + PRODUCT));
        if (original.originalRecipient() != null) {
            fields.append(header("Original-Recipient", MimeText.oneLine(original.originalRecipient())));
        }
        fields.append(header("Final-Recipient", "rfc822;" + me.address()));
        fields.append(header("Original-Message-ID", original.messageId()));
        fields.append(header("Disposition", disposition.field()));
        if (error != null) {
            fields.append(header("Error", asciiText(error)));
        }
        ascii(out, CRLF + "--" + boundary + CRLF
                + "Content-Type: message/disposition-notification" + CRLF
                + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF
                + fields
                + CRLF + "--" + boundary + CRLF
                + "Content-Type: text/rfc822-headers" + CRLF
                + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF
                + (original.from() == null ? "" : header("From", "<" + original.from() + ">"))
                + header("To", "<" + original.to() + ">")
                + header("Subject", encoded(original.subject()))
                + (original.date() == null ? "" : header("Date", asciiText(original.date())))
                + header("Message-ID", original.messageId())
                + CRLF + "--" + boundary + "--" + CRLF);
    }

    /**
     * Writes a mail carrying an ESS signed receipt (RFC 2634 2.4, application/pkcs7-mime; smime-type=signed-receipt)
     * to {@code to}; {@code out} is closed when the receipt is finished.
     */
    static void writeEssReceipt(OutputStream out, MailPeerConfig me, OriginalMessage original, String to,
                                ReceiptRequested request, CmsSigner signer, String messageId, Instant now)
            throws IOException {
        ascii(out, header("From", MimeText.mailbox(me.address(), me.name()))
                + header("To", "<" + to + ">")
                + header("Subject", encoded("Signierte Empfangsbestätigung: " + original.subject()))
                + header("Date", MimeText.date(now))
                + header("Message-ID", messageId)
                + header("In-Reply-To", original.messageId())
                + header("References", original.messageId())
                + header("MIME-Version", "1.0"));
        SmimeWriter.signedReceipt(out, request, signer);
    }

    private static String humanText(MailPeerConfig me, OriginalMessage original, Disposition disposition,
                                    String error) {
        String what = "„" + MimeText.oneLine(original.subject()) + "“ (" + original.messageId() + ")";
        return switch (disposition) {
            case PROCESSED -> "Ihre Nachricht " + what + " ist im Postfach von " + me.address()
                    + " eingegangen und wurde automatisch verarbeitet. Sie wurde noch nicht geöffnet.\n\n"
                    + "Your message was received and processed automatically; it has not been displayed yet.\n";
            case DISPLAYED -> "Ihre Nachricht " + what + " wurde von " + me.address() + " geöffnet. Das bestätigt "
                    + "nicht, dass der Inhalt gelesen oder verstanden wurde.\n\n"
                    + "Your message was displayed to the recipient. This is no guarantee that it was read or "
                    + "understood.\n";
            case DELETED_ERROR -> "Ihre Nachricht " + what + " konnte von " + me.address() + " nicht geöffnet "
                    + "werden und wurde ungelesen verworfen: " + error + "\n\n"
                    + "Your message could not be opened by the recipient and was discarded unread.\n";
        };
    }

    /** Field text for the report: one line, ASCII only (a non-ASCII character becomes '?'). */
    private static String asciiText(String text) {
        StringBuilder b = new StringBuilder();
        MimeText.oneLine(text).codePoints().forEach(c -> b.append(c < 0x7f ? (char) c : '?'));
        return b.toString();
    }
}
