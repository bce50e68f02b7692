package de.amtsbote.crypto.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every algorithm Amtsbote knows by name, whether it may use it or not. Knowing the refused ones is what lets an
 * error say "SHA-1 is refused" instead of "unknown algorithm 1.3.14.3.2.26". The object identifiers are those of
 * CMS (RFC 5652, 5754, 8017, 5753, 5084, 3565) and the XML ones those of XML-DSig 1.1 / XML Encryption 1.1.
 *
 * <p>Only code in {@code de.amtsbote.crypto} turns these into provider algorithm names; callers elsewhere only see
 * them in results ("signed with RSASSA-PSS/SHA-256").
 */
public enum Algorithm {

    // digests
    MD5(Kind.DIGEST, "MD5", 0, List.of("1.2.840.113549.2.5"), List.of("http://www.w3.org/2001/04/xmldsig-more#md5")),
    SHA1(Kind.DIGEST, "SHA-1", 0, List.of("1.3.14.3.2.26"), List.of("http://www.w3.org/2000/09/xmldsig#sha1")),
    SHA224(Kind.DIGEST, "SHA-224", 0, List.of("2.16.840.1.101.3.4.2.4"), List.of("http://www.w3.org/2001/04/xmldsig-more#sha224")),
    SHA256(Kind.DIGEST, "SHA-256", 256, List.of("2.16.840.1.101.3.4.2.1"), List.of("http://www.w3.org/2001/04/xmlenc#sha256")),
    SHA384(Kind.DIGEST, "SHA-384", 384, List.of("2.16.840.1.101.3.4.2.2"), List.of("http://www.w3.org/2001/04/xmldsig-more#sha384")),
    SHA512(Kind.DIGEST, "SHA-512", 512, List.of("2.16.840.1.101.3.4.2.3"), List.of("http://www.w3.org/2001/04/xmlenc#sha512")),
    SHA3_256(Kind.DIGEST, "SHA3-256", 256, List.of("2.16.840.1.101.3.4.2.8"), List.of("http://www.w3.org/2007/05/xmldsig-more#sha3-256")),
    SHA3_384(Kind.DIGEST, "SHA3-384", 384, List.of("2.16.840.1.101.3.4.2.9"), List.of("http://www.w3.org/2007/05/xmldsig-more#sha3-384")),
    SHA3_512(Kind.DIGEST, "SHA3-512", 512, List.of("2.16.840.1.101.3.4.2.10"), List.of("http://www.w3.org/2007/05/xmldsig-more#sha3-512")),

    // signature schemes (the digest is checked separately)
    RSASSA_PSS(Kind.SIGNATURE, "RSASSA-PSS", 0, List.of("1.2.840.113549.1.1.10"),
            List.of("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
                    "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
                    "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
                    "http://www.w3.org/2007/05/xmldsig-more#rsa-pss")),
    RSA_PKCS1_V15_SIGNATURE(Kind.SIGNATURE, "RSA PKCS#1 v1.5 signature", 0,
            List.of("1.2.840.113549.1.1.1", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.11",
                    "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.14"),
            List.of("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512")),
    ECDSA(Kind.SIGNATURE, "ECDSA", 0,
            List.of("1.2.840.10045.2.1", "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2",
                    "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4"),
            List.of("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512")),
    ED25519(Kind.SIGNATURE, "Ed25519", 0, List.of("1.3.101.112"), List.of("http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519")),
    DSA(Kind.SIGNATURE, "DSA", 0, List.of("1.2.840.10040.4.1", "1.2.840.10040.4.3", "2.16.840.1.101.3.4.3.2"),
            List.of("http://www.w3.org/2000/09/xmldsig#dsa-sha1", "http://www.w3.org/2009/xmldsig11#dsa-sha256")),

    // key transport and key agreement
    RSAES_OAEP(Kind.KEY_TRANSPORT, "RSAES-OAEP", 0, List.of("1.2.840.113549.1.1.7"),
            List.of("http://www.w3.org/2009/xmlenc11#rsa-oaep", "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p")),
    /** RSAES-OAEP with SHA-1 for OAEP and MGF1 (OpenSSL's default OAEP, XML's rsa-oaep-mgf1p): a parameter choice. */
    RSAES_OAEP_SHA1(Kind.KEY_TRANSPORT, "RSAES-OAEP with SHA-1", 0, List.of(), List.of()),
    RSA_PKCS1_V15_KEY_TRANSPORT(Kind.KEY_TRANSPORT, "RSA PKCS#1 v1.5 key transport", 0, List.of("1.2.840.113549.1.1.1"),
            List.of("http://www.w3.org/2001/04/xmlenc#rsa-1_5")),
    ECDH_ES(Kind.KEY_AGREEMENT, "ECDH-ES", 0,
            List.of("1.3.132.1.11.0", "1.3.132.1.11.1", "1.3.132.1.11.2", "1.3.132.1.11.3"),
            List.of("http://www.w3.org/2009/xmlenc11#ECDH-ES")),
    ECDH_ES_SHA1_KDF(Kind.KEY_AGREEMENT, "ECDH with SHA-1 KDF", 0, List.of("1.3.133.16.840.63.0.2"), List.of()),

