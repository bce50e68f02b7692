package de.amtsbote.sandbox;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * MIME text as the sandbox's peers write it (RFC 2045 quoted-printable, RFC 2231 parameters), shared by the mail
 * peers and the De-Mail provider so that both write bodies and file names the same way.
 */
public final class MimeWriting {

    public static final String CRLF = "\r\n";

    private MimeWriting() {
    }

    /** Control characters (CR, LF, ...) become spaces: a header value is one line of text. */
    public static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? ' ' : c));
        return b.toString();
    }

    /** RFC 2231: {@code filename*=UTF-8''Bescheid%20%C3%BCber%20...}. */
    public static String rfc2231(String parameter, String value) {
        StringBuilder b = new StringBuilder(parameter).append("*=UTF-8''");
        for (byte x : oneLine(value).getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return b.toString();
    }

    /** Text as a quoted-printable body (UTF-8), every line break CRLF, ending in CRLF. */
    public static void quotedPrintable(OutputStream out, String text) throws IOException {
        String canonical = text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", CRLF);
        if (!canonical.endsWith(CRLF)) {
            canonical += CRLF;
        }
        try {
            OutputStream qp = MimeUtility.encode(new NonClosing(out), "quoted-printable");
            qp.write(canonical.getBytes(StandardCharsets.UTF_8));
            qp.flush();
        } catch (MessagingException e) {
            throw new IOException("quoted-printable encoding is not available", e);
        }
    }

    /** Keeps a stream open when a wrapper around it is closed. */
    public static class NonClosing extends FilterOutputStream {
        public NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
