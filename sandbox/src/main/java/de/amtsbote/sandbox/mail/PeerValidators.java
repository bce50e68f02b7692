package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.crypto.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** The certificate validator the peers share: the crypto module's PKIX validator on the configured anchors. */
final class PeerValidators {

    private PeerValidators() {
    }

    static CertificateValidator create(Path anchors, RevocationMode mode, Clock clock)
            throws IOException, CertificateException {
        if (mode == RevocationMode.AUTO) {
            return new ByWhatTheCertificateNames(build(anchors, RevocationSources.OCSP_THEN_CRL, clock),
                    build(anchors, RevocationSources.NONE, clock));
        }
        RevocationSources sources = switch (mode) {
            case OCSP_THEN_CRL -> RevocationSources.OCSP_THEN_CRL;
            case CRL_THEN_OCSP -> RevocationSources.CRL_THEN_OCSP;
            case OCSP_ONLY -> RevocationSources.OCSP_ONLY;
            case CRL_ONLY -> RevocationSources.CRL_ONLY;
            case NONE -> RevocationSources.NONE;
            case AUTO -> throw new IllegalStateException("handled above");
        };
        return build(anchors, sources, clock);
    }

    private static PkixCertificateValidator build(Path anchors, RevocationSources sources, Clock clock)
            throws IOException, CertificateException {
        return PkixCertificateValidator.builder().trustAnchorsFrom(anchors).revocation(sources).clock(clock).build();
    }

    /** Whether a certificate names an OCSP responder or a CRL distribution point. */
    static boolean namesRevocationSource(X509Certificate certificate) {
        if (certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()) != null) {
            return true;
        }
        byte[] aia = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (aia == null) {
            return false;
        }
        try {
            ASN1Primitive value = JcaX509ExtensionUtils.parseExtensionValue(aia);
            for (AccessDescription d : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            // a broken extension: ask the full validator, which names the problem
            return true;
        }
    }

    /**
     * Revocation "auto": a certificate that names where its status is published is checked there (fail-closed); one
     * that names nothing (the demo PKI runs no responder) is validated without revocation checking, which the result
     * flags. Deciding per certificate keeps one configuration for the demo and for tests with a responder.
     */
    private record ByWhatTheCertificateNames(CertificateValidator full, CertificateValidator none)
            implements CertificateValidator {
        @Override
        public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                                         CertificateUsage usage, Instant at) {
            return (namesRevocationSource(certificate) ? full : none).validate(certificate, intermediates, usage, at);
        }
    }
}
