package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.Algorithm.Kind;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.Status;
import de.amtsbote.crypto.validation.CertificateValidator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Opens inbound CMS: verifies SignedData (encapsulated or detached) and decrypts EnvelopedData / AuthEnvelopedData with
 * a participant's decryption keys, streaming. Every algorithm in the message passes the policy before it is used;
 * legacy ones come back flagged in the result, refused and unknown ones fail with the policy's reason. Signer
 * certificates are validated with the {@link CertificateValidator} for message signatures.
 *
 * <p><b>Failures are result states, not exceptions.</b> Whatever is wrong with a message — not CMS, malformed,
 * refused algorithm, no matching key, bad signature, failed tag — is named in the {@link VerificationResult} or
 * {@link DecryptionResult} (which signer, which check). An {@link IOException} means the caller's own stream failed.
 *
 * <p><b>Content is untrusted until the result is valid.</b> It is handed out while it is read (nothing holds a whole
 * payload); callers write it to a temporary store and discard it when the result is not valid.
 *
 * <p>Decryption keys are tried in the order given: during a key rotation the new key comes first and the old one
 * still opens messages encrypted to it. All private-key steps go through {@link PrivateKeyHandle}, so software and
 * token keys are used alike. Instances are immutable and thread-safe.
 */
public final class CmsOpener {

    private final AlgorithmPolicy policy;
    private final List<PrivateKeyHandle> keys;
    private final SignerVerifier verifier;
    private final DigestCalculatorProvider digests;

    private CmsOpener(AlgorithmPolicy policy, CertificateValidator validator, List<PrivateKeyHandle> keys, Clock clock) {
        this.policy = policy;
        this.keys = List.copyOf(keys);
        this.verifier = new SignerVerifier(policy, validator, clock);
        this.digests = policyDigests(policy);
    }

    public static Builder builder(AlgorithmPolicy policy, CertificateValidator validator) {
        return new Builder(policy, validator);
    }

    // ------------------------------------------------------------------ signed

    /**
     * Starts reading a SignedData with encapsulated content. Read {@link SignedContent#content()}, then ask
     * {@link SignedContent#result()}.
     */
    public SignedContent openSigned(InputStream in) throws IOException {
        CmsStreams.Source source = new CmsStreams.Source(Objects.requireNonNull(in, "in"));
        BufferedInputStream buffered = new BufferedInputStream(source, CmsStreams.COPY_BUFFER);
        ASN1ObjectIdentifier type = CmsStreams.peekContentType(buffered);
        source.rethrowIfFailed();
        if (!CMSObjectIdentifiers.signedData.equals(type)) {
            return SignedContent.failed(null, SignatureCheck.NOT_SIGNED, "the input is " + describe(type)
                    + ", not a CMS SignedData");
        }
        try {
            return SignedContent.open(new CMSSignedDataParser(digests, buffered), source, verifier);
        } catch (CMSException | RuntimeException e) {
            source.rethrowIfFailed();
            return SignedContent.failed(null, SignatureCheck.MALFORMED, "the SignedData cannot be parsed: "
                    + e.getMessage());
        }
    }

    /**
     * Verifies a SignedData with encapsulated content, writing the content to {@code content} as it goes (it is not
     * closed). The content is untrusted until the result is valid.
     */
    public VerificationResult verify(InputStream in, OutputStream content) throws IOException {
        try (SignedContent signed = openSigned(in)) {
            return signed.copyTo(content);
        }
    }

    /** A verifier for a detached signature whose content comes first, digesting with SHA-256, SHA-384 and SHA-512. */
    public DetachedSignatureVerifier detached() {
        return detached(EnumSet.of(Algorithm.SHA256, Algorithm.SHA384, Algorithm.SHA512));
    }

    /**
     * A verifier for a detached signature that digests the content with these digests (those announced in an S/MIME
     * micalg); digests the policy refuses are not computed.
     */
    public DetachedSignatureVerifier detached(Set<Algorithm> announced) {
        Set<Algorithm> allowed = EnumSet.noneOf(Algorithm.class);
        for (Algorithm a : announced) {
            if (a.kind() == Kind.DIGEST && policy.statusOf(a) != Status.REFUSED) {
                allowed.add(a);
            }
        }
        return new DetachedSignatureVerifier(verifier, allowed);
    }

