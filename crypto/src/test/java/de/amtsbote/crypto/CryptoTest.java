package de.amtsbote.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The door of crypto/ as the gateway and the adapters use it: keys from a real PKCS#12 vault certified by a CA whose
 * OCSP responder runs on loopback; callers name participants and certificates, never algorithms.
 */
class CryptoTest {

    private static final String BAD_VILBEL = "stadt-bad-vilbel";
    private static final String VIERNHEIM = "stadt-viernheim";
    private static final byte[] LETTER = ("Content-Type: text/plain; charset=utf-8\r\n\r\n"
            + "Bescheid über die Gewerbeanmeldung, AZ 2026-0815\r\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static CertificateAuthority ca;
    private static RevocationResponder responder;
    private static KeyVault vault;
    private static Crypto crypto;

    @BeforeAll
    static void participantsWithCertifiedKeys() throws Exception {
        ca = CertificateAuthority.root("Amtsbote Test CA", KeySpec.ec("P-256"), Clock.systemUTC());
        responder = RevocationResponder.start(ca, Clock.systemUTC());
        Path password = dir.resolve("vault.secret");
        Files.writeString(password, "a long enough test vault password");
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(password), policy, Clock.systemUTC());
        certify(vault.generate(BAD_VILBEL, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")), CertificateProfile.SIGNING);
        certify(vault.generate(VIERNHEIM, KeyPurpose.ENCRYPTION, KeySpec.rsa(3072)), CertificateProfile.ENCRYPTION);
        certify(vault.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("P-256")), CertificateProfile.EVIDENCE);
        PkixCertificateValidator validator = PkixCertificateValidator.builder().trustAnchor(ca.certificate())
                .policy(policy).build();
        crypto = Crypto.of(policy, vault, validator, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        vault.close();
        responder.close();
    }

    private static X509Certificate certify(KeyRef key, CertificateProfile profile) throws Exception {
        String csr = vault.csr(key, new CsrSubject("Amtsbote Test", null, List.of()));
        List<X509Certificate> chain = ca.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named(key.owner()).profile(profile).ocsp(responder.ocspUrl())).chain();
        vault.importCertificate(key, chain);
        return chain.get(0);
    }

    private static X509Certificate encryptionCertificate(String participant) throws KeyVaultException {
        return crypto.decryptionKeys(participant).get(0).certificate();
    }

    private static byte[] signedAndEncrypted(X509Certificate recipient) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encrypted = SmimeWriter.encrypted(out, crypto.messageEncryptor(List.of(recipient), List.of(),
                "participant:" + VIERNHEIM));
             OutputStream signed = SmimeWriter.signed(encrypted, crypto.messageSigner(BAD_VILBEL, null))) {
            signed.write(LETTER);
        }
        return out.toByteArray();
    }

    @Test
    void signsForOneParticipantAndEncryptsForAnotherWhoOpensIt() throws Exception {
        byte[] mail = signedAndEncrypted(encryptionCertificate(VIERNHEIM));

        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult result = crypto.smimeOpener(VIERNHEIM).open(new ByteArrayInputStream(mail), inner);

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.encrypted()).isTrue();
        assertThat(result.verifications()).singleElement().satisfies(v ->
                assertThat(v.signers().get(0).subject()).contains("CN=" + BAD_VILBEL));
        assertThat(inner.toByteArray()).isEqualTo(LETTER);
    }

    @Test
    void keepsOpeningMessagesToTheOldKeyDuringARotationOverlap() throws Exception {
        X509Certificate old = encryptionCertificate(VIERNHEIM);
        byte[] toOldKey = signedAndEncrypted(old);
        KeyRef next = vault.rotate(VIERNHEIM, KeyPurpose.ENCRYPTION, KeySpec.ec("brainpoolP256r1"), Duration.ofDays(30));
        certify(next, CertificateProfile.ENCRYPTION);

        assertThat(encryptionCertificate(VIERNHEIM)).isNotEqualTo(old);
        SmimeResult result = crypto.smimeOpener(VIERNHEIM).open(new ByteArrayInputStream(toOldKey),
                OutputStream.nullOutputStream());
        assertThat(result.valid()).as(result.describe()).isTrue();
    }

    @Test
    void refusesToEncryptForARevokedCertificateAndNamesIt() throws Exception {
        X509Certificate revoked = ca.issue(IssueRequest.named("Altamt").profile(CertificateProfile.ENCRYPTION)
                .key(KeySpec.ec("P-256")).ocsp(responder.ocspUrl())).certificate();
        responder.revoke(revoked, Instant.now().minusSeconds(60));

        assertThatThrownBy(() -> crypto.messageEncryptor(List.of(revoked), List.of(), "smime:post@altamt.example"))
                .isInstanceOfSatisfying(RecipientRefusedException.class, e -> {
                    assertThat(e.validation().reason()).isEqualTo(ValidationResult.Reason.REVOKED);
                    assertThat(e.getMessage()).contains("CN=Altamt");
                });
        assertThatThrownBy(() -> crypto.xmlRecipient(revoked, List.of(), null))
                .isInstanceOf(RecipientRefusedException.class);
    }

    @Test
    void signsEvidenceWithTheGatewaysEvidenceKey() throws Exception {
        Document evidence = SecureXml.standard().parse(new ByteArrayInputStream(
                "<Evidence xmlns=\"urn:amtsbote:evidence\"><Event>SubmissionAcceptance</Event></Evidence>"
                        .getBytes(StandardCharsets.UTF_8)));
        crypto.evidenceSigner().signEnveloped(evidence);

        VerifiedXml verified = crypto.xmlVerifier(CertificateUsage.EVIDENCE_SIGNATURE)
                .verify(evidence, SignatureExpectation.documentElement());
        assertThat(verified.signer().getSubjectX500Principal().getName()).contains("CN=gateway");
        assertThat(verified.documentElement().getTextContent()).contains("SubmissionAcceptance");
    }

    @Test
    void namesTheParticipantWithoutASigningKey() {
        assertThatThrownBy(() -> crypto.messageSigner("stadt-ohne-schluessel", null))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.NO_ACTIVE_KEY);
                    assertThat(e.getMessage()).contains("stadt-ohne-schluessel");
                });
    }
}
