package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The translation of policy algorithms into JCA names and parameters — the only place a string like
 * {@code "SHA256withECDSA"} is written. Names are those every provider involved knows (SunPKCS11, SunRsaSign, BC).
 */
public final class JcaNames {

    /**
     * Raw RSA (RSADP without any padding): a token does the private-key operation and the padding is checked in
     * software, for tokens that cannot do RSAES-OAEP with SHA-2 themselves.
     */
    public static final String RAW_RSA = "RSA/ECB/NoPadding";

    /** Elliptic-curve Diffie-Hellman key agreement, yielding the raw shared secret Z. */
    public static final String ECDH = "ECDH";

    private JcaNames() {
    }

    /** A {@link Signature} for the spec from the given provider, parameters set. */
    public static Signature signature(SignatureSpec spec, Provider provider) throws GeneralSecurityException {
        String digest = compact(spec.digest());
        switch (spec.scheme()) {
            case RSASSA_PSS: {
                Signature s = Signature.getInstance("RSASSA-PSS", provider);
                s.setParameter(pss(spec.digest()));
                return s;
            }
            case RSA_PKCS1_V15_SIGNATURE:
                return Signature.getInstance(digest + "withRSA", provider);
            case ECDSA:
                return Signature.getInstance(digest + "withECDSA", provider);
            case ED25519:
                return Signature.getInstance("Ed25519", provider);
            default:
                throw new NoSuchAlgorithmException("no signature scheme " + spec.displayName());
        }
    }

    /**
     * The X.509/CMS AlgorithmIdentifier of a signature spec: RSASSA-PSS with its parameters written out (MGF1 over
     * the same digest, salt as long as the digest, trailer 1), ECDSA and PKCS#1 v1.5 by their combined identifiers.
     * Certificate requests, placeholder certificates and CMS SignerInfos all use this one mapping.
     */
    public static AlgorithmIdentifier signatureAlgorithm(SignatureSpec spec) throws NoSuchAlgorithmException {
        AlgorithmIdentifier hash = new AlgorithmIdentifier(new ASN1ObjectIdentifier(spec.digest().oid()));
        switch (spec.scheme()) {
            case RSASSA_PSS: {
                int saltLength;
                try {
                    saltLength = digestLength(spec.digest());
                } catch (InvalidAlgorithmParameterException e) {
                    throw new NoSuchAlgorithmException(e.getMessage(), e);
                }
                return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(hash,
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash), new ASN1Integer(saltLength),
                        new ASN1Integer(1)));
            }
            case ECDSA:
                return new AlgorithmIdentifier(switch (spec.digest()) {
                    case SHA256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
                    case SHA384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
                    case SHA512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
                    case SHA3_256 -> NISTObjectIdentifiers.id_ecdsa_with_sha3_256;
                    case SHA3_384 -> NISTObjectIdentifiers.id_ecdsa_with_sha3_384;
                    case SHA3_512 -> NISTObjectIdentifiers.id_ecdsa_with_sha3_512;
                    default -> throw new NoSuchAlgorithmException("no ECDSA identifier for " + spec.digest());
                });
            case RSA_PKCS1_V15_SIGNATURE:
                return new AlgorithmIdentifier(switch (spec.digest()) {
                    case SHA256 -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
                    case SHA384 -> PKCSObjectIdentifiers.sha384WithRSAEncryption;
                    case SHA512 -> PKCSObjectIdentifiers.sha512WithRSAEncryption;
                    default -> throw new NoSuchAlgorithmException("no RSA PKCS#1 v1.5 identifier for " + spec.digest());
                }, DERNull.INSTANCE);
            case ED25519:
                return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
            default:
                throw new NoSuchAlgorithmException("no signature identifier for " + spec.displayName());
        }
    }

    /** RSASSA-PSS parameters: MGF1 over the same digest, salt as long as the digest, trailer 1 (RFC 4056). */
    public static PSSParameterSpec pss(Algorithm digest) throws InvalidAlgorithmParameterException {
        String name = digest.displayName();
        return new PSSParameterSpec(name, "MGF1", new MGF1ParameterSpec(name), digestLength(digest), 1);
    }

    /** RSAES-OAEP parameters: OAEP and MGF1 over the same digest, empty label (RFC 8017, TR-02102-1 3.6). */
    public static OAEPParameterSpec oaep(Algorithm digest) {
        String name = digest.displayName();
        return new OAEPParameterSpec(name, "MGF1", new MGF1ParameterSpec(name), PSource.PSpecified.DEFAULT);
    }

    /** The digest's JCA name ("SHA-256"). */
    public static String digest(Algorithm digest) {
        if (digest.kind() != Algorithm.Kind.DIGEST) {
            throw new IllegalArgumentException(digest + " is not a digest");
        }
        return digest.displayName();
    }

    /**
     * A fresh digest instance (Bouncy Castle, which has every digest the policy names), for code outside crypto/ that
     * must hash by a protocol's rules (the De-Mail integrity field) without choosing JCA names itself.
     */
    public static MessageDigest messageDigest(Algorithm digest) {
        try {
            return MessageDigest.getInstance(digest(digest), de.amtsbote.crypto.Providers.bouncyCastle());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest.displayName() + " is not available", e);
        }
    }

    /** Output length of a digest in bytes. */
    public static int digestLength(Algorithm digest) throws InvalidAlgorithmParameterException {
        switch (digest) {
            case SHA256:
            case SHA3_256:
                return 32;
            case SHA384:
            case SHA3_384:
                return 48;
            case SHA512:
            case SHA3_512:
                return 64;
            default:
                throw new InvalidAlgorithmParameterException(digest + " is not a digest the policy signs with");
        }
    }

    /**
     * A generator of ephemeral EC keys on the curve of {@code peerKey}, initialised by the curve's NAME: Bouncy
     * Castle then uses its optimised implementation of that curve, while explicit parameters would put every
     * operation on its generic BigInteger arithmetic (measured: 72 % of an ECDH message's time).
     */
    public static KeyPairGenerator ecKeyPairGenerator(PublicKey peerKey, Provider provider)
            throws GeneralSecurityException {
        String curve;
        try {
            curve = AlgorithmPolicy.curveName(peerKey);
        } catch (de.amtsbote.crypto.policy.PolicyViolationException e) {
            throw new java.security.InvalidAlgorithmParameterException(e.getMessage(), e);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
        g.initialize(new ECGenParameterSpec(KeySpec.bcCurveName(curve)));
        return g;
    }

    /** A recovered content-encryption key as the JCA wants it for the content cipher (AES or ChaCha20). */
    public static SecretKey contentKey(byte[] key, Algorithm content) {
        if (content.kind() != Algorithm.Kind.CONTENT_ENCRYPTION) {
            throw new IllegalArgumentException(content + " is not a content cipher");
        }
        return new SecretKeySpec(key, content == Algorithm.CHACHA20_POLY1305 ? "ChaCha20" : "AES");
    }

    /** "SHA256" for "SHA-256", as in the JCA's "SHA256withECDSA". */
    private static String compact(Algorithm digest) {
        String n = digest.displayName();
        return n.startsWith("SHA3-") ? n : n.replace("-", "");
    }
}