    /** Verifies a detached signature over content given as a stream (the signature is read first; it is small). */
    public VerificationResult verifyDetached(InputStream content, InputStream signature) throws IOException {
        DetachedSignatureVerifier v = detached();
        byte[] block = signature.readNBytes(DetachedSignatureVerifier.MAX_SIGNATURE_BYTES + 1);
        CmsStreams.copy(content, v.content());
        return v.verify(new java.io.ByteArrayInputStream(block));
    }

    // ------------------------------------------------------------------ encrypted

    /**
     * Starts decrypting an EnvelopedData or AuthEnvelopedData. Read {@link DecryptedContent#content()}, then ask
     * {@link DecryptedContent#result()}; if no key matched or an algorithm is refused, the content is empty and the
     * result says so.
     */
    public DecryptedContent openEncrypted(InputStream in) throws IOException {
        CmsStreams.Source source = new CmsStreams.Source(Objects.requireNonNull(in, "in"));
        BufferedInputStream buffered = new BufferedInputStream(source, CmsStreams.COPY_BUFFER);
        DecryptedContent.Draft d = new DecryptedContent.Draft();
        ASN1ObjectIdentifier type = CmsStreams.peekContentType(buffered);
        source.rethrowIfFailed();
        AlgorithmIdentifier contentAlgorithm;
        RecipientInformationStore recipients;
        try {
            if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                CMSAuthEnvelopedDataParser p = new CMSAuthEnvelopedDataParser(buffered);
                d.authenticated = true;
                contentAlgorithm = p.getEncryptionAlgOID();
                recipients = p.getRecipientInfos();
            } else if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                CMSEnvelopedDataParser p = new CMSEnvelopedDataParser(buffered);
                contentAlgorithm = p.getContentEncryptionAlgorithm();
                recipients = p.getRecipientInfos();
            } else {
                return DecryptedContent.failed(d, DecryptionFailure.NOT_ENCRYPTED, "the input is " + describe(type)
                        + ", not a CMS EnvelopedData or AuthEnvelopedData", null);
            }
        } catch (CMSException | IOException | RuntimeException e) {
            source.rethrowIfFailed();
            return DecryptedContent.failed(d, DecryptionFailure.MALFORMED, "the encrypted message cannot be parsed: "
                    + e.getMessage(), null);
        }
        d.recipients = recipients.getRecipients().stream().map(r -> describe(r.getRID())).toList();
        try {
            d.content = CmsAlgorithms.checkContent(policy, contentAlgorithm, d.flags);
        } catch (PolicyViolationException e) {
            return DecryptedContent.failed(d, DecryptionFailure.ALGORITHM_REFUSED, "content encryption: "
                    + e.getMessage(), e.reason());
        } catch (RuntimeException e) {
            return DecryptedContent.failed(d, DecryptionFailure.MALFORMED, "the content encryption parameters cannot "
                    + "be read: " + e.getMessage(), null);
        }
        boolean aead = d.content == Algorithm.AES128_GCM || d.content == Algorithm.AES192_GCM
                || d.content == Algorithm.AES256_GCM || d.content == Algorithm.CHACHA20_POLY1305;
        if (aead != d.authenticated) {
            return DecryptedContent.failed(d, DecryptionFailure.MALFORMED, d.content + " in "
                    + (d.authenticated ? "AuthEnvelopedData" : "EnvelopedData") + " is not allowed (RFC 5083, 5084)",
                    null);
        }
        Optional<Match> match = match(recipients);
        if (match.isEmpty()) {
            return DecryptedContent.failed(d, DecryptionFailure.NO_MATCHING_KEY, "none of our keys "
                    + keys.stream().map(k -> k.ref().toString()).toList() + " is a recipient; the message is for "
                    + d.recipients, null);
        }
        PrivateKeyHandle key = match.get().key();
        RecipientInformation info = match.get().info();
        d.key = key.ref();
        Recipient recipient;
        try {
            recipient = recipient(key, info, d);
        } catch (PolicyViolationException e) {
            return DecryptedContent.failed(d, DecryptionFailure.ALGORITHM_REFUSED, "key management: " + e.getMessage(),
                    e.reason());
        } catch (RuntimeException e) {
            return DecryptedContent.failed(d, DecryptionFailure.MALFORMED, "the recipient information cannot be "
                    + "read: " + e.getMessage(), null);
        }
        try {
            CMSTypedStream typed = info.getContentStream(recipient);
            d.contentType = typed.getContentType() == null ? null : typed.getContentType().getId();
            return DecryptedContent.open(source, typed.getContentStream(), d);
        } catch (CMSException | IOException | RuntimeException e) {
            source.rethrowIfFailed();
            return DecryptedContent.failed(d, DecryptionFailure.KEY_DECRYPTION_FAILED, "key " + key.ref()
                    + " could not recover the content key: " + e.getMessage(), null);
        }
    }

    /**
     * Decrypts, writing the content to {@code content} as it goes (it is not closed). The content is untrusted until
     * the result is valid: for AES-GCM the tag is checked at the end.
     */
    public DecryptionResult decrypt(InputStream in, OutputStream content) throws IOException {
        try (DecryptedContent decrypted = openEncrypted(in)) {
            return decrypted.copyTo(content);
        }
    }

    // ------------------------------------------------------------------ receipts

    /**
     * Verifies an ESS signed receipt (RFC 2634 2.6) against the signature we sent, found by the receipt's
     * signedContentIdentifier with {@code sentSignatures}.
     */
    public ReceiptVerification verifyReceipt(InputStream in, java.util.function.Function<byte[], Optional<SentSignature>>
            sentSignatures) throws IOException {
        return CmsReceipts.verify(this, in, sentSignatures);
    }

    /**
     * The CMS content type (object identifier) of the ContentInfo at the start of {@code in}, or null if it does not
     * start like one; the stream is left where it was. Lets S/MIME readers dispatch on what a body really is rather
     * than on its smime-type parameter.
     */
    public static String peekContentType(BufferedInputStream in) throws IOException {
        ASN1ObjectIdentifier type = CmsStreams.peekContentType(in);
        return type == null ? null : type.getId();
    }

    // ------------------------------------------------------------------ internals

    private record Match(PrivateKeyHandle key, RecipientInformation info) {
    }

    private Optional<Match> match(RecipientInformationStore recipients) {
        for (PrivateKeyHandle key : keys) {
            X509CertificateHolder holder;
            try {
                holder = new JcaX509CertificateHolder(key.certificate());
            } catch (CertificateEncodingException e) {
                continue;
            }
            for (RecipientInformation info : recipients.getRecipients()) {
                if (info.getRID().match(holder)) {
                    return Optional.of(new Match(key, info));
                }
            }
        }
        return Optional.empty();
    }

    /** Checks the matched recipient's key management with the policy and builds the handle-based recipient. */
    private Recipient recipient(PrivateKeyHandle key, RecipientInformation info, DecryptedContent.Draft d)
            throws PolicyViolationException {
        AlgorithmIdentifier keyEncryption = info.getKeyEncryptionAlgorithm();
        if (info instanceof KeyTransRecipientInformation) {
            CmsAlgorithms.Checked km = CmsAlgorithms.check(policy, Kind.KEY_TRANSPORT, keyEncryption.getAlgorithm());
            CmsAlgorithms.flag(d.flags, km.decision());
            d.keyManagement = km.algorithm();
            if (km.algorithm() == Algorithm.RSAES_OAEP) {
                d.kdfDigest = CmsAlgorithms.checkOaep(policy, keyEncryption, d.flags);
            }
            return HandleRecipients.keyTransport(key,
                    new HandleRecipients.Plan(d.content, d.keyManagement, null, d.kdfDigest), d.authenticated);
        }
        if (info instanceof KeyAgreeRecipientInformation) {
            d.kdfDigest = CmsAlgorithms.checkEcdhKdf(policy, keyEncryption.getAlgorithm(), d.flags);
            d.keyManagement = Algorithm.ECDH_ES;
            AlgorithmIdentifier wrap = AlgorithmIdentifier.getInstance(keyEncryption.getParameters());
            CmsAlgorithms.Checked w = CmsAlgorithms.check(policy, Kind.KEY_WRAP, wrap.getAlgorithm());
            CmsAlgorithms.flag(d.flags, w.decision());
            d.keyWrap = w.algorithm();
            return HandleRecipients.keyAgreement(key,
                    new HandleRecipients.Plan(d.content, d.keyManagement, d.keyWrap, d.kdfDigest), d.authenticated);
        }
        throw new PolicyViolationException(PolicyViolationException.Reason.UNKNOWN_ALGORITHM,
                info.getClass().getSimpleName(), "recipient kind " + info.getClass().getSimpleName()
                + " is not used by Amtsbote (only key transport and key agreement)");
    }

    private static String describe(RecipientId rid) {
        if (rid instanceof KeyTransRecipientId k) {
            return k.getSubjectKeyIdentifier() != null
                    ? "subject key identifier " + HexFormat.of().formatHex(k.getSubjectKeyIdentifier())
                    : "issuer " + k.getIssuer() + ", serial " + k.getSerialNumber().toString(16);
        }
        if (rid instanceof KeyAgreeRecipientId k) {
            return k.getSubjectKeyIdentifier() != null
                    ? "subject key identifier " + HexFormat.of().formatHex(k.getSubjectKeyIdentifier())
                    : "issuer " + k.getIssuer() + ", serial " + k.getSerialNumber().toString(16);
        }
        return rid.getClass().getSimpleName();
    }

    private static String describe(ASN1ObjectIdentifier type) {
        if (type == null) {
            return "not a CMS ContentInfo";
        }
        if (CMSObjectIdentifiers.signedData.equals(type)) {
            return "a SignedData";
        }
        if (CMSObjectIdentifiers.envelopedData.equals(type)) {
            return "an EnvelopedData";
        }
        if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
            return "an AuthEnvelopedData";
        }
        if (CMSObjectIdentifiers.compressedData.equals(type)) {
            return "a CompressedData";
        }
        return "a ContentInfo of type " + type.getId();
    }

    /**
     * Digests for the SignedData parser: those the policy does not refuse; a refused or unknown one digests nothing
     * (its signer is refused before any digest is compared).
     */
    private static DigestCalculatorProvider policyDigests(AlgorithmPolicy policy) {
        DigestCalculatorProvider bc;
        try {
            // content digests come from the JDK, whose SHA-2 uses the CPU's SHA instructions (several times faster
            // than Bouncy Castle's Java code on large content)
            bc = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no Bouncy Castle digests", e);
        }
        return algorithm -> {
            Optional<Algorithm> a = Algorithm.byOid(Kind.DIGEST, algorithm.getAlgorithm().getId());
            if (a.isPresent() && policy.statusOf(a.get()) != Status.REFUSED) {
                return bc.get(algorithm);
            }
            return new DigestCalculator() {
                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public OutputStream getOutputStream() {
                    return OutputStream.nullOutputStream();
                }

                @Override
                public byte[] getDigest() {
                    return new byte[0];
                }
            };
        };
    }

    /** Builds a {@link CmsOpener}. */
    public static final class Builder {
        private final AlgorithmPolicy policy;
        private final CertificateValidator validator;
        private final List<PrivateKeyHandle> keys = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(AlgorithmPolicy policy, CertificateValidator validator) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.validator = Objects.requireNonNull(validator, "validator");
        }

        /** Decryption keys, tried in this order (the current key first, then keys in their rotation overlap). */
        public Builder decryptionKeys(List<PrivateKeyHandle> decryptionKeys) {
            keys.addAll(decryptionKeys);
            return this;
        }

        /** The clock signer certificates are validated at. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public CmsOpener build() {
            return new CmsOpener(policy, validator, keys, clock);
        }
    }
}
