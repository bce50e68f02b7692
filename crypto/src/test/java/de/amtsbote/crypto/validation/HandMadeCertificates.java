package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.Providers;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the test PKI would never issue, built directly with Bouncy Castle: SHA-1 signatures, CAs with a
 * pathLenConstraint, certificates "issued" by an end entity, tampered signatures.
 */
final class HandMadeCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HandMadeCertificates() {
    }

    /**
     * A certificate for {@code subjectKey}, signed with {@code signatureAlgorithm} (a JCA name, e.g.
     * "SHA1withECDSA") by {@code issuerKey} in the name of {@code issuerName}.
     *
     * @param pathLen null: an end entity; -1: a CA without path length limit; n: a CA with pathLenConstraint n
     */
    static X509Certificate certificate(String subjectCn, PublicKey subjectKey, X500Principal issuerName,
                                       PrivateKey issuerKey, String signatureAlgorithm, Integer pathLen, int keyUsage,
                                       Instant from, Instant to, Extension... extra) throws Exception {
        X500Principal subject = new X500Principal("CN=" + subjectCn + ",O=Hand-made,C=DE");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM).setBit(63),
                Date.from(from), Date.from(to), subject, subjectKey);
        if (pathLen == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        } else if (pathLen < 0) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
        }
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        for (Extension e : extra) {
            b.addExtension(e);
        }
        return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle())
                .getCertificate(b.build(new JcaContentSignerBuilder(signatureAlgorithm)
                        .setProvider(Providers.bouncyCastle()).build(issuerKey)));
    }

    /** A self-signed CA certificate. */
    static X509Certificate root(String cn, KeyPair key, String signatureAlgorithm, Integer pathLen, Instant from,
                                Instant to, Extension... extra) throws Exception {
        return certificate(cn, key.getPublic(), new X500Principal("CN=" + cn + ",O=Hand-made,C=DE"), key.getPrivate(),
                signatureAlgorithm, pathLen, KeyUsage.keyCertSign | KeyUsage.cRLSign, from, to, extra);
    }

    /** The same certificate with one bit of its signature flipped. */
    static X509Certificate withBrokenSignature(X509Certificate cert) throws Exception {
        byte[] der = cert.getEncoded();
        der[der.length - 1] ^= 0x01; // the last byte belongs to the signature value
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
