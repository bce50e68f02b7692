package de.amtsbote.sandbox.mail;

import de.amtsbote.sandbox.MimeWriting;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Header and body text as the peers write it (RFC 5322, RFC 2047, RFC 2231): one place that strips line breaks from
 * what goes into a header, so that nothing a sender put into a subject or file name can add a header of its own.
 */
final class MimeText {

    static final String CRLF = "\r\n";

    private static final Pattern MESSAGE_ID = Pattern.compile("<[!-;=?-~]{1,250}@[!-;=?-~]{1,250}>");
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private MimeText() {
    }

    /** A header line, folded, ending in CRLF; the value must already be encoded (see {@link #encoded}). */
    static String header(String name, String value) {
        return MimeUtility.fold(0, name + ": " + value) + CRLF;
    }

    /** Free text for a header: one line, RFC 2047 encoded (UTF-8) if it is not plain ASCII. */
    static String encoded(String text) {
        try {
            return MimeUtility.encodeText(oneLine(text), "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** Control characters (CR, LF, ...) become spaces: a header value is one line of text. */
    static String oneLine(String text) {
        return MimeWriting.oneLine(text);
    }

    /** {@code "Stadt Viernheim" <poststelle@viernheim.example>}, the name RFC 2047 encoded where needed. */
    static String mailbox(String address, String name) {
        try {
            return new InternetAddress(address, oneLine(name), "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** The first address of an address header ("Name &lt;a@b&gt;", "&lt;a@b&gt;", "a@b"), lower case, or null. */
    static String address(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            InternetAddress[] all = InternetAddress.parseHeader(header, false);
            if (all.length == 0 || all[0].getAddress() == null) {
                return null;
            }
            String a = all[0].getAddress().trim().toLowerCase(Locale.ROOT);
            return MailPeerConfig.ADDRESS.matcher(a).matches() ? a : null;
        } catch (AddressException e) {
            return null;
        }
    }

    /** A Message-ID as it may be repeated in headers we write ({@code <id@domain>}), or null if it is not one. */
    static String messageId(String header) {
        if (header == null) {
            return null;
        }
        String id = header.trim();
        return MESSAGE_ID.matcher(id).matches() ? id : null;
    }

    static String newMessageId(String domain) {
        return "<" + UUID.randomUUID() + "@" + domain + ">";
    }

    static String date(Instant time) {
        return DATE.format(time);
    }

    static String boundary(String kind) {
        return "----=_Sandbox_" + kind + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** RFC 2231: {@code filename*=UTF-8''Bescheid%20%C3%BCber%20...}. */
    static String rfc2231(String parameter, String value) {
        return MimeWriting.rfc2231(parameter, value);
    }

    static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Text as a quoted-printable body (UTF-8), every line break CRLF, ending in CRLF. */
    static void quotedPrintable(OutputStream out, String text) throws IOException {
        MimeWriting.quotedPrintable(out, text);
    }

    /** Keeps a stream open when a wrapper around it is closed (the shared {@link MimeWriting.NonClosing}). */
    static final class NonClosing extends MimeWriting.NonClosing {
        NonClosing(OutputStream out) {
            super(out);
        }
    }
}
