package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.Decision;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;

/**
 * Asks the algorithm policy about the keys and signature algorithms of a certification path, its CRLs and OCSP
 * answers, and collects the flags of what it accepted only as legacy.
 *
 * <p>RSA PKCS#1 v1.5 signatures with a SHA-2 digest on certificates, CRLs and OCSP answers are accepted without a
 * flag unless configured otherwise (see {@link PkixCertificateValidator.Builder#flagPkcs1CertificateSignatures}):
 * nearly every CA signs like that, the known attacks on the scheme are implementation flaws rather than breaks, and
 * a flag on every result would teach people to ignore flags. The policy is still asked, so an installation that
 * refuses legacy inbound ({@code AlgorithmPolicy.Builder#refuseLegacyInbound}) refuses such paths.
 */
final class PathAlgorithms {

    private final AlgorithmPolicy policy;
    private final boolean flagPkcs1;

    PathAlgorithms(AlgorithmPolicy policy, boolean flagPkcs1) {
        this.policy = policy;
        this.flagPkcs1 = flagPkcs1;
    }

    /** Checks a public key ({@code whose}: "CN=… (intermediate)"); adds a flag for a legacy key. */
    void key(PublicKey key, String whose, Collection<String> flags) throws PolicyViolationException {
        try {
            Decision d = policy.checkInboundKey(key);
            if (d.flagged()) {
                flags.add(whose + ": " + d.flag());
            }
        } catch (PolicyViolationException e) {
            throw new PolicyViolationException(e.reason(), e.subject(), "the key of " + whose + " is refused: "
                    + e.getMessage());
        }
    }

    /**
     * Checks a signature algorithm with its digest (for RSASSA-PSS also the MGF1 digest); {@code what} names the
     * signed object ("the certificate CN=…", "the CRL from http://…").
     */
    void signature(AlgorithmIdentifier signatureAlgorithm, String what, Collection<String> flags)
            throws PolicyViolationException {
        String oid = signatureAlgorithm.getAlgorithm().getId();
        try {
            Decision scheme = policy.checkInboundOid(Algorithm.Kind.SIGNATURE, oid);
            Optional<Algorithm> known = Algorithm.byOid(Algorithm.Kind.SIGNATURE, oid);
            boolean pkcs1 = known.isPresent() && known.get() == Algorithm.RSA_PKCS1_V15_SIGNATURE;
            if (scheme.flagged() && (!pkcs1 || flagPkcs1)) {
                flags.add(what + ": " + scheme.flag());
            }
            for (ASN1ObjectIdentifier digest : digestsOf(signatureAlgorithm, known.orElse(null))) {
                Decision d = policy.checkInboundOid(Algorithm.Kind.DIGEST, digest.getId());
                if (d.flagged()) {
                    flags.add(what + ": " + d.flag());
                }
            }
        } catch (PolicyViolationException e) {
            throw new PolicyViolationException(e.reason(), e.subject(), what + " is signed with a refused algorithm: "
                    + e.getMessage());
        }
    }

    private static java.util.List<ASN1ObjectIdentifier> digestsOf(AlgorithmIdentifier sig, Algorithm scheme)
            throws PolicyViolationException {
        if (scheme == Algorithm.ED25519) {
            return java.util.List.of(); // the digest is part of the scheme
        }
        if (scheme == Algorithm.RSASSA_PSS) {
            // Absent parameters mean the RFC 4055 defaults (SHA-1, MGF1 with SHA-1), which the policy refuses.
            RSASSAPSSparams p = sig.getParameters() == null || sig.getParameters() instanceof org.bouncycastle.asn1.ASN1Null
                    ? new RSASSAPSSparams() : RSASSAPSSparams.getInstance(sig.getParameters());
            AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
            if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
                throw new PolicyViolationException(PolicyViolationException.Reason.UNKNOWN_ALGORITHM,
                        mgf.getAlgorithm().getId(), "RSASSA-PSS with mask generation " + mgf.getAlgorithm().getId()
                        + " is refused; only MGF1 is known");
            }
            return java.util.List.of(p.getHashAlgorithm().getAlgorithm(),
                    AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm());
        }
        AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(sig);
        if (digest == null) {
            throw new PolicyViolationException(PolicyViolationException.Reason.UNKNOWN_ALGORITHM,
                    sig.getAlgorithm().getId(), "the digest of signature algorithm " + sig.getAlgorithm().getId()
                    + " is unknown; refused");
        }
        return java.util.List.of(digest.getAlgorithm());
    }
}
