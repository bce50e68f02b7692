package de.amtsbote.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Providers;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test and demo PKI issues what the rest of Amtsbote later checks; OpenSSL agrees with it. */
class CertificateAuthorityTest {

    private static CertificateAuthority root;
    private static CertificateAuthority sub;

    @BeforeAll
    static void ca() throws GeneralSecurityException {
        root = CertificateAuthority.root("Amtsbote Test Root CA", KeySpec.rsaDefault(), Clock.systemUTC());
        sub = root.intermediate("Amtsbote Test Sub CA", KeySpec.ecDefault());
    }

    @Test
    void issuesSigningCertificatesWithDigitalSignatureAndEmailProtection() throws Exception {
        IssuedCertificate c = sub.issue(IssueRequest.named("Stadt Bad Vilbel").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).email("poststelle@bad-vilbel.example"));
        X509Certificate cert = c.certificate();
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_emailProtection.getId());
        assertThat(cert.getSubjectAlternativeNames()).anySatisfy(
                n -> assertThat(List.<Object>copyOf(n)).containsExactly(1, "poststelle@bad-vilbel.example"));
        assertThat(c.chain()).hasSize(3);
        cert.verify(sub.certificate().getPublicKey(), Providers.bouncyCastle());
    }

    @Test
    void givesEcEncryptionKeysKeyAgreementAndRsaOnesKeyEncipherment() throws Exception {
        X509Certificate ec = sub.issue(IssueRequest.named("ec").profile(CertificateProfile.ENCRYPTION)
                .key(KeySpec.ec("brainpoolP256r1"))).certificate();
        X509Certificate rsa = sub.issue(IssueRequest.named("rsa").profile(CertificateProfile.ENCRYPTION)
                .key(KeySpec.rsa(3072))).certificate();
        assertThat(ec.getKeyUsage()[4]).as("keyAgreement").isTrue();
        assertThat(ec.getKeyUsage()[2]).as("keyEncipherment").isFalse();
        assertThat(rsa.getKeyUsage()[2]).as("keyEncipherment").isTrue();
    }

    @Test
    void marksTheTimeStampingUsageOfATsaCritical() throws Exception {
        X509Certificate tsa = root.issue(IssueRequest.named("TSA").profile(CertificateProfile.TSA)
                .key(KeySpec.ec("P-256"))).certificate();
        assertThat(tsa.getCriticalExtensionOIDs()).contains(Extension.extendedKeyUsage.getId());
    }

    @Test
    void issuesCertificatesValidInThePastOrFutureForExpiryTests() throws Exception {
        Instant past = Instant.parse("2020-01-01T00:00:00Z");
        X509Certificate expired = root.issue(IssueRequest.named("expired").key(KeySpec.ec("P-256"))
                .validity(past, past.plus(Duration.ofDays(30)))).certificate();
        assertThat(expired.getNotAfter().toInstant()).isEqualTo(past.plus(Duration.ofDays(30)));
    }

    @Test
    void publishesRevocationInformationInTheCertificate() throws Exception {
        X509Certificate c = root.issue(IssueRequest.named("with revocation").key(KeySpec.ec("P-256"))
                .crl(URI.create("http://127.0.0.1:1234/crl")).ocsp(URI.create("http://127.0.0.1:1234/ocsp")))
                .certificate();
        assertThat(c.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNotNull();
        assertThat(c.getExtensionValue(Extension.authorityInfoAccess.getId())).isNotNull();
    }

    @Test
    void certifiesACsrWithoutSeeingItsPrivateKey() throws Exception {
        KeyPair kp = KeySpec.rsa(3072).generate();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("C=DE,O=Stadt Viernheim,CN=Poststelle"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSAandMGF1").setProvider(Providers.bouncyCastle())
                        .build(kp.getPrivate()));
        IssuedCertificate issued = root.certify(csr, IssueRequest.named("ignored").profile(CertificateProfile.ENCRYPTION));
        assertThat(issued.certificate().getPublicKey()).isEqualTo(kp.getPublic());
        assertThat(issued.certificate().getSubjectX500Principal().getName()).contains("CN=Poststelle");
        assertThatThrownBy(issued::privateKey).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in its key store");
    }

    @Test
    void refusesACsrWithABadSignature() throws Exception {
        KeyPair kp = KeySpec.ec("P-256").generate();
        KeyPair other = KeySpec.ec("P-256").generate();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=forged"),
                kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA")
                .setProvider(Providers.bouncyCastle()).build(other.getPrivate()));
        assertThatThrownBy(() -> root.certify(csr, IssueRequest.named("x")))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("bad signature");
    }

    @Test
    void signsCrlsThatListRevokedSerials() throws Exception {
        IssuedCertificate victim = root.issue(IssueRequest.named("revoked").key(KeySpec.ec("P-256")));
        Instant now = Instant.now();
        X509CRL crl = root.crl(List.of(CertificateAuthority.Revocation.keyCompromise(victim.certificate(), now)),
                now, now.plus(Duration.ofDays(1)));
        crl.verify(root.certificate().getPublicKey(), Providers.bouncyCastle());
        assertThat(crl.isRevoked(victim.certificate())).isTrue();
        X509CRL reread = Pem.readCrl(new StringReader(Pem.encode(crl)));
        assertThat(reread.getRevokedCertificate(victim.certificate().getSerialNumber())).isNotNull();
    }

    @Test
    void writesPemThatOpenSslVerifies(@TempDir Path dir) throws Exception {
        IssuedCertificate leaf = sub.issue(IssueRequest.named("leaf").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("brainpoolP256r1")));
        Pem.writeCertificate(dir.resolve("ca.pem"), root.certificate());
        Pem.writeCertificate(dir.resolve("sub.pem"), sub.certificate());
        Pem.writeCertificate(dir.resolve("leaf.pem"), leaf.certificate());
        Pem.writeTestPrivateKey(dir.resolve("leaf.key.pem"), leaf.privateKey());

        Process p = new ProcessBuilder("openssl", "verify", "-CAfile", "ca.pem", "-untrusted", "sub.pem",
                "-purpose", "smimesign", "leaf.pem").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("leaf.pem: OK");

        assertThat(Files.getPosixFilePermissions(dir.resolve("leaf.key.pem"))).as("key file readable by its owner only")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Pem.readTestPrivateKey(dir.resolve("leaf.key.pem")).getAlgorithm()).startsWith("EC");
        assertThat(Pem.readCertificates(dir.resolve("leaf.pem"))).containsExactly(leaf.certificate());
    }
}
