package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The test PKI of the XML tests, generated once per JVM: a root, an intermediate, and signers and recipients on every
 * key type the gateway uses; plus a stranger's CA whose certificates must not validate.
 */
final class XmlTestPki {

    static final Clock CLOCK = Clock.systemUTC();

    private static XmlTestPki instance;

    final CertificateAuthority root;
    final CertificateAuthority intermediate;
    final IssuedCertificate evidenceP256;
    final IssuedCertificate evidenceBrainpool;
    final IssuedCertificate signerRsa;
    final IssuedCertificate recipientRsa;
    final IssuedCertificate otherRecipientRsa;
    final IssuedCertificate recipientBrainpool;
    final IssuedCertificate recipientP256;
    final IssuedCertificate stranger;

    private XmlTestPki() throws GeneralSecurityException {
        root = CertificateAuthority.root("Amtsbote XML Test Root", KeySpec.ec("P-256"), CLOCK);
        intermediate = root.intermediate("Amtsbote XML Test Sub-CA", KeySpec.ec("P-256"));
        evidenceP256 = intermediate.issue(IssueRequest.named("Evidence P-256").profile(CertificateProfile.EVIDENCE)
                .key(KeySpec.ec("P-256")));
        evidenceBrainpool = intermediate.issue(IssueRequest.named("Evidence brainpoolP256r1")
                .profile(CertificateProfile.EVIDENCE).key(KeySpec.ec("brainpoolP256r1")));
        signerRsa = intermediate.issue(IssueRequest.named("Signer RSA").profile(CertificateProfile.SIGNING)
                .key(KeySpec.rsa(3072)));
        recipientRsa = intermediate.issue(IssueRequest.named("Recipient RSA").profile(CertificateProfile.ENCRYPTION)
                .key(KeySpec.rsa(3072)));
        otherRecipientRsa = intermediate.issue(IssueRequest.named("Other recipient RSA")
                .profile(CertificateProfile.ENCRYPTION).key(KeySpec.rsa(3072)));
        recipientBrainpool = intermediate.issue(IssueRequest.named("Recipient brainpoolP256r1")
                .profile(CertificateProfile.ENCRYPTION).key(KeySpec.ec("brainpoolP256r1")));
        recipientP256 = intermediate.issue(IssueRequest.named("Recipient P-256")
                .profile(CertificateProfile.ENCRYPTION).key(KeySpec.ec("P-256")));
        CertificateAuthority strangers = CertificateAuthority.root("Stranger Root", KeySpec.ec("P-256"), CLOCK);
        stranger = strangers.issue(IssueRequest.named("Stranger").profile(CertificateProfile.EVIDENCE)
                .key(KeySpec.ec("P-256")));
    }

    static synchronized XmlTestPki get() throws GeneralSecurityException {
        if (instance == null) {
            instance = new XmlTestPki();
        }
        return instance;
    }

    static SoftwareKeyHandle handle(IssuedCertificate issued, KeyPurpose purpose) {
        return new SoftwareKeyHandle(new KeyRef("test", purpose, issued.certificate().getSerialNumber().toString(16)),
                issued.privateKey(), issued.chain());
    }

    /** A validator backed by the JDK's PKIX algorithm (on Bouncy Castle for brainpool) against the test root. */
    CertificateValidator validator() {
        return new PkixValidator(root.certificate());
    }

    static final class PkixValidator implements CertificateValidator {
        private final X509Certificate anchor;

        PkixValidator(X509Certificate anchor) {
            this.anchor = anchor;
        }

        @Override
        public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                                         CertificateUsage usage, Instant at) {
            List<X509Certificate> path = new ArrayList<>();
            path.add(certificate);
            X509Certificate current = certificate;
            while (true) {
                X509Certificate c = current;
                X509Certificate issuer = intermediates.stream()
                        .filter(i -> i.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && i != c)
                        .findFirst().orElse(null);
                if (issuer == null || path.contains(issuer)) {
                    break;
                }
                path.add(issuer);
                current = issuer;
            }
            try {
                CertificateFactory f = CertificateFactory.getInstance("X.509", Providers.bouncyCastle());
                CertPath certPath = f.generateCertPath(path);
                PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
                params.setRevocationEnabled(false);
                params.setDate(Date.from(at));
                CertPathValidator.getInstance("PKIX", Providers.bouncyCastle()).validate(certPath, params);
                return new ValidationResult(null, "valid", path, anchor, null, List.of(), at);
            } catch (CertPathValidatorException e) {
                return new ValidationResult(ValidationResult.Reason.UNKNOWN_CA, String.valueOf(e.getMessage()), path,
                        null, null, List.of(), at);
            } catch (GeneralSecurityException e) {
                return new ValidationResult(ValidationResult.Reason.MALFORMED, String.valueOf(e.getMessage()), path,
                        null, null, List.of(), at);
            }
        }
    }
}
