package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.MessageIds;
import de.amtsbote.adapter.mail.OutboundMail;
import de.amtsbote.crypto.BoundedInputStream;
import de.amtsbote.spi.TransportReceipt;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the machine-readable part of {@code multipart/report} mails: MDNs (RFC 8098,
 * {@code message/disposition-notification}) and DSNs (RFC 3464, {@code message/delivery-status}). Report parts are
 * small; each is read up to {@value #MAX_REPORT_PART} bytes.
 */
final class Reports {

    static final int MAX_REPORT_PART = 64 * 1024;

    private Reports() {
    }

    /** A report that cannot be read; the mail is quarantined as malformed. */
    static final class UnreadableReport extends Exception {
        UnreadableReport(String message) {
            super(message);
        }
    }

    /** What one MDN or one recipient of a DSN says. */
    record Finding(String originalMessageId, String envelopeId, String finalRecipient, TransportReceipt.Event event,
                   String reason, String summary) {
    }

    static boolean isMdn(String reportType) {
        return reportType.equals("disposition-notification") || reportType.equals("global-disposition-notification");
    }

    static boolean isDsn(String reportType) {
        return reportType.equals("delivery-status") || reportType.equals("global-delivery-status");
    }

    /** The report-type of a multipart/report entity, lower case, or null if it is not one. */
    static String reportType(MimePart entity) throws MessagingException {
        String type = entity.getContentType();
        if (type == null) {
            return null;
        }
        jakarta.mail.internet.ContentType ct = new jakarta.mail.internet.ContentType(type);
        if (!ct.match("multipart/report")) {
            return null;
        }
        String rt = ct.getParameter("report-type");
        return rt == null ? "" : rt.toLowerCase(Locale.ROOT);
    }

    /** The findings of a report: one for an MDN, one per recipient block for a DSN (action delayed left out). */
    static List<Finding> read(MimeMessage report, String reportType) throws UnreadableReport, IOException {
        try {
            if (!(report.getContent() instanceof MimeMultipart multipart)) {
                throw new UnreadableReport("the multipart/report has no parts");
            }
            if (isMdn(reportType)) {
                byte[] fields = part(multipart, "message/disposition-notification",
                        "message/global-disposition-notification");
                if (fields == null) {
                    throw new UnreadableReport("the MDN has no message/disposition-notification part");
                }
                return List.of(mdn(fields));
            }
            byte[] status = part(multipart, "message/delivery-status", "message/global-delivery-status");
            if (status == null) {
                throw new UnreadableReport("the DSN has no message/delivery-status part");
            }
            return dsn(status, returnedMessageId(multipart));
        } catch (MessagingException e) {
            throw new UnreadableReport("the report cannot be parsed: " + e.getMessage());
        }
    }

    private static Finding mdn(byte[] fields) throws UnreadableReport, MessagingException {
        InternetHeaders h = headers(fields);
        String original = MessageIds.normalize(h.getHeader("Original-Message-ID", null));
        if (original == null) {
            throw new UnreadableReport("the MDN names no valid Original-Message-ID");
        }
        String finalRecipient = address(h.getHeader("Final-Recipient", null));
        String disposition = h.getHeader("Disposition", null);
        if (disposition == null) {
            throw new UnreadableReport("the MDN has no Disposition field");
        }
        disposition = disposition.replaceAll("\\s+", " ").strip();
        int semicolon = disposition.indexOf(';');
        if (semicolon < 0) {
            throw new UnreadableReport("the MDN's Disposition '" + disposition + "' has no disposition type");
        }
        String type = disposition.substring(semicolon + 1).strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        String base = (slash < 0 ? type : type.substring(0, slash)).strip();
        TransportReceipt.Event event;
        String reason = null;
        switch (base) {
            case "displayed" -> event = TransportReceipt.Event.RETRIEVED;
            case "processed", "dispatched" -> event = TransportReceipt.Event.DELIVERED;
            case "deleted" -> {
                event = TransportReceipt.Event.FAILED;
                reason = "the recipient's mail system reports the message deleted (Disposition: " + disposition
                        + ")";
            }
            default -> throw new UnreadableReport("the MDN's disposition type '" + base + "' is not one of"
                    + " displayed, processed, dispatched, deleted");
        }
        return new Finding(original, null, finalRecipient, event, reason, "MDN " + disposition);
    }

    private static List<Finding> dsn(byte[] status, String returnedMessageId) throws UnreadableReport,
            MessagingException {
        List<byte[]> blocks = blocks(status);
        if (blocks.size() < 2) {
            throw new UnreadableReport("the DSN has no per-recipient fields");
        }
        InternetHeaders perMessage = headers(blocks.get(0));
        String envid = perMessage.getHeader("Original-Envelope-Id", null);
        String envelopeId = envid == null ? null : OutboundMail.unXtext(envid.strip());
        List<Finding> findings = new ArrayList<>();
        for (byte[] block : blocks.subList(1, blocks.size())) {
            InternetHeaders r = headers(block);
            String action = r.getHeader("Action", null);
            if (action == null) {
                throw new UnreadableReport("a DSN recipient block has no Action");
            }
            action = action.strip().toLowerCase(Locale.ROOT);
            String recipient = address(r.getHeader("Final-Recipient", null));
            String statusCode = r.getHeader("Status", null);
            String diagnostic = r.getHeader("Diagnostic-Code", null);
            TransportReceipt.Event event;
            String reason = null;
            switch (action) {
                case "delivered", "expanded" -> event = TransportReceipt.Event.DELIVERED;
                case "relayed" -> event = TransportReceipt.Event.DISPATCHED;
                case "failed" -> {
                    event = TransportReceipt.Event.FAILED;
                    reason = "delivery to " + (recipient == null ? "the recipient" : recipient) + " failed"
                            + (statusCode == null ? "" : " (status " + statusCode.strip() + ")")
                            + (diagnostic == null ? "" : ": " + diagnostic.replaceAll("\\s+", " ").strip());
                }
                case "delayed" -> {
                    // a warning that the relay keeps trying: no change of state, nothing to record
                    continue;
                }
                default -> throw new UnreadableReport("the DSN's action '" + action + "' is not one of failed,"
                        + " delayed, delivered, relayed, expanded");
            }
            findings.add(new Finding(returnedMessageId, envelopeId, recipient, event, reason, "DSN action " + action
                    + (statusCode == null ? "" : " " + statusCode.strip())));
        }
        return findings;
    }

    /** The Message-ID in the returned headers or message of a DSN (RET=HDRS or FULL), or null. */
    private static String returnedMessageId(MimeMultipart multipart) throws MessagingException, UnreadableReport {
        byte[] headers = part(multipart, "text/rfc822-headers", "message/rfc822", "message/rfc822-headers",
                "message/global-headers", "message/global");
        if (headers == null) {
            return null;
        }
        return MessageIds.normalize(headers(headers).getHeader("Message-ID", null));
    }

    /** The address of an {@code rfc822;addr} field, or null. */
    static String address(String field) {
        if (field == null) {
            return null;
        }
        String v = field.strip();
        int semicolon = v.indexOf(';');
        if (semicolon >= 0) {
            v = v.substring(semicolon + 1).strip();
        }
        if (v.startsWith("<") && v.endsWith(">")) {
            v = v.substring(1, v.length() - 1);
        }
        var check = MailAddresses.check(v);
        return check.isValid() ? check.normalized() : null;
    }

    /** The decoded content of the first part of one of these types, at most {@value #MAX_REPORT_PART} bytes. */
    private static byte[] part(MimeMultipart multipart, String... types) throws MessagingException, UnreadableReport {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart p = multipart.getBodyPart(i);
            for (String t : types) {
                if (p.isMimeType(t)) {
                    try (InputStream in = new BoundedInputStream(MimeUtility.decode(
                            raw((MimePart) p), encoding(p)), MAX_REPORT_PART,
                            "the " + t + " part", true)) {
                        return in.readAllBytes();
                    } catch (IOException e) {
                        throw new UnreadableReport("the " + t + " part cannot be read: " + e.getMessage());
                    }
                }
            }
        }
        return null;
    }

    /** The part's body as it is in the mail, before transfer decoding. */
    static InputStream raw(MimePart part) throws MessagingException {
        if (part instanceof jakarta.mail.internet.MimeBodyPart b) {
            return b.getRawInputStream();
        }
        return ((MimeMessage) part).getRawInputStream();
    }

    private static String encoding(Part p) throws MessagingException {
        String e = ((MimePart) p).getEncoding();
        return e == null ? "7bit" : e;
    }

    private static InternetHeaders headers(byte[] block) throws MessagingException {
        byte[] terminated = new byte[block.length + 4];
        System.arraycopy(block, 0, terminated, 0, block.length);
        terminated[block.length] = '\r';
        terminated[block.length + 1] = '\n';
        terminated[block.length + 2] = '\r';
        terminated[block.length + 3] = '\n';
        return new InternetHeaders(new ByteArrayInputStream(terminated), true);
    }

    /** Splits a delivery-status body into its blank-line separated field blocks. */
    private static List<byte[]> blocks(byte[] status) {
        String text = new String(status, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<byte[]> blocks = new ArrayList<>();
        for (String block : text.split("\n[ \t]*\n")) {
            if (!block.isBlank()) {
                blocks.add(block.strip().replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return blocks;
    }
}