    // key wrap
    AES128_WRAP(Kind.KEY_WRAP, "AES-128 key wrap", 128, List.of("2.16.840.1.101.3.4.1.5"), List.of("http://www.w3.org/2001/04/xmlenc#kw-aes128")),
    AES192_WRAP(Kind.KEY_WRAP, "AES-192 key wrap", 192, List.of("2.16.840.1.101.3.4.1.25"), List.of("http://www.w3.org/2001/04/xmlenc#kw-aes192")),
    AES256_WRAP(Kind.KEY_WRAP, "AES-256 key wrap", 256, List.of("2.16.840.1.101.3.4.1.45"), List.of("http://www.w3.org/2001/04/xmlenc#kw-aes256")),
    DES_EDE3_WRAP(Kind.KEY_WRAP, "3DES key wrap", 0, List.of("1.2.840.113549.1.9.16.3.6"), List.of("http://www.w3.org/2001/04/xmlenc#kw-tripledes")),

    // content encryption
    AES128_GCM(Kind.CONTENT_ENCRYPTION, "AES-128-GCM", 128, List.of("2.16.840.1.101.3.4.1.6"), List.of("http://www.w3.org/2009/xmlenc11#aes128-gcm")),
    AES192_GCM(Kind.CONTENT_ENCRYPTION, "AES-192-GCM", 192, List.of("2.16.840.1.101.3.4.1.26"), List.of("http://www.w3.org/2009/xmlenc11#aes192-gcm")),
    AES256_GCM(Kind.CONTENT_ENCRYPTION, "AES-256-GCM", 256, List.of("2.16.840.1.101.3.4.1.46"), List.of("http://www.w3.org/2009/xmlenc11#aes256-gcm")),
    AES128_CBC(Kind.CONTENT_ENCRYPTION, "AES-128-CBC", 128, List.of("2.16.840.1.101.3.4.1.2"), List.of("http://www.w3.org/2001/04/xmlenc#aes128-cbc")),
    AES192_CBC(Kind.CONTENT_ENCRYPTION, "AES-192-CBC", 192, List.of("2.16.840.1.101.3.4.1.22"), List.of("http://www.w3.org/2001/04/xmlenc#aes192-cbc")),
    AES256_CBC(Kind.CONTENT_ENCRYPTION, "AES-256-CBC", 256, List.of("2.16.840.1.101.3.4.1.42"), List.of("http://www.w3.org/2001/04/xmlenc#aes256-cbc")),
    CHACHA20_POLY1305(Kind.CONTENT_ENCRYPTION, "ChaCha20-Poly1305", 256, List.of("1.2.840.113549.1.9.16.3.18"), List.of()),
    DES_EDE3_CBC(Kind.CONTENT_ENCRYPTION, "3DES-CBC", 0, List.of("1.2.840.113549.3.7"), List.of("http://www.w3.org/2001/04/xmlenc#tripledes-cbc")),
    RC2_CBC(Kind.CONTENT_ENCRYPTION, "RC2-CBC", 0, List.of("1.2.840.113549.3.2"), List.of()),
    DES_CBC(Kind.CONTENT_ENCRYPTION, "DES-CBC", 0, List.of("1.3.14.3.2.7"), List.of());

    /** What an algorithm is for; the policy is asked per use, so a digest is never accepted as a cipher. */
    public enum Kind { DIGEST, SIGNATURE, KEY_TRANSPORT, KEY_AGREEMENT, KEY_WRAP, CONTENT_ENCRYPTION }

    private final Kind kind;
    private final String displayName;
    private final int bits;
    private final List<String> oids;
    private final List<String> xmlUris;

    Algorithm(Kind kind, String displayName, int bits, List<String> oids, List<String> xmlUris) {
        this.kind = kind;
        this.displayName = displayName;
        this.bits = bits;
        this.oids = oids;
        this.xmlUris = xmlUris;
    }

    public Kind kind() {
        return kind;
    }

    /** The name a person reads in an error or a verification result. */
    public String displayName() {
        return displayName;
    }

    /** Key or output size in bits where it is fixed by the algorithm, else 0. */
    public int bits() {
        return bits;
    }

    /** The CMS object identifiers that denote this algorithm; the first one is the one we write. */
    public List<String> oids() {
        return oids;
    }

    public String oid() {
        return oids.isEmpty() ? null : oids.get(0);
    }

    /** The XML-DSig / XML Encryption identifiers that denote this algorithm; the first one is the one we write. */
    public List<String> xmlUris() {
        return xmlUris;
    }

    /**
     * The algorithm of the given kind with this object identifier. RSA's {@code rsaEncryption} OID stands for a
     * PKCS#1 v1.5 signature in a SignerInfo and for PKCS#1 v1.5 key transport in a RecipientInfo; the kind decides.
     */
    public static Optional<Algorithm> byOid(Kind kind, String oid) {
        return Arrays.stream(values()).filter(a -> a.kind == kind && a.oids.contains(oid)).findFirst();
    }

    /** The algorithm of the given kind with this XML identifier. */
    public static Optional<Algorithm> byXmlUri(Kind kind, String uri) {
        return Arrays.stream(values()).filter(a -> a.kind == kind && a.xmlUris.contains(uri)).findFirst();
    }

    /** The algorithm with this XML identifier, whatever its kind. */
    public static Optional<Algorithm> byXmlUri(String uri) {
        return Arrays.stream(values()).filter(a -> a.xmlUris.contains(uri)).findFirst();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
