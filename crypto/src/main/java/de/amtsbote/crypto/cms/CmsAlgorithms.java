package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.JcaNames;

import static de.amtsbote.crypto.policy.PolicyViolationException.Reason.UNKNOWN_ALGORITHM;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.Algorithm.Kind;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.Decision;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The CMS encoding of policy algorithms, both ways: the algorithm identifiers we write for what the policy chose, and
 * the classification of every identifier found in an inbound message into policy algorithms, each checked by the
 * policy. Nothing inbound is used before it passed through here.
 */
final class CmsAlgorithms {

    /** The smallest GCM tag accepted (TR-02102-1 2.1: tags of at least 96 bits). */
    static final int MIN_GCM_TAG_BYTES = 12;

    /** Digests implied by combined signature identifiers (sha256WithRSAEncryption, ecdsa-with-SHA384, ...). */
    private static final Map<String, Algorithm> IMPLIED_DIGEST = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.4", Algorithm.MD5),
            Map.entry("1.2.840.113549.1.1.5", Algorithm.SHA1),
            Map.entry("1.2.840.113549.1.1.14", Algorithm.SHA224),
            Map.entry("1.2.840.113549.1.1.11", Algorithm.SHA256),
            Map.entry("1.2.840.113549.1.1.12", Algorithm.SHA384),
            Map.entry("1.2.840.113549.1.1.13", Algorithm.SHA512),
            Map.entry("1.2.840.10045.4.1", Algorithm.SHA1),
            Map.entry("1.2.840.10045.4.3.1", Algorithm.SHA224),
            Map.entry("1.2.840.10045.4.3.2", Algorithm.SHA256),
            Map.entry("1.2.840.10045.4.3.3", Algorithm.SHA384),
            Map.entry("1.2.840.10045.4.3.4", Algorithm.SHA512),
            Map.entry("1.2.840.10040.4.3", Algorithm.SHA1),
            Map.entry("2.16.840.1.101.3.4.3.2", Algorithm.SHA256));

    /** The X9.63 KDF digest of each ECDH-ES scheme identifier (RFC 5753 7.1.4). */
    private static final Map<String, Algorithm> ECDH_KDF_DIGEST = Map.of(
            "1.3.132.1.11.0", Algorithm.SHA224,
            "1.3.132.1.11.1", Algorithm.SHA256,
            "1.3.132.1.11.2", Algorithm.SHA384,
            "1.3.132.1.11.3", Algorithm.SHA512);

    private CmsAlgorithms() {
    }

    // ------------------------------------------------------------------ outbound

    static ASN1ObjectIdentifier oid(Algorithm algorithm) {
        if (algorithm.oid() == null) {
            throw new IllegalArgumentException(algorithm + " has no CMS object identifier");
        }
        return new ASN1ObjectIdentifier(algorithm.oid());
    }

    /** A digest identifier; SHA-2 parameters are absent (RFC 5754 2). */
    static AlgorithmIdentifier digest(Algorithm digest) {
        return new AlgorithmIdentifier(oid(digest));
    }

    /** The SignerInfo signature algorithm for a policy signature spec (the one mapping, in {@link JcaNames}). */
    static AlgorithmIdentifier signature(SignatureSpec spec) {
        try {
            return JcaNames.signatureAlgorithm(spec);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** RSAES-OAEP with OAEP and MGF1 over the same digest and the empty label (RFC 8017, RFC 4055). */
    static AlgorithmIdentifier oaep(Algorithm digest) {
        AlgorithmIdentifier hash = new AlgorithmIdentifier(oid(digest), DERNull.INSTANCE);
        RSAESOAEPparams params = new RSAESOAEPparams(hash,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash), RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, params);
    }

    /** The dhSinglePass-stdDH-shaXkdf-scheme identifier for an ECDH-ES KDF digest (RFC 5753 7.1.4). */
    static ASN1ObjectIdentifier ecdhScheme(Algorithm kdfDigest) {
        return switch (kdfDigest) {
            case SHA256 -> SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme;
            case SHA384 -> SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme;
            case SHA512 -> SECObjectIdentifiers.dhSinglePass_stdDH_sha512kdf_scheme;
            default -> throw new IllegalArgumentException("no ECDH-ES scheme with a " + kdfDigest + " KDF");
        };
    }

    /** "sha-256" for the micalg parameter of multipart/signed (RFC 8551 3.5.3.2). */
    static String micalg(Algorithm digest) {
        return switch (digest) {
            case SHA256 -> "sha-256";
            case SHA384 -> "sha-384";
            case SHA512 -> "sha-512";
            default -> throw new IllegalArgumentException("no micalg name for " + digest);
        };
    }

    /** The digest a micalg value names, if the policy knows it. */
    static java.util.Optional<Algorithm> fromMicalg(String micalg) {
        return switch (micalg.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sha-256" -> java.util.Optional.of(Algorithm.SHA256);
            case "sha-384" -> java.util.Optional.of(Algorithm.SHA384);
            case "sha-512" -> java.util.Optional.of(Algorithm.SHA512);
            case "sha-1", "sha1" -> java.util.Optional.of(Algorithm.SHA1);
            default -> java.util.Optional.empty();
        };
    }

    // ------------------------------------------------------------------ inbound

    /** The algorithm and policy decision for one inbound identifier. */
    record Checked(Algorithm algorithm, Decision decision) {
    }

    /** Checks an inbound identifier of a kind; unknown identifiers are refused by the policy. */
    static Checked check(AlgorithmPolicy policy, Kind kind, ASN1ObjectIdentifier oid) throws PolicyViolationException {
        Decision d = policy.checkInboundOid(kind, oid.getId());
        return new Checked(Algorithm.byOid(kind, oid.getId()).orElseThrow(), d);
    }

    /**
     * Checks a SignerInfo's algorithms: the digest, the signature scheme, a digest implied by a combined identifier,
     * and for RSASSA-PSS the hash and MGF1 parameters. Returns the scheme seen with the digest, and the flags.
     */
    static SignatureSpec checkSignature(AlgorithmPolicy policy, AlgorithmIdentifier digestAlgorithm,
                                        AlgorithmIdentifier signatureAlgorithm, List<String> flags)
            throws PolicyViolationException {
        Checked digest = check(policy, Kind.DIGEST, digestAlgorithm.getAlgorithm());
        Checked scheme = check(policy, Kind.SIGNATURE, signatureAlgorithm.getAlgorithm());
        Algorithm implied = IMPLIED_DIGEST.get(signatureAlgorithm.getAlgorithm().getId());
        if (implied != null) {
            flag(flags, policy.checkInbound(Kind.DIGEST, implied));
            if (implied != digest.algorithm()) {
                throw new PolicyViolationException(UNKNOWN_ALGORITHM, signatureAlgorithm.getAlgorithm().getId(),
                        "the signature algorithm names " + implied + " but the digest algorithm is "
                                + digest.algorithm() + "; mixed digests are refused");
            }
        }
        if (scheme.algorithm() == Algorithm.RSASSA_PSS) {
            RSASSAPSSparams params = signatureAlgorithm.getParameters() == null ? new RSASSAPSSparams()
                    : RSASSAPSSparams.getInstance(signatureAlgorithm.getParameters());
            Checked hash = check(policy, Kind.DIGEST, params.getHashAlgorithm().getAlgorithm());
            Checked mgf = checkMgf1(policy, params.getMaskGenAlgorithm());
            flag(flags, hash.decision());
            flag(flags, mgf.decision());
        }
        flag(flags, digest.decision());
        flag(flags, scheme.decision());
        return new SignatureSpec(scheme.algorithm(), digest.algorithm(), null);
    }

    /** The OAEP digest of an RSAES-OAEP identifier, after checking hash, MGF1 hash and label (absent = SHA-1). */
    static Algorithm checkOaep(AlgorithmPolicy policy, AlgorithmIdentifier keyEncryption, List<String> flags)
            throws PolicyViolationException {
        // absent parameters mean SHA-1 for OAEP and MGF1: OpenSSL's default OAEP, accepted only as flagged legacy
        RSAESOAEPparams params = keyEncryption.getParameters() == null ? new RSAESOAEPparams()
                : RSAESOAEPparams.getInstance(keyEncryption.getParameters());
        if (isSha1(params.getHashAlgorithm()) && isMgf1Sha1(params.getMaskGenAlgorithm())
                && isEmptyLabel(params.getPSourceAlgorithm())) {
            flag(flags, policy.checkInbound(Kind.KEY_TRANSPORT, Algorithm.RSAES_OAEP_SHA1));
            return Algorithm.SHA1;
        }
        Checked hash = check(policy, Kind.DIGEST, params.getHashAlgorithm().getAlgorithm());
        Checked mgf = checkMgf1(policy, params.getMaskGenAlgorithm());
        if (hash.algorithm() != mgf.algorithm()) {
            throw new PolicyViolationException(UNKNOWN_ALGORITHM, "RSAES-OAEP " + hash.algorithm() + "/MGF1 "
                    + mgf.algorithm(), "RSAES-OAEP with " + hash.algorithm() + " and MGF1 over " + mgf.algorithm()
                    + " is refused: OAEP and MGF1 must use the same digest");
        }
        if (!isEmptyLabel(params.getPSourceAlgorithm())) {
            throw new PolicyViolationException(UNKNOWN_ALGORITHM, "RSAES-OAEP label",
                    "RSAES-OAEP with a non-empty label is refused (nothing in CMS uses one)");
        }
        flag(flags, hash.decision());
        flag(flags, mgf.decision());
        return hash.algorithm();
    }

    /** Classifies an ECDH key agreement identifier into the scheme and its KDF digest, both checked. */
    static Algorithm checkEcdhKdf(AlgorithmPolicy policy, ASN1ObjectIdentifier scheme, List<String> flags)
            throws PolicyViolationException {
        Checked checked = check(policy, Kind.KEY_AGREEMENT, scheme);
        flag(flags, checked.decision());
        Algorithm kdf = ECDH_KDF_DIGEST.get(scheme.getId());
        if (kdf == null) {
            throw new PolicyViolationException(UNKNOWN_ALGORITHM, scheme.getId(),
                    "key agreement scheme " + scheme.getId() + " has no KDF the policy knows");
        }
        flag(flags, policy.checkInbound(Kind.DIGEST, kdf));
        return kdf;
    }

    /** Checks an inbound content cipher; for GCM also the tag length. */
    static Algorithm checkContent(AlgorithmPolicy policy, AlgorithmIdentifier content, List<String> flags)
            throws PolicyViolationException {
        Checked checked = check(policy, Kind.CONTENT_ENCRYPTION, content.getAlgorithm());
        Algorithm a = checked.algorithm();
        if (a == Algorithm.AES128_GCM || a == Algorithm.AES192_GCM || a == Algorithm.AES256_GCM) {
            int tag = GCMParameters.getInstance(content.getParameters()).getIcvLen();
            if (tag < MIN_GCM_TAG_BYTES) {
                throw new PolicyViolationException(PolicyViolationException.Reason.KEY_TOO_SHORT,
                        a + " tag of " + tag * 8 + " bit", a + " with a " + tag * 8
                        + "-bit tag is refused: at least 96 bits (BSI TR-02102-1 (2025-01) 2.1)");
            }
        }
        flag(flags, checked.decision());
        return a;
    }

    /** The content key length in bytes for a content cipher. */
    static int keyLength(Algorithm content) {
        if (content.bits() <= 0) {
            throw new IllegalArgumentException(content + " has no fixed key length");
        }
        return content.bits() / 8;
    }

    static void flag(List<String> flags, Decision decision) {
        if (decision.flagged() && !flags.contains(decision.flag())) {
            flags.add(decision.flag());
        }
    }

    private static boolean isSha1(AlgorithmIdentifier digest) {
        return Algorithm.SHA1.oids().contains(digest.getAlgorithm().getId());
    }

    private static boolean isMgf1Sha1(AlgorithmIdentifier mgf) {
        return PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm()) && mgf.getParameters() != null
                && isSha1(AlgorithmIdentifier.getInstance(mgf.getParameters()));
    }

    private static boolean isEmptyLabel(AlgorithmIdentifier label) {
        return label.getAlgorithm().equals(PKCSObjectIdentifiers.id_pSpecified)
                && org.bouncycastle.asn1.ASN1OctetString.getInstance(label.getParameters()).getOctets().length == 0;
    }

    private static Checked checkMgf1(AlgorithmPolicy policy, AlgorithmIdentifier mgf) throws PolicyViolationException {
        if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
            throw new PolicyViolationException(UNKNOWN_ALGORITHM, mgf.getAlgorithm().getId(),
                    "mask generation function " + mgf.getAlgorithm().getId() + " is refused; only MGF1 is known");
        }
        ASN1Encodable p = mgf.getParameters();
        return check(policy, Kind.DIGEST, AlgorithmIdentifier.getInstance(p).getAlgorithm());
    }
}
