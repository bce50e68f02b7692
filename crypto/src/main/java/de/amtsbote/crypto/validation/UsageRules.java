package de.amtsbote.crypto.validation;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Key usage and extended key usage of an end-entity certificate for what it is about to be used for (RFC 5280
 * 4.2.1.3/4.2.1.12, RFC 8550 4.4 for S/MIME).
 *
 * <ul>
 * <li>A missing key usage extension allows every use (RFC 5280); a present one must name the use.
 * <li>Signatures (messages and evidence) need digitalSignature or nonRepudiation (contentCommitment).
 * <li>Message encryption needs keyEncipherment for RSA keys, keyAgreement for EC keys.
 * <li>S/MIME uses: an extended key usage, if present, must include emailProtection or anyExtendedKeyUsage.
 * <li>Evidence signatures: an extended key usage, if present, must include emailProtection, documentSigning
 *     (RFC 9336) or anyExtendedKeyUsage — a TLS or OCSP certificate does not sign evidence. A closed list on
 *     purpose: an unusual provider certificate is refused until someone decides about it.
 * <li>TLS: the extended key usage must be present and name serverAuth or clientAuth exactly (anyExtendedKeyUsage
 *     is not enough, as in the CA/Browser Forum rules); a present key usage must allow the TLS key exchange.
 * </ul>
 */
final class UsageRules {

    static final String ANY_EKU = "2.5.29.37.0";
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
    static final String DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36";

    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;

    private UsageRules() {
    }

    static void check(X509Certificate cert, CertificateUsage usage) throws Refusal {
        boolean ec = cert.getPublicKey().getAlgorithm().startsWith("EC");
        List<String> eku = extendedKeyUsage(cert);
        switch (usage) {
            case MESSAGE_SIGNATURE:
                requireKeyUsage(cert, usage, "digitalSignature or nonRepudiation", DIGITAL_SIGNATURE, NON_REPUDIATION);
                requireEkuIfPresent(cert, usage, eku, Set.of(EMAIL_PROTECTION, ANY_EKU), "emailProtection");
                break;
            case MESSAGE_ENCRYPTION:
                if (ec) {
                    requireKeyUsage(cert, usage, "keyAgreement (EC key)", KEY_AGREEMENT);
                } else {
                    requireKeyUsage(cert, usage, "keyEncipherment (RSA key)", KEY_ENCIPHERMENT);
                }
                requireEkuIfPresent(cert, usage, eku, Set.of(EMAIL_PROTECTION, ANY_EKU), "emailProtection");
                break;
            case EVIDENCE_SIGNATURE:
                requireKeyUsage(cert, usage, "digitalSignature or nonRepudiation", DIGITAL_SIGNATURE, NON_REPUDIATION);
                requireEkuIfPresent(cert, usage, eku, Set.of(EMAIL_PROTECTION, DOCUMENT_SIGNING, ANY_EKU),
                        "emailProtection or documentSigning");
                break;
            case TLS_SERVER:
                requireKeyUsage(cert, usage, ec ? "digitalSignature or keyAgreement" : "digitalSignature or keyEncipherment",
                        DIGITAL_SIGNATURE, ec ? KEY_AGREEMENT : KEY_ENCIPHERMENT);
                requireEku(cert, usage, eku, SERVER_AUTH, "serverAuth");
                break;
            case TLS_CLIENT:
                requireKeyUsage(cert, usage, ec ? "digitalSignature or keyAgreement" : "digitalSignature",
                        DIGITAL_SIGNATURE, ec ? KEY_AGREEMENT : DIGITAL_SIGNATURE);
                requireEku(cert, usage, eku, CLIENT_AUTH, "clientAuth");
                break;
            default:
                throw new IllegalArgumentException("no key usage rule for " + usage);
        }
    }

    /** The extended key usages, or null when the extension is absent. */
    static List<String> extendedKeyUsage(X509Certificate cert) throws Refusal {
        try {
            return cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new Refusal(ValidationResult.Reason.MALFORMED, "the extended key usage of " + Names.of(cert)
                    + " cannot be read: " + e.getMessage());
        }
    }

    private static void requireKeyUsage(X509Certificate cert, CertificateUsage usage, String needed, int... anyOf)
            throws Refusal {
        boolean[] ku = cert.getKeyUsage();
        if (ku == null) {
            return;
        }
        for (int bit : anyOf) {
            if (bit < ku.length && ku[bit]) {
                return;
            }
        }
        throw new Refusal(ValidationResult.Reason.WRONG_KEY_USAGE, Names.of(cert) + " may not be used for "
                + Names.of(usage) + ": its key usage lacks " + needed);
    }

    private static void requireEkuIfPresent(X509Certificate cert, CertificateUsage usage, List<String> eku,
                                            Set<String> anyOf, String needed) throws Refusal {
        if (eku == null || eku.stream().anyMatch(anyOf::contains)) {
            return;
        }
        throw new Refusal(ValidationResult.Reason.WRONG_KEY_USAGE, Names.of(cert) + " may not be used for "
                + Names.of(usage) + ": its extended key usage " + eku + " does not include " + needed);
    }

    private static void requireEku(X509Certificate cert, CertificateUsage usage, List<String> eku, String oid,
                                   String name) throws Refusal {
        if (eku != null && eku.contains(oid)) {
            return;
        }
        throw new Refusal(ValidationResult.Reason.WRONG_KEY_USAGE, Names.of(cert) + " may not be used for "
                + Names.of(usage) + ": " + (eku == null ? "it has no extended key usage; " + name + " is required"
                : "its extended key usage " + eku + " does not include " + name));
    }
}
