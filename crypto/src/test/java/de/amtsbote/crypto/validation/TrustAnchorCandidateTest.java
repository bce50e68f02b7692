package de.amtsbote.crypto.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Which certificates may become trust anchors at run time, and the reason named for each that may not. */
class TrustAnchorCandidateTest {

    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static final Instant NOW = Instant.now();

    @Test
    void acceptsASelfSignedRootCaAndReadsItFromPem() throws Exception {
        CertificateAuthority root = CertificateAuthority.root("Candidate Root", KeySpec.ec("P-256"), Clock.systemUTC());
        X509Certificate read = TrustAnchorCandidate.fromPem("some text before\n" + Pem.encode(root.certificate())
                + "\nand after");
        assertThat(read).isEqualTo(root.certificate());
        TrustAnchorCandidate.check(read, POLICY, NOW);
        assertThat(TrustAnchorCandidate.fingerprint(read)).hasSize(64).matches("[0-9a-f]+");
        assertThat(TrustAnchorCandidate.subject(read)).contains("CN=Candidate Root");
    }

    @Test
    void acceptsAnIntermediateCaThatIsNotSelfSigned() throws Exception {
        CertificateAuthority root = CertificateAuthority.root("Some Root", KeySpec.ec("P-256"), Clock.systemUTC());
        CertificateAuthority sub = root.intermediate("Some Sub CA", KeySpec.ec("brainpoolP256r1"));
        TrustAnchorCandidate.check(sub.certificate(), POLICY, NOW);
    }

    @Test
    void refusesAnEndEntityCertificateAsNotACa() throws Exception {
        CertificateAuthority root = CertificateAuthority.root("Root", KeySpec.ec("P-256"), Clock.systemUTC());
        X509Certificate leaf = root.issue(IssueRequest.named("Poststelle").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).email("poststelle@example.org")).certificate();
        assertRefused(() -> TrustAnchorCandidate.check(leaf, POLICY, NOW), TrustAnchorRefusedException.Reason.NOT_A_CA,
                "CN=Poststelle", "basicConstraints cA is not set");
    }

    @Test
    void refusesACaWithoutKeyCertSign() throws Exception {
        KeyPair key = KeySpec.ec("P-256").generate();
        X509Certificate ca = HandMadeCertificates.certificate("No Signing CA", key.getPublic(),
                new javax.security.auth.x500.X500Principal("CN=No Signing CA,O=Hand-made,C=DE"), key.getPrivate(),
                "SHA256withECDSA", -1, KeyUsage.cRLSign, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)));
        assertRefused(() -> TrustAnchorCandidate.check(ca, POLICY, NOW),
                TrustAnchorRefusedException.Reason.NO_KEY_CERT_SIGN, "without keyCertSign");
    }

    @Test
    void refusesAnExpiredAndANotYetValidCa() throws Exception {
        KeyPair key = KeySpec.ec("P-256").generate();
        X509Certificate expired = HandMadeCertificates.root("Old Root", key, "SHA256withECDSA", -1,
                NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
        assertRefused(() -> TrustAnchorCandidate.check(expired, POLICY, NOW), TrustAnchorRefusedException.Reason.EXPIRED,
                "expired on");
        X509Certificate future = HandMadeCertificates.root("Future Root", key, "SHA256withECDSA", -1,
                NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400)));
        assertRefused(() -> TrustAnchorCandidate.check(future, POLICY, NOW),
                TrustAnchorRefusedException.Reason.NOT_YET_VALID, "valid only from");
    }

    @Test
    void refusesAnRsa2048RootBecauseNewAnchorsMeetTheBarForNewKeys() throws Exception {
        X509Certificate weak = HandMadeCertificates.root("RSA 2048 Root", KeySpec.rsa(2048).generate(),
                "SHA256withRSA", -1, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)));
        assertRefused(() -> TrustAnchorCandidate.check(weak, POLICY, NOW), TrustAnchorRefusedException.Reason.KEY_REFUSED,
                "RSA key of 2048 bits");
    }

    @Test
    void refusesASelfSignedCertificateWhoseSignatureIsBroken() throws Exception {
        X509Certificate root = HandMadeCertificates.root("Damaged Root", KeySpec.ec("P-256").generate(),
                "SHA256withECDSA", -1, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)));
        X509Certificate broken = HandMadeCertificates.withBrokenSignature(root);
        assertRefused(() -> TrustAnchorCandidate.check(broken, POLICY, NOW),
                TrustAnchorRefusedException.Reason.BAD_SELF_SIGNATURE, "Damaged Root");
    }

    @Test
    void refusesTextThatIsNotACertificate() throws Exception {
        assertRefused(() -> TrustAnchorCandidate.fromPem("  "), TrustAnchorRefusedException.Reason.NO_CERTIFICATE,
                "no certificate given");
        assertRefused(() -> TrustAnchorCandidate.fromPem("hello, this is not PEM"),
                TrustAnchorRefusedException.Reason.NO_CERTIFICATE, "no PEM certificate");
        assertRefused(() -> TrustAnchorCandidate.fromPem("-----BEGIN CERTIFICATE-----\nnot*base64!\n"
                + "-----END CERTIFICATE-----\n"), TrustAnchorRefusedException.Reason.MALFORMED_PEM, "not readable PEM");
        String garbage = Base64.getMimeEncoder().encodeToString("definitely not DER".getBytes());
        assertRefused(() -> TrustAnchorCandidate.fromPem("-----BEGIN CERTIFICATE-----\n" + garbage
                + "\n-----END CERTIFICATE-----\n"), TrustAnchorRefusedException.Reason.MALFORMED_PEM, "not readable PEM");
        assertRefused(() -> TrustAnchorCandidate.fromPem("x".repeat(TrustAnchorCandidate.MAX_PEM_CHARS + 1)),
                TrustAnchorRefusedException.Reason.MALFORMED_PEM, "at most");
    }

    @Test
    void refusesAChainAndAPrivateKey() throws Exception {
        CertificateAuthority root = CertificateAuthority.root("Chain Root", KeySpec.ec("P-256"), Clock.systemUTC());
        CertificateAuthority sub = root.intermediate("Chain Sub", KeySpec.ec("P-256"));
        assertRefused(() -> TrustAnchorCandidate.fromPem(Pem.encode(sub.chain().toArray())),
                TrustAnchorRefusedException.Reason.SEVERAL_CERTIFICATES, "2 certificates");
        KeyPair key = KeySpec.ec("P-256").generate();
        String withKey = Pem.encode(root.certificate()) + Pem.encode(key.getPrivate());
        assertRefused(() -> TrustAnchorCandidate.fromPem(withKey), TrustAnchorRefusedException.Reason.PRIVATE_KEY,
                "private key");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void assertRefused(Action action, TrustAnchorRefusedException.Reason reason, String... words) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(TrustAnchorRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(words);
        });
    }
}
