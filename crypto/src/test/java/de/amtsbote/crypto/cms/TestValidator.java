package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * A certificate validator for tests: JDK PKIX path validation to one trust anchor (no revocation), plus the key usage
 * for the use. The real validator (revocation, policy on the path) lives in the validation package.
 */
public final class TestValidator implements CertificateValidator {

    private final X509Certificate anchor;

    public TestValidator(X509Certificate anchor) {
        this.anchor = anchor;
    }

    @Override
    public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                                     CertificateUsage usage, Instant at) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(certificate);
        X509Certificate current = certificate;
        while (!current.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
            X509Certificate next = null;
            for (X509Certificate c : intermediates) {
                if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal()) && !c.equals(current)) {
                    next = c;
                }
            }
            if (next == null || path.size() > 5) {
                return invalid(ValidationResult.Reason.UNKNOWN_CA, "no path to " + anchor.getSubjectX500Principal(), at);
            }
            path.add(next);
            current = next;
        }
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, params);
        } catch (CertPathValidatorException e) {
            ValidationResult.Reason reason = switch (e.getReason() instanceof CertPathValidatorException.BasicReason b
                    ? b : CertPathValidatorException.BasicReason.UNSPECIFIED) {
                case EXPIRED -> ValidationResult.Reason.EXPIRED;
                case NOT_YET_VALID -> ValidationResult.Reason.NOT_YET_VALID;
                case INVALID_SIGNATURE -> ValidationResult.Reason.BAD_SIGNATURE;
                default -> ValidationResult.Reason.UNKNOWN_CA;
            };
            return invalid(reason, e.getMessage(), at);
        } catch (GeneralSecurityException e) {
            return invalid(ValidationResult.Reason.MALFORMED, e.getMessage(), at);
        }
        boolean[] ku = certificate.getKeyUsage();
        boolean ok = ku == null || switch (usage) {
            case MESSAGE_SIGNATURE, EVIDENCE_SIGNATURE -> ku[0] || ku[1];
            case MESSAGE_ENCRYPTION -> ku[2] || ku[4];
            default -> true;
        };
        if (!ok) {
            return invalid(ValidationResult.Reason.WRONG_KEY_USAGE, "key usage does not allow " + usage, at);
        }
        return new ValidationResult(null, "valid", path, anchor, null, List.of(), at);
    }

    private static ValidationResult invalid(ValidationResult.Reason reason, String detail, Instant at) {
        return new ValidationResult(reason, detail, List.of(), null, null, List.of(), at);
    }
}
