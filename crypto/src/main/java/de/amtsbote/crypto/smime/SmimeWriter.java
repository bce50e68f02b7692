package de.amtsbote.crypto.smime;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsReceipts;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.cms.SigningStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Writes S/MIME entities (RFC 8551 3): headers and a base64 body with CRLF line endings and 76-character lines, the
 * CMS streamed through. The caller writes the inner MIME entity (its headers, a blank line, its body, in canonical
 * form with CRLF line endings) to the returned stream and closes it; closing finishes the CMS and the entity and
 * closes {@code out}.
 *
 * <p>Nesting is composition: {@code signed(encrypted(out, e), s)} writes sign-then-encrypt (the signed entity is the
 * inner entity of the encrypted one); {@code encrypted(signed(out, s), e)} writes encrypt-then-sign.
 *
 * <p>Only the S/MIME entity is written; the channel adapter adds the outer mail headers (From, To, MIME-Version, ...).
 */
public final class SmimeWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final SecureRandom RANDOM = new SecureRandom();

    private SmimeWriter() {
    }

    /** An opaque signed entity: application/pkcs7-mime; smime-type=signed-data. */
    public static SmimeSigningStream signed(OutputStream out, CmsSigner signer) throws IOException {
        Objects.requireNonNull(signer, "signer");
        OutputStream body = pkcs7Mime(out, "signed-data", "smime.p7m");
        return new SmimeSigningStream(signer.signEncapsulated(body), null);
    }

    /**
     * A clear-signed entity: multipart/signed with a detached application/pkcs7-signature (RFC 8551 3.5.3). The
     * content written must be canonical (every line break CRLF): a bare LF is refused, because a mail system would
     * not keep it and the signature would break on the way.
     */
    public static SmimeSigningStream multipartSigned(OutputStream out, CmsSigner signer) throws IOException {
        Objects.requireNonNull(out, "out");
        String boundary = "----=_Amtsbote_" + HexFormat.of().formatHex(random(16));
        String micalg = micalg(signer);
        ascii(out, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=" + micalg
                + ";\r\n\tboundary=\"" + boundary + "\"\r\n\r\n"
                + "This is an S/MIME signed message.\r\n\r\n--" + boundary + "\r\n");
        ByteArrayOutputStream signature = new ByteArrayOutputStream(8192);
        SigningStream signing = signer.signDetached(signature);
        return new MultipartSigned(out, signing, signature, boundary);
    }

    /**
     * An encrypted entity: application/pkcs7-mime; smime-type=authEnveloped-data (AES-GCM) or enveloped-data (AES-CBC
     * under a peer exception), as the encryptor's policy decided.
     */
    public static OutputStream encrypted(OutputStream out, CmsEncryptor encryptor) throws IOException {
        Objects.requireNonNull(encryptor, "encryptor");
        OutputStream body = pkcs7Mime(out, encryptor.authenticated() ? "authEnveloped-data" : "enveloped-data",
                "smime.p7m");
        return encryptor.encrypt(body);
    }

    /**
     * A signed receipt entity (RFC 2634 2.4): application/pkcs7-mime; smime-type=signed-receipt, for a message whose
     * signature was verified and that requested a receipt. {@code out} is closed.
     */
    public static SentSignature signedReceipt(OutputStream out, ReceiptRequested request, CmsSigner signer)
            throws IOException {
        OutputStream body = pkcs7Mime(out, "signed-receipt", "smime.p7m");
        return CmsReceipts.writeReceipt(request, signer, body);
    }

    /** The micalg parameter for a signer's digest (RFC 8551 3.5.3.2). */
    static String micalg(CmsSigner signer) {
        return switch (signer.spec().digest()) {
            case SHA256 -> "sha-256";
            case SHA384 -> "sha-384";
            case SHA512 -> "sha-512";
            default -> throw new IllegalStateException("no micalg for " + signer.spec().digest());
        };
    }

    private static OutputStream pkcs7Mime(OutputStream out, String smimeType, String name) throws IOException {
        Objects.requireNonNull(out, "out");
        ascii(out, "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n");
        return base64Body(out);
    }

    /** Base64 in 76-character lines with CRLF, the last line ended too; closing it closes {@code target}. */
    static OutputStream base64Body(OutputStream target) {
        OutputStream encoder = Base64.getMimeEncoder(76, CRLF).wrap(new NonClosing(target));
        return new FilterOutputStream(encoder) {
            private boolean closed;
            private long written;

            @Override
            public void write(int b) throws IOException {
                encoder.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                encoder.write(b, off, len);
                written += len;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try (target) {
                    encoder.close();
                    if (written > 0) {
                        target.write(CRLF);
                    }
                }
            }
        };
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** multipart/signed: the content goes to the entity and the signature; on close the signature part follows. */
    private static final class MultipartSigned extends SmimeSigningStream {
        private final OutputStream entity;
        private final SigningStream signing;
        private final ByteArrayOutputStream signature;
        private final String boundary;

        MultipartSigned(OutputStream entity, SigningStream signing, ByteArrayOutputStream signature, String boundary) {
            super(new CanonicalTee(entity, signing), signing);
            this.entity = entity;
            this.signing = signing;
            this.signature = signature;
            this.boundary = boundary;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (entity) {
                signing.close();
                ascii(entity, "\r\n--" + boundary + "\r\n"
                        + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n");
                OutputStream b64 = base64Body(new NonClosing(entity));
                signature.writeTo(b64);
                b64.close();
                ascii(entity, "--" + boundary + "--\r\n");
            }
        }
    }

    /** Keeps a stream open when a wrapper around it is closed. */
    static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
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

    /** Writes content to the entity and to the signature, refusing a bare LF (the content must be canonical). */
    private static final class CanonicalTee extends OutputStream {
        private final OutputStream entity;
        private final OutputStream signature;
        private int previous = -1;
        private long position;

        CanonicalTee(OutputStream entity, OutputStream signature) {
            this.entity = entity;
            this.signature = signature;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n' && previous != '\r') {
                    throw new IOException("the content of a multipart/signed entity must be canonical: bare LF at byte "
                            + (position + i - off) + " (write CRLF line endings)");
                }
                previous = b[i];
            }
            position += len;
            entity.write(b, off, len);
            signature.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            entity.flush();
        }
    }
}
