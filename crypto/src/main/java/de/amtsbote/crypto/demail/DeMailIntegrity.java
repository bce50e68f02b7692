package de.amtsbote.crypto.demail;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.Decision;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks the integrity field of a De-Mail ({@code X-de-mail-integrity}, BSI TR 01201-3.4 §3.1.13/§3.1.21, the wire
 * contract in {@code docs/channels/demail.md} section 3): a DKIM-style field (RFC 6376, {@code c=simple/simple}, no
 * {@code l=}) whose key comes from the certificate in {@code X-de-mail-signature-certificate}, never from DNS.
 *
 * <p>The checks, in this order; the first that fails decides the {@link IntegrityCheck}:
 * <ol>
 *   <li>the field is present and readable ({@code MISSING}, {@code MALFORMED}, {@code LENGTH_LIMITED});</li>
 *   <li>{@code h=} is exactly {@link #SIGNED_FIELDS} filtered by the fields present ({@code HEADER_LIST}): a field
 *       that is present but unsigned would let anyone add a Reply-To or a private id;</li>
 *   <li>the hash and signature scheme and the certificate's key under the {@link AlgorithmPolicy}
 *       ({@code ALGORITHM_REFUSED}; RSA PKCS#1 v1.5 accepted inbound only as flagged legacy);</li>
 *   <li>the body hash ({@code BODY_HASH}), streamed;</li>
 *   <li>hashed only: the hash of the header input ({@code HEADER_HASH}); signed: the signature with the certificate's
 *       key ({@code CERTIFICATE_MISSING}, {@code SIGNATURE_INVALID}), the certificate's validation for
 *       {@link CertificateUsage#EVIDENCE_SIGNATURE} ({@code CERTIFICATE_INVALID}) ending in one of the De-Mail trust
 *       anchors ({@code CERTIFICATE_UNTRUSTED}), and its subject CN equal to {@code d=} ({@code DOMAIN_MISMATCH}).</li>
 * </ol>
 * Whether a signature is required (absenderbestätigt messages, confirmations) is the caller's rule:
 * {@link #verify(InputStream, boolean)}.
 *
 * <p>Thread-safe.
 */
public final class DeMailIntegrity {

    public static final String FIELD = "X-de-mail-integrity";
    public static final String CERTIFICATE_FIELD = "X-de-mail-signature-certificate";

    /** The fields the integrity covers, in the order of {@code h=} (TR 01201-3.4 §3.1.21). */
    public static final List<String> SIGNED_FIELDS = List.of("From", "Date", "Message-ID", "Subject", "Reply-To",
            "X-de-mail-confirmation-of-dispatch", "X-de-mail-confirmation-of-receipt",
            "X-de-mail-confirmation-of-retrieve", "X-de-mail-authoritative", "X-de-mail-private", "X-de-mail-sender",
            "X-de-mail-chosen-recipient", "X-de-mail-auth-mechanism", "X-de-mail-auth-level",
            "X-de-mail-originator-provider", "X-de-mail-message-type", "X-de-mail-version", "X-de-mail-private-id",
            "X-de-mail-message-id", "X-de-mail-account-holder");

    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;
    private final List<X509Certificate> trustAnchors;
    private final Clock clock;

    /**
     * @param validator    validates the provider's certificate (revocation included, as configured)
     * @param trustAnchors the De-Mail trust anchors: a provider certificate must validate to one of these, not merely
     *                     to any anchor the validator knows (which may include S/MIME CAs)
     */
    public DeMailIntegrity(AlgorithmPolicy policy, CertificateValidator validator,
                           Collection<X509Certificate> trustAnchors, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.trustAnchors = List.copyOf(trustAnchors);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The {@code h=} list for a message with these fields: {@link #SIGNED_FIELDS} that are present, in order. */
    public static List<String> signedFieldsOf(HeaderFields headers) {
        return SIGNED_FIELDS.stream().filter(headers::has).toList();
    }

    /**
     * Reads a whole mail (header block, then body) and checks its integrity field.
     *
     * @param requireSignature whether a field that is only hashed fails ({@code NOT_SIGNED})
     */
    public IntegrityResult verify(InputStream message, boolean requireSignature) throws IOException {
        HeaderFields headers;
        try {
            headers = HeaderFields.read(message);
        } catch (IntegrityException e) {
            return IntegrityResult.failed(e, null, null, null, null, List.of());
        }
        return verify(headers, message, requireSignature);
    }

    /** Checks the integrity field of {@code headers} for the body that {@code body} streams. */
    public IntegrityResult verify(HeaderFields headers, InputStream body, boolean requireSignature)
            throws IOException {
        IntegrityTag tag = null;
        X509Certificate certificate = null;
        SignatureSpec spec = null;
        ValidationResult validation = null;
        List<String> flags = new ArrayList<>();
        try {
            String field = headers.first(FIELD).orElseThrow(() -> new IntegrityException(IntegrityCheck.MISSING,
                    "the mail has no " + FIELD + " field"));
            tag = IntegrityTag.parse(field.substring(field.indexOf(':') + 1));
            if (requireSignature && !tag.signed()) {
                throw new IntegrityException(IntegrityCheck.NOT_SIGNED, "the integrity field is only hashed (a="
                        + tag.algorithmName() + "), but this message must be signed by its provider");
            }
            checkHeaderList(headers, tag);
            flag(flags, policy.checkInbound(Algorithm.Kind.DIGEST, tag.digest()));
            if (tag.signed()) {
                spec = new SignatureSpec(tag.scheme(), tag.digest(), null);
                flag(flags, policy.checkInbound(Algorithm.Kind.SIGNATURE, tag.scheme()));
                certificate = certificate(headers);
                flag(flags, policy.checkInboundKey(certificate.getPublicKey()));
            }
            BodyHash bodyHash = new BodyHash(tag.digest());
            try (bodyHash) {
                body.transferTo(bodyHash);
            }
            if (!MessageDigest.isEqual(bodyHash.digest(tag.digest()), tag.bodyHash())) {
                throw new IntegrityException(IntegrityCheck.BODY_HASH, "the body does not match bh= of the integrity"
                        + " field: the content was changed after the provider hashed it");
            }
            byte[] input = headerInput(headers, tag.headers(), field);
            if (!tag.signed()) {
                byte[] hash = JcaNames.messageDigest(tag.digest()).digest(input);
                if (!MessageDigest.isEqual(hash, tag.value())) {
                    throw new IntegrityException(IntegrityCheck.HEADER_HASH, "the hash of the signed header fields"
                            + " does not match b=: a field in h= was changed after the provider hashed it");
                }
                return new IntegrityResult(null, "hashed by " + tag.domain() + " with " + tag.digest().displayName()
                        + " (not signed)", tag, null, null, null, flags);
            }
            verifySignature(spec, certificate, input, tag.value());
            validation = validator.validate(certificate, List.of(), CertificateUsage.EVIDENCE_SIGNATURE,
                    clock.instant());
            if (!validation.valid()) {
                throw new IntegrityException(IntegrityCheck.CERTIFICATE_INVALID, "the provider certificate "
                        + subject(certificate) + " is not valid: " + validation.status() + " (" + validation.detail()
                        + ")");
            }
            flags.addAll(validation.flags());
            if (trustAnchors.isEmpty() || !trustAnchors.contains(validation.anchor())) {
                throw new IntegrityException(IntegrityCheck.CERTIFICATE_UNTRUSTED, "the provider certificate "
                        + subject(certificate) + " chains to "
                        + (validation.anchor() == null ? "no anchor" : subject(validation.anchor()))
                        + ", which is not a De-Mail trust anchor"
                        + (trustAnchors.isEmpty() ? " (none is configured)" : ""));
            }
            String cn = commonName(certificate);
            if (cn == null || !cn.equalsIgnoreCase(tag.domain())) {
                throw new IntegrityException(IntegrityCheck.DOMAIN_MISMATCH, "the integrity field is signed for d="
                        + tag.domain() + " by " + subject(certificate) + ", whose CN is not that domain");
            }
            return new IntegrityResult(null, "signed by " + subject(certificate) + " with " + spec.displayName()
                    + (flags.isEmpty() ? "" : " (flagged: " + String.join("; ", flags) + ")"), tag, certificate,
                    spec, validation, flags);
        } catch (IntegrityException e) {
            return IntegrityResult.failed(e, tag, certificate, spec, validation, flags);
        } catch (PolicyViolationException e) {
            return IntegrityResult.failed(new IntegrityException(IntegrityCheck.ALGORITHM_REFUSED,
                    "the integrity field uses what the algorithm policy refuses: " + e.getMessage(), e), tag,
                    certificate, spec, validation, flags);
        }
    }

    private static void flag(List<String> flags, Decision decision) {
        if (decision.flagged()) {
            flags.add(decision.flag());
        }
    }

    private static void checkHeaderList(HeaderFields headers, IntegrityTag tag) throws IntegrityException {
        List<String> expected = signedFieldsOf(headers);
        List<String> actual = tag.headers();
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = expected.get(i).equalsIgnoreCase(actual.get(i));
        }
        if (!same) {
            throw new IntegrityException(IntegrityCheck.HEADER_LIST, "h= (" + String.join(":", actual)
                    + ") is not the list of signed fields present in the mail, in the TR's order ("
                    + String.join(":", expected) + ")");
        }
    }

    /**
     * The header input of the hash or signature (wire contract section 3): for each name of {@code h=}, the first
     * field of that name exactly as it stands and CRLF; then the integrity field itself with the value of its
     * {@code b=} tag deleted, without a trailing CRLF.
     *
     * @param integrityField the integrity field exactly as it stands (with its name)
     */
    public static byte[] headerInput(HeaderFields headers, List<String> signedNames, String integrityField)
            throws IntegrityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        for (String name : signedNames) {
            String field = headers.first(name).orElseThrow(() -> new IntegrityException(IntegrityCheck.HEADER_LIST,
                    "h= names " + name + ", which the mail does not have"));
            out.writeBytes(field.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(withoutSignatureValue(integrityField).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** The field with the value of its {@code b=} tag (not {@code bh=}) deleted, up to the next ';' or the end. */
    static String withoutSignatureValue(String field) throws IntegrityException {
        int colon = field.indexOf(':');
        int start = colon + 1;
        while (start <= field.length()) {
            int end = field.indexOf(';', start);
            if (end < 0) {
                end = field.length();
            }
            String part = field.substring(start, end);
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).replace("\r", "").replace("\n", "").strip().equals("b")) {
                return field.substring(0, start + eq + 1) + field.substring(end);
            }
            start = end + 1;
        }
        throw new IntegrityException(IntegrityCheck.MALFORMED, "the integrity field has no b= tag");
    }

    private X509Certificate certificate(HeaderFields headers) throws IntegrityException {
        String value = headers.value(CERTIFICATE_FIELD).orElseThrow(() -> new IntegrityException(
                IntegrityCheck.CERTIFICATE_MISSING, "the integrity field is signed, but the mail has no "
                + CERTIFICATE_FIELD + " field (the key is never taken from DNS)"));
        try {
            byte[] der = Base64.getDecoder().decode(value.replaceAll("\\s", ""));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new IntegrityException(IntegrityCheck.CERTIFICATE_MISSING, "the " + CERTIFICATE_FIELD
                    + " field is not a base64 X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static void verifySignature(SignatureSpec spec, X509Certificate certificate, byte[] input, byte[] value)
            throws IntegrityException {
        boolean ok;
        try {
            Signature s = JcaNames.signature(spec, Providers.bouncyCastle());
            s.initVerify(certificate.getPublicKey());
            s.update(input);
            ok = s.verify(value);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IntegrityException(IntegrityCheck.SIGNATURE_INVALID, "the " + spec.displayName()
                    + " signature cannot be checked with the key of " + subject(certificate) + ": " + e.getMessage(), e);
        }
        if (!ok) {
            throw new IntegrityException(IntegrityCheck.SIGNATURE_INVALID, "the " + spec.displayName() + " signature"
                    + " of the integrity field does not verify with the key of " + subject(certificate)
                    + ": a signed field was changed, or another key signed");
        }
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    /** The subject's CN, or null. */
    public static String commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString().toLowerCase(Locale.ROOT);
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
