package de.amtsbote.adapter.mail;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Writes one outbound mail of the wire contract (see the package documentation) to a stream: the RFC 5322 headers,
 * then the body — sign-then-encrypt ({@code application/pkcs7-mime; smime-type=authEnveloped-data} around a
 * {@code multipart/signed} around a {@code multipart/mixed}), signed only, encrypted only, or the bare
 * {@code multipart/mixed}. Everything written is 7-bit with CRLF line endings: the body text is quoted-printable
 * UTF-8 and every attachment base64, so that no relay rewrites a signed part on the way.
 */
public final class OutboundMail {

    private static final SecureRandom RANDOM = new SecureRandom();
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private OutboundMail() {
    }

    /**
     * Checks everything of the envelope that becomes a header or a MIME parameter, before anything is written, and
     * names what is wrong: a client system must not be able to add headers of its own (RFC 5322 header injection).
     */
    public static void checkHeaderText(OutboundEnvelope envelope) throws PermanentTransportException {
        refuseControl("subject", envelope.subject());
        if (envelope.reference() != null) {
            refuseControl("reference", envelope.reference());
        }
        int n = 0;
        for (OutboundAttachment a : envelope.attachments()) {
            n++;
            refuseControl("file name of attachment " + n, a.fileName());
            refuseControl("media type of attachment " + n, a.mediaType());
            mediaType(a, n);
        }
    }

    private static void refuseControl(String what, String text) throws PermanentTransportException {
        String control = HeaderText.controlCharacter(text);
        if (control != null) {
            throw new PermanentTransportException("the " + what + " contains the control character " + control
                    + " (line breaks and other control characters are not allowed in mail headers)");
        }
    }

    private static String mediaType(OutboundAttachment a, int n) throws PermanentTransportException {
        try {
            ContentType type = new ContentType(a.mediaType());
            if (!a.mediaType().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new ParseException("non-ASCII characters");
            }
            if (type.getParameterList() != null) {
                type.getParameterList().remove("name");
            }
            return type.toString();
        } catch (ParseException e) {
            throw new PermanentTransportException("the media type '" + a.mediaType() + "' of attachment " + n + " ('"
                    + a.fileName() + "') is not a valid type/subtype: " + e.getMessage());
        }
    }

    /**
     * Writes the whole mail to {@code out} and closes it.
     *
     * @param headers   the RFC 5322 header fields, each a complete (folded) line without its CRLF
     * @param signer    signs with the sender's key (with a receipt request when one is asked for), or null
     * @param encryptor encrypts for the recipient, or null
     * @return what was signed, or null when the mail is not signed
     */
    public static SentSignature write(OutputStream out, java.util.List<String> headers, OutboundEnvelope envelope,
                               CmsSigner signer, CmsEncryptor encryptor) throws IOException, PermanentTransportException {
        StringBuilder head = new StringBuilder(1024);
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        ascii(out, head.toString());
        OutputStream target = encryptor == null ? out : SmimeWriter.encrypted(out, encryptor);
        if (signer == null) {
            try (target) {
                writeMixed(target, envelope);
            }
            return null;
        }
        SmimeSigningStream signed = SmimeWriter.multipartSigned(target, signer);
        try (signed) {
            writeMixed(signed, envelope);
        }
        return signed.sentSignature();
    }

    /** The multipart/mixed entity: the body text, then the attachments in submission order. */
    public static void writeMixed(OutputStream out, OutboundEnvelope envelope) throws IOException, PermanentTransportException {
        String boundary = boundary();
        ascii(out, "Content-Type: multipart/mixed;\r\n\tboundary=\"" + boundary + "\"\r\n\r\n"
                + "This is a multi-part message in MIME format.\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        try (InputStream body = envelope.body().open(); OutputStream qp = encoder(out, "quoted-printable")) {
            body.transferTo(qp);
        }
        int n = 0;
        for (OutboundAttachment a : envelope.attachments()) {
            n++;
            ascii(out, "\r\n--" + boundary + "\r\n"
                    + "Content-Type: " + mediaType(a, n) + "\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment" + HeaderText.extendedParameter("filename", a.fileName())
                    + "\r\n\r\n");
            long copied;
            try (InputStream content = a.content().open(); OutputStream b64 = encoder(out, "base64")) {
                copied = content.transferTo(b64);
            }
            if (copied != a.size()) {
                throw new IOException("attachment " + n + " ('" + a.fileName() + "') has " + copied
                        + " bytes in the store, " + a.size() + " were submitted");
            }
        }
        ascii(out, "\r\n--" + boundary + "--\r\n");
    }

    /** A transfer encoder whose close finishes the encoding but keeps {@code out} open. */
    private static OutputStream encoder(OutputStream out, String encoding) throws IOException {
        try {
            return MimeUtility.encode(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, encoding);
        } catch (MessagingException e) {
            throw new IOException("no " + encoding + " encoder: " + e.getMessage(), e);
        }
    }

    public static String date(Instant at) {
        return DATE.format(at);
    }

    public static String boundary() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "----=_Amtsbote_" + HexFormat.of().formatHex(b);
    }

    public static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The Message-ID of a delivery, {@code <local@domain>}: the delivery id itself where it is a valid dot-atom
     * (UUIDs are), else {@code x-} and its UTF-8 in hex, so that it can be read back ({@link #deliveryIdOf}).
     */
    public static String messageId(String deliveryId, String domain) {
        return "<" + localPart(deliveryId) + "@" + domain + ">";
    }

    public static String localPart(String deliveryId) {
        boolean safe = !deliveryId.isEmpty() && deliveryId.length() <= 64 && !deliveryId.startsWith("x-")
                && deliveryId.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
        return safe ? deliveryId : "x-" + HexFormat.of().formatHex(deliveryId.getBytes(StandardCharsets.UTF_8));
    }

    /** The delivery id in a Message-ID written by {@link #messageId}, or null if it is not of that form. */
    public static String deliveryIdOf(String messageId) {
        String id = MessageIds.normalize(messageId);
        if (id == null) {
            return null;
        }
        String local = id.substring(1, id.lastIndexOf('@'));
        if (local.startsWith("x-")) {
            try {
                return new String(HexFormat.of().parseHex(local.substring(2)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return local;
    }

    /** RFC 3461 4 xtext: ENVID and ORCPT values. */
    public static String xtext(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 0x21 && c <= 0x7e && c != '+' && c != '=') {
                b.append((char) c);
            } else {
                b.append('+').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    public static String unXtext(String value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' && i + 2 < value.length()) {
                try {
                    out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the plus
                }
            }
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
