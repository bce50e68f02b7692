package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.policy.Algorithm.*;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.transforms.Transforms;

/**
 * The XML identifiers of the algorithms the policy chooses, and what an inbound SignatureMethod URI means. The
 * policy's {@link Algorithm} knows the URIs of single algorithms; an XML-DSig signature method names a scheme and a
 * digest at once, which this table splits so that both are checked by the policy.
 */
final class XmlAlgorithms {

    static final String DSIG_MORE_2001 = "http://www.w3.org/2001/04/xmldsig-more#";
    static final String DSIG_MORE_2007 = "http://www.w3.org/2007/05/xmldsig-more#";
    static final String DSIG_MORE_2021 = "http://www.w3.org/2021/04/xmldsig-more#";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String DSIG11 = "http://www.w3.org/2009/xmldsig11#";

    /** The canonicalisation we write: exclusive c14n without comments (survives re-embedding in SOAP/OSCI). */
    static final String EXC_C14N = Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS;

    /**
     * Canonicalisations accepted inbound, for SignedInfo and as transforms. The with-comments variants are refused:
     * our parser drops comments, and comments are a known channel for making readers and signers disagree.
     */
    static final Set<String> CANONICALIZATIONS = Set.of(
            Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS,
            Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS,
            Canonicalizer.ALGO_ID_C14N11_OMIT_COMMENTS);

    static final String ENVELOPED = Transforms.TRANSFORM_ENVELOPED_SIGNATURE;

    /** A signature method: which scheme with which digest. */
    record Method(Algorithm scheme, Algorithm digest) {
    }

    private static final Map<String, Method> SIGNATURE_METHODS = signatureMethods();

    private XmlAlgorithms() {
    }

    /** The SignatureMethod URI for a policy's signature spec. */
    static String signatureMethod(SignatureSpec spec) {
        for (Map.Entry<String, Method> e : SIGNATURE_METHODS.entrySet()) {
            if (e.getValue().scheme() == spec.scheme() && e.getValue().digest() == spec.digest()
                    && !e.getKey().endsWith("#rsa-pss")) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no XML signature method for " + spec.displayName());
    }

    /** The DigestMethod URI for a digest. */
    static String digestMethod(Algorithm digest) {
        if (digest.kind() != Algorithm.Kind.DIGEST || digest.xmlUris().isEmpty()) {
            throw new IllegalArgumentException(digest + " has no XML digest method");
        }
        return digest.xmlUris().get(0);
    }

    /**
     * What an inbound SignatureMethod URI means; empty when unknown (then refused). For RFC 9231 {@code rsa-pss} the
     * digest is in the parameters and the caller reads it from there.
     */
    static Optional<Method> signatureMethod(String uri) {
        return Optional.ofNullable(SIGNATURE_METHODS.get(uri));
    }

    static boolean isRsaPssWithParameters(String uri) {
        return (DSIG_MORE_2007 + "rsa-pss").equals(uri);
    }

    private static Map<String, Method> signatureMethods() {
        Map<String, Method> m = new LinkedHashMap<>();
        // ours first: signatureMethod(spec) picks the first match
        m.put(DSIG_MORE_2001 + "ecdsa-sha256", new Method(ECDSA, SHA256));
        m.put(DSIG_MORE_2001 + "ecdsa-sha384", new Method(ECDSA, SHA384));
        m.put(DSIG_MORE_2001 + "ecdsa-sha512", new Method(ECDSA, SHA512));
        m.put(DSIG_MORE_2007 + "sha256-rsa-MGF1", new Method(RSASSA_PSS, SHA256));
        m.put(DSIG_MORE_2007 + "sha384-rsa-MGF1", new Method(RSASSA_PSS, SHA384));
        m.put(DSIG_MORE_2007 + "sha512-rsa-MGF1", new Method(RSASSA_PSS, SHA512));
        m.put(DSIG_MORE_2007 + "sha3-256-rsa-MGF1", new Method(RSASSA_PSS, SHA3_256));
        m.put(DSIG_MORE_2007 + "sha3-384-rsa-MGF1", new Method(RSASSA_PSS, SHA3_384));
        m.put(DSIG_MORE_2007 + "sha3-512-rsa-MGF1", new Method(RSASSA_PSS, SHA3_512));
        m.put(DSIG_MORE_2007 + "sha1-rsa-MGF1", new Method(RSASSA_PSS, SHA1));
        m.put(DSIG_MORE_2007 + "sha224-rsa-MGF1", new Method(RSASSA_PSS, SHA224));
        // RFC 6931/9231 RSASSA-PSS with parameters: the digest is in RSAPSSParams; SHA-256 is a placeholder
        m.put(DSIG_MORE_2007 + "rsa-pss", new Method(RSASSA_PSS, SHA256));
        m.put(DSIG_MORE_2001 + "rsa-sha256", new Method(RSA_PKCS1_V15_SIGNATURE, SHA256));
        m.put(DSIG_MORE_2001 + "rsa-sha384", new Method(RSA_PKCS1_V15_SIGNATURE, SHA384));
        m.put(DSIG_MORE_2001 + "rsa-sha512", new Method(RSA_PKCS1_V15_SIGNATURE, SHA512));
        m.put(DSIG_MORE_2001 + "rsa-sha224", new Method(RSA_PKCS1_V15_SIGNATURE, SHA224));
        m.put(DSIG + "rsa-sha1", new Method(RSA_PKCS1_V15_SIGNATURE, SHA1));
        m.put(DSIG_MORE_2001 + "rsa-md5", new Method(RSA_PKCS1_V15_SIGNATURE, MD5));
        m.put(DSIG_MORE_2001 + "ecdsa-sha1", new Method(ECDSA, SHA1));
        m.put(DSIG_MORE_2001 + "ecdsa-sha224", new Method(ECDSA, SHA224));
        m.put(DSIG_MORE_2007 + "ecdsa-sha3-256", new Method(ECDSA, SHA3_256));
        m.put(DSIG_MORE_2007 + "ecdsa-sha3-384", new Method(ECDSA, SHA3_384));
        m.put(DSIG_MORE_2007 + "ecdsa-sha3-512", new Method(ECDSA, SHA3_512));
        m.put(DSIG + "dsa-sha1", new Method(DSA, SHA1));
        m.put(DSIG11 + "dsa-sha256", new Method(DSA, SHA256));
        m.put(DSIG_MORE_2021 + "eddsa-ed25519", new Method(ED25519, SHA512));
        return m;
    }
}
