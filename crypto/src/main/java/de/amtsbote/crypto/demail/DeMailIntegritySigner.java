package de.amtsbote.crypto.demail;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.xml.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Writes the integrity field of a De-Mail as a provider does (wire contract section 3): hashed only
 * ({@link #hashing}) or signed with a provider key ({@link #signing}), then {@code X-de-mail-signature-certificate}.
 * The sandbox provider and tests use it; the gateway only verifies ({@link DeMailIntegrity}).
 */
public final class DeMailIntegritySigner {

    private final PrivateKeyHandle key;
    private final SignatureSpec spec;
    private final Algorithm digest;

    private DeMailIntegritySigner(PrivateKeyHandle key, SignatureSpec spec, Algorithm digest) {
        this.key = key;
        this.spec = spec;
        this.digest = Objects.requireNonNull(digest, "digest");
    }

    /** Only hashes (normal messages without absenderbestätigt). */
    public static DeMailIntegritySigner hashing(Algorithm digest) {
        return new DeMailIntegritySigner(null, null, digest);
    }

    /** Signs with the key; the scheme is the policy's choice for it (ECDSA or RSASSA-PSS with its digest). */
    public static DeMailIntegritySigner signing(PrivateKeyHandle key, AlgorithmPolicy policy)
            throws PolicyViolationException {
        SignatureSpec spec = policy.signatureFor(key.certificate().getPublicKey(), null);
        return new DeMailIntegritySigner(key, spec, spec.digest());
    }

    /** The same key with another scheme or digest (tests forge legacy or weak fields with it). */
    public DeMailIntegritySigner with(SignatureSpec spec) {
        return new DeMailIntegritySigner(Objects.requireNonNull(key, "a hashing signer has no key"), spec,
                spec.digest());
    }

    public Algorithm digest() {
        return digest;
    }

    /** The certificate field, base64 folded into lines of 76 characters, or null for a hashing signer. */
    public String certificateField() {
        if (key == null) {
            return null;
        }
        try {
            String b64 = Base64.getEncoder().encodeToString(key.certificate().getEncoded());
            StringBuilder f = new StringBuilder(DeMailIntegrity.CERTIFICATE_FIELD).append(':');
            for (int i = 0; i < b64.length(); i += 76) {
                f.append("\r\n ").append(b64, i, Math.min(b64.length(), i + 76));
            }
            return f.toString();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the certificate of " + key.ref() + " cannot be encoded", e);
        }
    }

    /**
     * The integrity field (one line, without CRLF) for a message with these header fields and body hash.
     *
     * @param signedNames the {@code h=} list; normally {@link DeMailIntegrity#signedFieldsOf}
     */
    public String field(HeaderFields headers, byte[] bodyHash, String domain, Instant time, List<String> signedNames)
            throws IntegrityException, KeyOperationException {
        String a = IntegrityTag.hashName(digest) + (spec == null ? "" : "/" + IntegrityTag.schemeName(spec.scheme()));
        String prefix = DeMailIntegrity.FIELD + ": v=1; a=" + a + "; c=simple/simple; d=" + domain + ";"
                + (spec == null ? "" : " q=" + IntegrityTag.QUERY + ";") + " t=" + time.getEpochSecond()
                + "; h=" + String.join(":", signedNames) + "; bh=" + Base64.getEncoder().encodeToString(bodyHash)
                + "; b=";
        byte[] input = DeMailIntegrity.headerInput(headers, signedNames, prefix);
        byte[] value = spec == null ? JcaNames.messageDigest(digest).digest(input) : key.sign(spec, input);
        return prefix + Base64.getEncoder().encodeToString(value);
    }

    /**
     * Copies a whole mail to {@code out}, adding the certificate field (when signing) and the integrity field at the
     * end of its header block. The message is read twice: once for the body hash, once to copy it.
     */
    public void seal(ContentSource message, OutputStream out, String domain, Instant time)
            throws IOException, IntegrityException, KeyOperationException {
        HeaderFields headers;
        BodyHash bodyHash = new BodyHash(digest);
        try (InputStream in = message.open()) {
            headers = HeaderFields.read(in);
            try (bodyHash) {
                in.transferTo(bodyHash);
            }
        }
        List<String> fields = new ArrayList<>(headers.all());
        String certificate = certificateField();
        if (certificate != null) {
            fields.add(certificate);
        }
        HeaderFields withCertificate = HeaderFields.of(fields);
        String integrity = field(withCertificate, bodyHash.digest(digest), domain, time,
                DeMailIntegrity.signedFieldsOf(withCertificate));
        fields.add(integrity);
        StringBuilder head = new StringBuilder();
        for (String f : fields) {
            head.append(f).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        try (InputStream in = message.open()) {
            HeaderFields.read(in);
            in.transferTo(out);
        }
    }
}
