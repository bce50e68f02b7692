package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate offered as a new trust anchor at run time (the console, the API): read from PEM text and checked
 * before anything trusts it.
 *
 * <p>The rules: exactly one certificate in the text and no private key; a CA certificate (basicConstraints cA and
 * keyUsage keyCertSign — RFC 5280 allows an anchor without them, but a person adding an anchor must not be able to
 * trust an end-entity certificate by mistake); valid now; a key that the algorithm policy would accept for a new key
 * (RSA ≥ 3072 bit, the allowed curves: adding an anchor is a new decision that stands for years, TR-02102 ended
 * RSA-2048 in 2023 — a legacy anchor can still be configured in a file, where every result is flagged); and, if it
 * is self-signed, a signature that verifies with its own key (a damaged copy is refused rather than trusted). A CA
 * that is not self-signed (an intermediate trusted directly) is allowed.
 */
public final class TrustAnchorCandidate {

    /** The most text read: a certificate in PEM is a few kilobytes. */
    public static final int MAX_PEM_CHARS = 64 * 1024;

    private TrustAnchorCandidate() {
    }

    /** Reads the one certificate in {@code pem}; anything else in the text is refused with the reason named. */
    public static X509Certificate fromPem(String pem) throws TrustAnchorRefusedException {
        if (pem == null || pem.isBlank()) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.NO_CERTIFICATE,
                    "no certificate given: paste the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.MALFORMED_PEM, "the text has "
                    + pem.length() + " characters; a PEM certificate has at most " + MAX_PEM_CHARS);
        }
        List<X509CertificateHolder> certificates = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    certificates.add(h);
                } else if (o instanceof X509TrustedCertificateBlock t) {
                    certificates.add(t.getCertificateHolder());
                } else if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                        || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.PRIVATE_KEY,
                            "the text contains a private key; a private key must never leave its owner — give only"
                                    + " the CA certificate. Nothing was stored; treat that key as disclosed");
                } else {
                    others.add(describe(o));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.MALFORMED_PEM,
                    "the text is not readable PEM: " + message(e), e);
        }
        if (certificates.isEmpty()) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.NO_CERTIFICATE, others.isEmpty()
                    ? "the text holds no PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"
                    : "the text holds no certificate, only " + String.join(", ", others));
        }
        if (certificates.size() > 1) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.SEVERAL_CERTIFICATES,
                    "the text holds " + certificates.size() + " certificates; add one trust anchor at a time (the"
                            + " root CA certificate, not the whole chain)");
        }
        try {
            return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle())
                    .getCertificate(certificates.get(0));
        } catch (CertificateException e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.MALFORMED_PEM,
                    "the certificate in the text cannot be read: " + message(e), e);
        }
    }

    /** Checks that {@code certificate} may become a trust anchor at {@code now} under {@code policy}. */
    public static void check(X509Certificate certificate, AlgorithmPolicy policy, Instant now)
            throws TrustAnchorRefusedException {
        Objects.requireNonNull(certificate, "certificate");
        String name = Names.of(certificate);
        if (certificate.getBasicConstraints() < 0) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.NOT_A_CA, name
                    + " is not a CA certificate (basicConstraints cA is not set); only the certificate of a"
                    + " certification authority can be a trust anchor");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage == null || keyUsage.length < 6 || !keyUsage[5]) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.NO_KEY_CERT_SIGN, name
                    + (keyUsage == null ? " has no key usage extension" : " has a key usage without keyCertSign")
                    + "; a trust anchor must be allowed to sign certificates");
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.EXPIRED, name + " expired on "
                    + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.NOT_YET_VALID, name
                    + " is valid only from " + certificate.getNotBefore().toInstant());
        }
        try {
            policy.requireNewKey(certificate.getPublicKey());
        } catch (PolicyViolationException e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.KEY_REFUSED, "the key of "
                    + name + " is refused for a new trust anchor: " + e.getMessage());
        }
        if (PathBuilder.selfIssued(certificate)) {
            requireSelfSignature(certificate, name);
        }
    }

    /** The SHA-256 fingerprint of the certificate's DER encoding, lower-case hex: how anchors are named. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return ContentDigester.hexOf(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + Names.of(certificate), e);
        }
    }

    /** The subject as RFC 2253 text, as results name certificates. */
    public static String subject(X509Certificate certificate) {
        return Names.of(certificate);
    }

    private static void requireSelfSignature(X509Certificate certificate, String name)
            throws TrustAnchorRefusedException {
        boolean valid;
        try {
            valid = new X509CertificateHolder(certificate.getEncoded()).isSignatureValid(
                    new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                            .build(certificate.getPublicKey()));
        } catch (Exception e) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.BAD_SELF_SIGNATURE,
                    "the self-signature of " + name + " cannot be checked: " + message(e), e);
        }
        if (!valid) {
            throw new TrustAnchorRefusedException(TrustAnchorRefusedException.Reason.BAD_SELF_SIGNATURE,
                    "the self-signature of " + name + " does not verify with its own key: the certificate is"
                            + " damaged or forged");
        }
    }

    private static String describe(Object pemObject) {
        String type = pemObject.getClass().getSimpleName();
        return switch (type) {
            case "PKCS10CertificationRequest" -> "a certificate request (CSR)";
            case "X509CRLHolder" -> "a revocation list (CRL)";
            case "SubjectPublicKeyInfo" -> "a public key";
            case "ContentInfo", "CMSSignedData" -> "a CMS/PKCS#7 structure (export the certificate alone as PEM)";
            default -> "a " + type;
        };
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
