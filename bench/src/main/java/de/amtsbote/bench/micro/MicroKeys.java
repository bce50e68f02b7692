package de.amtsbote.bench.micro;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Locale;

/**
 * Keys for the micro-benchmarks, of the kinds the demo installation gives the gateway: a CA on P-256, the sender's
 * signing key on brainpoolP256r1, encryption keys on RSA-3072 or brainpoolP256r1, evidence keys on P-256 or
 * brainpoolP256r1. Software keys; path validation without revocation (a benchmark has no OCSP responder to ask).
 */
final class MicroKeys {

    final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    final CertificateValidator validator;
    private final CertificateAuthority ca;

    MicroKeys() throws GeneralSecurityException {
        ca = CertificateAuthority.root("Micro Bench CA", KeySpec.ec("P-256"), Clock.systemUTC());
        validator = PkixCertificateValidator.builder().trustAnchor(ca.certificate()).policy(policy)
                .revocation(RevocationSources.NONE).build();
    }

    /** A key handle of {@code spec} ("RSA-3072", "brainpoolP256r1", "P-256") for a purpose. */
    PrivateKeyHandle key(String owner, KeyPurpose purpose, String spec) throws GeneralSecurityException {
        CertificateProfile profile = switch (purpose) {
            case SIGNING -> CertificateProfile.SIGNING;
            case ENCRYPTION -> CertificateProfile.ENCRYPTION;
            case EVIDENCE -> CertificateProfile.EVIDENCE;
            default -> CertificateProfile.SIGNING_AND_ENCRYPTION;
        };
        String id = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        IssuedCertificate issued = ca.issue(IssueRequest.named(owner).profile(profile).key(keySpec(spec))
                .email(id + "@bench.example"));
        return new SoftwareKeyHandle(new KeyRef(id, purpose, id + "." + purpose.name().toLowerCase(Locale.ROOT)),
                issued.privateKey(), issued.chain());
    }

    static KeySpec keySpec(String spec) {
        return spec.equals("RSA-3072") ? KeySpec.rsa(3072) : KeySpec.ec(spec);
    }
}
