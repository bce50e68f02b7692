package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertID;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Selector;
import org.bouncycastle.util.Store;

/**
 * Verifies the SignerInfos of a SignedData whose content digests are known, one {@link SignerResult} each. Checks in
 * order: algorithms and the signer's key against the policy; the signer's certificate present; signingCertificate(V2)
 * naming that certificate; the content digest; the signature; the certificate's validation. Certificates are validated
 * at the time of verification: the signingTime attribute is the signer's claim, not a trusted time.
 */
final class SignerVerifier {

    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;
    private final Clock clock;

    SignerVerifier(AlgorithmPolicy policy, CertificateValidator validator, Clock clock) {
        this.policy = policy;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * @param computedDigests the digests computed over the content (for detached signatures: only these can be
     *                        checked), or null if the parser computed every digest it announced
     */
    VerificationResult verify(String contentType, SignerInformationStore signers, Store<X509CertificateHolder> store,
                              Set<Algorithm> computedDigests) {
        if (signers == null || signers.size() == 0) {
            return VerificationResult.failed(contentType, SignatureCheck.NOT_SIGNED, "the SignedData has no signer");
        }
        List<X509Certificate> certificates;
        try {
            certificates = convert(store.getMatches(null));
        } catch (GeneralSecurityException | RuntimeException e) {
            return VerificationResult.failed(contentType, SignatureCheck.MALFORMED,
                    "a certificate in the SignedData cannot be read: " + e.getMessage());
        }
        List<SignerResult> results = new ArrayList<>();
        int index = 1;
        for (SignerInformation si : signers.getSigners()) {
            results.add(verifyOne(index++, si, contentType, store, certificates, computedDigests));
        }
        return new VerificationResult(contentType, results, null, null);
    }

    private SignerResult verifyOne(int index, SignerInformation si, String contentType,
                                   Store<X509CertificateHolder> store, List<X509Certificate> all,
                                   Set<Algorithm> computedDigests) {
        Draft d = new Draft(index);
        SignerId sid = si.getSID();
        d.issuer = sid.getIssuer() == null ? null : sid.getIssuer().toString();
        d.serial = sid.getSerialNumber();
        try {
            AttributeTable signed = si.getSignedAttributes();
            if (signed == null) {
                d.flags.add("no signed attributes: no signing time, no content type protection");
            } else {
                d.signingTime = signingTime(signed);
            }
            // 1. algorithms
            try {
                d.spec = CmsAlgorithms.checkSignature(policy, si.getDigestAlgorithmID(),
                        si.toASN1Structure().getDigestEncryptionAlgorithm(), d.flags);
            } catch (PolicyViolationException e) {
                return d.fail(SignatureCheck.ALGORITHM_REFUSED, e.getMessage(), e.reason());
            }
            // 2. the certificate
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = store.getMatches((Selector<X509CertificateHolder>) sid);
            if (matches.isEmpty()) {
                return d.fail(SignatureCheck.SIGNER_CERTIFICATE_MISSING, "no certificate in the message matches "
                        + describe(sid), null);
            }
            X509Certificate cert = pick(convert(matches), signed);
            d.certificate = cert;
            d.subject = cert.getSubjectX500Principal().getName();
            d.issuer = cert.getIssuerX500Principal().getName();
            d.serial = cert.getSerialNumber();
            try {
                CmsAlgorithms.flag(d.flags, policy.checkInboundKey(cert.getPublicKey()));
            } catch (PolicyViolationException e) {
                return d.fail(SignatureCheck.ALGORITHM_REFUSED, "the signer's key is refused: " + e.getMessage(),
                        e.reason());
            }
            // 3. signingCertificate(V2) names this certificate
            String mismatch = signingCertificateMismatch(signed, cert);
            if (mismatch != null) {
                return d.fail(SignatureCheck.SIGNER_CERTIFICATE_MISMATCH, mismatch, null);
            }
            // RFC 2634 2.2: a receipt never requests a receipt
            Attribute request = signed == null ? null : signed.get(Ess.ID_AA_RECEIPT_REQUEST);
            if (request != null) {
                if (Ess.ID_CT_RECEIPT.getId().equals(contentType)) {
                    return d.fail(SignatureCheck.MALFORMED, "a signed receipt must not request a receipt", null);
                }
                Ess.ReceiptRequest r = Ess.ReceiptRequest.parse(request.getAttrValues().getObjectAt(0));
                d.receipt = new ReceiptRequested(r.signedContentIdentifier(), r.firstTierOnly(), r.receiptList(),
                        r.receiptsTo(), contentType, si.getSignature(), si.getEncodedSignedAttributes());
            }
            if (computedDigests != null && !computedDigests.contains(d.spec.digest())) {
                return d.fail(SignatureCheck.MALFORMED, "the signer used " + d.spec.digest()
                        + ", which the message did not announce (micalg), so the content was not digested with it", null);
            }
            // 4. + 5. digest and signature
            try {
                boolean ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bouncyCastle())
                        .build(cert));
                if (!ok) {
                    return d.fail(SignatureCheck.SIGNATURE_INVALID, "the signature value does not verify with the key of "
                            + d.subject, null);
                }
            } catch (CMSSignerDigestMismatchException e) {
                return d.fail(SignatureCheck.CONTENT_DIGEST_MISMATCH, "the content's " + d.spec.digest()
                        + " digest does not match the signed messageDigest: the content was changed", null);
            } catch (CMSVerifierCertificateNotValidException e) {
                d.validation = validate(cert, all);
                return d.fail(SignatureCheck.CERTIFICATE_INVALID, "the signing time " + d.signingTime
                        + " lies outside the certificate's validity", null);
            } catch (CMSException e) {
                return d.fail(SignatureCheck.SIGNATURE_INVALID, "the signature does not verify: " + e.getMessage(), null);
            }
            // 6. the certificate's validity
            d.validation = validate(cert, all);
            d.validation.flags().forEach(f -> {
                if (!d.flags.contains(f)) {
                    d.flags.add(f);
                }
            });
            if (!d.validation.valid()) {
                return d.fail(SignatureCheck.CERTIFICATE_INVALID, "the signer's certificate is not valid: "
                        + d.validation.status() + " (" + d.validation.reason() + "): " + d.validation.detail(), null);
            }
            return d.ok();
        } catch (GeneralSecurityException | IOException | OperatorCreationException | RuntimeException e) {
            return d.fail(SignatureCheck.MALFORMED, "the signer information cannot be read: " + e.getMessage(), null);
        }
    }

    private ValidationResult validate(X509Certificate cert, List<X509Certificate> intermediates) {
        return validator.validate(cert, intermediates, CertificateUsage.MESSAGE_SIGNATURE, clock.instant());
    }

    /** With several certificates for one signer identifier (same key), the one signingCertificateV2 names. */
    private static X509Certificate pick(List<X509Certificate> candidates, AttributeTable signed)
            throws GeneralSecurityException {
        if (candidates.size() > 1) {
            for (X509Certificate c : candidates) {
                if (signingCertificateMismatch(signed, c) == null) {
                    return c;
                }
            }
        }
        return candidates.get(0);
    }

    /** Null if the signingCertificateV2 (or v1) attribute is absent or names {@code cert}; else why not. */
    private static String signingCertificateMismatch(AttributeTable signed, X509Certificate cert)
            throws GeneralSecurityException {
        if (signed == null) {
            return null;
        }
        Attribute v2 = signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        if (v2 != null) {
            ESSCertIDv2[] ids = SigningCertificateV2.getInstance(v2.getAttrValues().getObjectAt(0)).getCerts();
            ESSCertIDv2 first = ids[0];
            Algorithm hash = Algorithm.byOid(Algorithm.Kind.DIGEST, first.getHashAlgorithm().getAlgorithm().getId())
                    .orElseThrow(() -> new GeneralSecurityException("unknown signingCertificateV2 hash "
                            + first.getHashAlgorithm().getAlgorithm()));
            byte[] actual = MessageDigest.getInstance(JcaNames.digest(hash), Providers.bouncyCastle())
                    .digest(cert.getEncoded());
            return Arrays.equals(actual, first.getCertHash()) ? null
                    : "the signingCertificateV2 attribute names another certificate than "
                    + cert.getSubjectX500Principal().getName() + " serial " + cert.getSerialNumber().toString(16);
        }
        Attribute v1 = signed.get(PKCSObjectIdentifiers.id_aa_signingCertificate);
        if (v1 != null) {
            ESSCertID first = SigningCertificate.getInstance(v1.getAttrValues().getObjectAt(0)).getCerts()[0];
            // SHA-1 here only identifies a certificate that the signature binds anyway (RFC 2634 5.4)
            byte[] actual = MessageDigest.getInstance(JcaNames.digest(Algorithm.SHA1), Providers.bouncyCastle())
                    .digest(cert.getEncoded());
            return Arrays.equals(actual, first.getCertHash()) ? null
                    : "the signingCertificate attribute names another certificate than "
                    + cert.getSubjectX500Principal().getName();
        }
        return null;
    }

    private static Instant signingTime(AttributeTable signed) {
        Attribute t = signed.get(CMSAttributes.signingTime);
        return t == null ? null : Time.getInstance(t.getAttrValues().getObjectAt(0)).getDate().toInstant();
    }

    private static String describe(SignerId sid) {
        if (sid.getSubjectKeyIdentifier() != null) {
            return "subject key identifier " + java.util.HexFormat.of().formatHex(sid.getSubjectKeyIdentifier());
        }
        return "issuer " + sid.getIssuer() + ", serial " + sid.getSerialNumber().toString(16);
    }

    private static List<X509Certificate> convert(Collection<X509CertificateHolder> holders)
            throws GeneralSecurityException {
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
        List<X509Certificate> out = new ArrayList<>();
        for (X509CertificateHolder h : holders) {
            out.add(conv.getCertificate(h));
        }
        return out;
    }

    /** The fields of a signer result as they are found. */
    private static final class Draft {
        final int index;
        String subject;
        String issuer;
        BigInteger serial;
        X509Certificate certificate;
        ValidationResult validation;
        SignatureSpec spec;
        Instant signingTime;
        final List<String> flags = new ArrayList<>();
        ReceiptRequested receipt;

        Draft(int index) {
            this.index = index;
        }

        SignerResult fail(SignatureCheck check, String detail, PolicyViolationException.Reason reason) {
            return new SignerResult(index, subject, issuer, serial, certificate, validation, spec, signingTime, flags,
                    check, detail, reason, receipt);
        }

        SignerResult ok() {
            return new SignerResult(index, subject, issuer, serial, certificate, validation, spec, signingTime, flags,
                    null, null, null, receipt);
        }
    }
}
