package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code X-de-mail-integrity} field (TR 01201-3.4 §3.1.13/§3.1.21, DKIM-style; wire contract section 3), written
 * by the sandbox provider from the contract alone. Header canonicalisation is DKIM <em>simple</em>: the first field of
 * each signed name exactly as it stands, CRLF after each, then the integrity field itself with the value of its
 * {@code b=} tag deleted and no CRLF. Body: DKIM <em>simple</em>, see {@link BodyHash}.
 */
final class Integrity {

    static final String FIELD = "X-de-mail-integrity";
    static final String CERTIFICATE_FIELD = "X-de-mail-signature-certificate";

    /** The names that are signed when present, in this order (TR 01201-3.4 §3.1.21). */
    static final List<String> SIGNED_FIELDS = List.of("From", "Date", "Message-ID", "Subject", "Reply-To",
            "X-de-mail-confirmation-of-dispatch", "X-de-mail-confirmation-of-receipt",
            "X-de-mail-confirmation-of-retrieve", "X-de-mail-authoritative", "X-de-mail-private", "X-de-mail-sender",
            "X-de-mail-chosen-recipient", "X-de-mail-auth-mechanism", "X-de-mail-auth-level",
            "X-de-mail-originator-provider", "X-de-mail-message-type", "X-de-mail-version", "X-de-mail-private-id",
            "X-de-mail-message-id", "X-de-mail-account-holder");

    /** How a provider signs: its key and the scheme the policy chose for it. */
    record Signer(PrivateKeyHandle key, SignatureSpec spec) {
    }

    private Integrity() {
    }

    /** The digest of an integrity field: the signer's, SHA-256 when only hashed. */
    static Algorithm digestFor(Signer signer) {
        return signer == null ? Algorithm.SHA256 : signer.spec().digest();
    }

    /** The names of {@link #SIGNED_FIELDS} present in the message, in that order. */
    static List<String> signedNames(HeaderFields headers) {
        List<String> names = new ArrayList<>();
        for (String n : SIGNED_FIELDS) {
            if (headers.first(n).isPresent()) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * The complete field ({@code X-de-mail-integrity: v=1; …; b=…}, one line, no CRLF).
     *
     * @param headers  the message's fields, everything that is to be signed already set
     * @param bodyHash the body hash from {@link BodyHash} with {@link #digestFor}
     * @param signer   null: hash only
     */
    static String field(HeaderFields headers, byte[] bodyHash, String domain, Instant time, Signer signer)
            throws KeyOperationException {
        Algorithm digest = digestFor(signer);
        List<String> names = signedNames(headers);
        StringBuilder tags = new StringBuilder(FIELD).append(": v=1; a=").append(hashName(digest));
        if (signer != null) {
            tags.append('/').append(signatureName(signer.spec()));
        }
        tags.append("; c=simple/simple; d=").append(domain).append(';');
        if (signer != null) {
            tags.append(" q=x-header/x-de-mail-signature-certificate;");
        }
        tags.append(" t=").append(time.getEpochSecond()).append("; h=").append(String.join(":", names))
                .append("; bh=").append(Base64.getEncoder().encodeToString(bodyHash)).append("; b=");
        StringBuilder input = new StringBuilder();
        for (String n : names) {
            input.append(headers.first(n).orElseThrow().raw()).append("\r\n");
        }
        input.append(tags);
        byte[] data = input.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = signer == null ? JcaNames.messageDigest(digest).digest(data) : signer.key().sign(signer.spec(), data);
        return tags + Base64.getEncoder().encodeToString(b);
    }

    /** {@code X-de-mail-signature-certificate:} with the DER base64 in lines of 76 characters (CRLF + space). */
    static String certificateField(X509Certificate certificate) {
        String base64;
        try {
            base64 = Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the signing certificate cannot be encoded", e);
        }
        StringBuilder f = new StringBuilder(CERTIFICATE_FIELD).append(':');
        for (int i = 0; i < base64.length(); i += 76) {
            f.append("\r\n ").append(base64, i, Math.min(base64.length(), i + 76));
        }
        return f.toString();
    }

    static String hashName(Algorithm digest) {
        return switch (digest) {
            case SHA256 -> "sha256";
            case SHA384 -> "sha384";
            case SHA512 -> "sha512";
            default -> throw new IllegalArgumentException(digest + " is not a De-Mail integrity hash");
        };
    }

    static String signatureName(SignatureSpec spec) {
        return switch (spec.scheme()) {
            case ECDSA -> "ec-dsa";
            case RSASSA_PSS -> "rsassa-pss";
            default -> throw new IllegalArgumentException(spec.displayName() + " is not written by the sandbox");
        };
    }

    /**
     * The DKIM <em>simple</em> body hash, computed while the body streams through: trailing empty lines are held
     * back (as a count) until more content shows they were not trailing; at the end exactly one CRLF is added
     * (an empty body hashes as one CRLF).
     */
    static final class BodyHash extends OutputStream {
        private final MessageDigest digest;
        private long pendingCrlf;
        private boolean pendingCr;
        private boolean content;
        private byte[] result;

        BodyHash(Algorithm algorithm) {
            this.digest = JcaNames.messageDigest(algorithm);
        }

        @Override
        public void write(int b) {
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    pendingCrlf++;
                    return;
                }
                flushPending();
                emit('\r');
            }
            if (b == '\r') {
                pendingCr = true;
                return;
            }
            flushPending();
            emit(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushPending() {
            for (; pendingCrlf > 0; pendingCrlf--) {
                digest.update((byte) '\r');
                digest.update((byte) '\n');
            }
        }

        private void emit(int b) {
            digest.update((byte) b);
            content = true;
        }

        /** The hash; the stream takes no more bytes. */
        byte[] hash() {
            if (result == null) {
                if (pendingCr) {
                    flushPending();
                    emit('\r');
                }
                digest.update((byte) '\r');
                digest.update((byte) '\n');
                result = digest.digest();
            }
            return result.clone();
        }

        boolean hadContent() {
            return content;
        }
    }
}
