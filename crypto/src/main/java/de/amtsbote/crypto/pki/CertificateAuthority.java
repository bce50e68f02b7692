package de.amtsbote.crypto.pki;

import de.amtsbote.crypto.Providers;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A certification authority for tests and the demo: it issues certificates for every profile Amtsbote needs
 * (participants, evidence signer, providers, intermediaries, TLS, OCSP responders, TSAs), certifies CSRs from key
 * stores, and signs CRLs. Production certificates come from a real CA (the Verwaltungs-PKI); this one exists so that
 * tests and the demo use real certificates generated at run time instead of committed files.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keyPair;
    private final List<X509Certificate> chain;
    private final Clock clock;
    private final boolean legacyPkcs1Signatures;
    private final AtomicLong crlNumber = new AtomicLong();

    private CertificateAuthority(KeyPair keyPair, List<X509Certificate> chain, Clock clock, boolean legacyPkcs1) {
        this.keyPair = keyPair;
        this.chain = List.copyOf(chain);
        this.clock = clock;
        this.legacyPkcs1Signatures = legacyPkcs1;
    }

    /** A self-signed root CA, valid ten years from now. */
    public static CertificateAuthority root(String commonName, KeySpec key, Clock clock) throws GeneralSecurityException {
        return root(commonName, key, clock, false);
    }

    /**
     * A self-signed root CA that signs with RSA PKCS#1 v1.5 instead of RSASSA-PSS, as most existing CAs still do —
     * for tests of how such chains are treated.
     */
    public static CertificateAuthority root(String commonName, KeySpec key, Clock clock, boolean legacyPkcs1Signatures)
            throws GeneralSecurityException {
        KeyPair kp = key.generate();
        Instant now = clock.instant();
        X500Name name = name(commonName, "Amtsbote Test-PKI");
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, CertificateProfile.CA.keyUsage(key.type()));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = convert(b.build(signer(kp.getPrivate(), kp.getPublic(), legacyPkcs1Signatures)));
            return new CertificateAuthority(kp, List.of(cert), clock, legacyPkcs1Signatures);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("could not create root CA " + commonName, e);
        }
    }

    /** A CA from its stored certificate chain and key (a demo PKI reloaded from its directory). */
    public static CertificateAuthority load(List<X509Certificate> chain, PrivateKey key, Clock clock) {
        X509Certificate cert = chain.get(0);
        return new CertificateAuthority(new KeyPair(cert.getPublicKey(), key), chain, clock, false);
    }

    /** The CA's key, for writing demo material only: a demo keeps its CA across starts. */
    PrivateKey privateKeyForTestMaterial() {
        return keyPair.getPrivate();
    }

    /** A subordinate CA issued by this one. */
    public CertificateAuthority intermediate(String commonName, KeySpec key) throws GeneralSecurityException {
        return intermediate(IssueRequest.named(commonName).key(key).validFor(Duration.ofDays(1825)));
    }

    /**
     * A subordinate CA issued by this one as the request says (validity, where its revocation status is published);
     * the profile is always {@link CertificateProfile#CA}.
     */
    public CertificateAuthority intermediate(IssueRequest request) throws GeneralSecurityException {
        IssuedCertificate sub = issue(request.profile(CertificateProfile.CA));
        return new CertificateAuthority(sub.keyPair(), sub.chain(), clock, legacyPkcs1Signatures);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** This CA's certificate and its issuers up to the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** Generates a key pair and issues a certificate for it. */
    public IssuedCertificate issue(IssueRequest request) throws GeneralSecurityException {
        KeyPair kp = request.key.generate();
        X509Certificate cert = build(name(request.commonName, request.organization), kp.getPublic(), request);
        return new IssuedCertificate(kp, withChain(cert));
    }

    /**
     * Certifies the key of a CSR (after checking the CSR's own signature); subject and key come from the CSR, the
     * profile, validity and names from the request.
     */
    public IssuedCertificate certify(PKCS10CertificationRequest csr, IssueRequest request) throws GeneralSecurityException {
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr).setProvider(Providers.bouncyCastle());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                    .build(jca.getPublicKey()))) {
                throw new GeneralSecurityException("the CSR of " + csr.getSubject() + " has a bad signature");
            }
            X509Certificate cert = build(csr.getSubject(), jca.getPublicKey(), request);
            return new IssuedCertificate(null, withChain(cert));
        } catch (OperatorCreationException | PKCSException e) {
            throw new GeneralSecurityException("could not check the CSR of " + csr.getSubject(), e);
        }
    }

    /**
     * A CRL listing the given serial numbers as revoked at the given time ({@code keyCompromise}), valid from
     * {@code thisUpdate} to {@code nextUpdate}; a past {@code nextUpdate} makes a stale CRL.
     */
    public X509CRL crl(List<Revocation> revoked, Instant thisUpdate, Instant nextUpdate) throws GeneralSecurityException {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(
                    certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (Revocation r : revoked) {
                b.addCRLEntry(r.serial(), Date.from(r.time()), r.reason());
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber.incrementAndGet())));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate()));
            X509CRLHolder holder = b.build(signer(keyPair.getPrivate(), keyPair.getPublic(), legacyPkcs1Signatures));
            return new JcaX509CRLConverter().setProvider(Providers.bouncyCastle()).getCRL(holder);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("could not sign a CRL", e);
        }
    }

    /**
     * Signs with this CA's key, for test servers that answer in the CA's name (an OCSP responder without a delegated
     * certificate). Test material only.
     */
    public ContentSigner contentSigner() throws GeneralSecurityException {
        try {
            return signer(keyPair.getPrivate(), keyPair.getPublic(), legacyPkcs1Signatures);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no signer for the CA key", e);
        }
    }

    /** A revoked certificate's CRL entry. */
    public record Revocation(BigInteger serial, Instant time, int reason) {
        public Revocation {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(time, "time");
        }

        /** Revoked for key compromise (reason code 1, RFC 5280 5.3.1). */
        public static Revocation keyCompromise(X509Certificate cert, Instant time) {
            return new Revocation(cert.getSerialNumber(), time, org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
        }
    }

    // ------------------------------------------------------------------ internals

    private X509Certificate build(X500Name subject, PublicKey key, IssueRequest r) throws GeneralSecurityException {
        Instant now = clock.instant();
        Instant notBefore = r.notBefore != null ? r.notBefore : now.minusSeconds(60);
        Instant notAfter = r.notAfter != null ? r.notAfter : now.plus(r.validity);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate(), serial(), Date.from(notBefore),
                    Date.from(notAfter), subject, key);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            String keyType = key.getAlgorithm().startsWith("EC") ? "EC" : "RSA";
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(r.profile == CertificateProfile.CA));
            b.addExtension(Extension.keyUsage, true, r.profile.keyUsage(keyType));
            if (!r.profile.extendedKeyUsages().isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, r.profile.extendedKeyUsageCritical(),
                        new ExtendedKeyUsage(r.profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate()));
            List<GeneralName> alt = new ArrayList<>();
            r.emails.forEach(e -> alt.add(new GeneralName(GeneralName.rfc822Name, e)));
            r.dnsNames.forEach(d -> alt.add(new GeneralName(GeneralName.dNSName, d)));
            for (String ip : r.ipAddresses) {
                alt.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
            }
            if (!alt.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
            }
            if (r.crlUrl != null) {
                DistributionPointName dp = new DistributionPointName(new GeneralNames(uri(r.crlUrl)));
                b.addExtension(Extension.cRLDistributionPoints, false,
                        new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(dp, null, null)}));
            }
            if (r.ocspUrl != null) {
                ASN1EncodableVector v = new ASN1EncodableVector();
                v.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(r.ocspUrl)));
                b.addExtension(Extension.authorityInfoAccess, false,
                        AuthorityInformationAccess.getInstance(new DERSequence(v)));
            }
            return convert(b.build(signer(keyPair.getPrivate(), keyPair.getPublic(), legacyPkcs1Signatures)));
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("could not issue a certificate for " + subject, e);
        }
    }

    private List<X509Certificate> withChain(X509Certificate cert) {
        List<X509Certificate> c = new ArrayList<>();
        c.add(cert);
        c.addAll(chain);
        return c;
    }

    private static GeneralName uri(URI u) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, u.toString());
    }

    private static X500Name name(String commonName, String organization) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "DE").addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(holder);
    }

    /** The signer this PKI uses for a key (also for a delegated OCSP responder's key, see {@link RevocationResponder}). */
    static ContentSigner signer(PrivateKey key, PublicKey pub, boolean legacyPkcs1) throws OperatorCreationException {
        String alg;
        if (pub.getAlgorithm().startsWith("EC")) {
            int bits = ((java.security.interfaces.ECPublicKey) pub).getParams().getCurve().getField().getFieldSize();
            alg = bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        } else {
            alg = legacyPkcs1 ? "SHA256withRSA" : "SHA256withRSAandMGF1";
        }
        return new JcaContentSignerBuilder(alg).setProvider(Providers.bouncyCastle()).build(key);
    }
}
