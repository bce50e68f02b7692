package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link KeyVault} does, whatever its store: the life cycle of keys from generation through certificate
 * request and import to rotation and retirement, and the refusals on the way. Subclasses run it on a PKCS#12 file and
 * on a SoftHSM2 token. Most keys here are EC keys because they are quick to generate; RSA has its own tests.
 */
abstract class KeyVaultContract {

    static final String OWNER = "stadt-bad-vilbel";
    static final String ORGANISATION = "Stadt Bad Vilbel";

    static CertificateAuthority ca;
    static CertificateAuthority otherCa;

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    KeyVault vault;

    /** Opens this test's vault: a new, empty one the first time, the same store at every later call. */
    abstract KeyVault open(Clock clock) throws Exception;

    abstract boolean keysInHardware();

    /** Where this test's vault keeps its key ledger. */
    abstract Path ledgerFile();

    @BeforeAll
    static void certificationAuthorities() throws Exception {
        ca = CertificateAuthority.root("Amtsbote Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        otherCa = CertificateAuthority.root("Another Root", KeySpec.ec("P-256"), Clock.systemUTC());
    }

    @BeforeEach
    void openVault() throws Exception {
        vault = open(clock);
    }

    @AfterEach
    void closeVault() {
        if (vault != null) {
            vault.close();
        }
    }

    // ------------------------------------------------------------------ generation

    @Test
    void generatesAPendingKeyWithAPlaceholderCertificate() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1"));

        assertThat(ref.owner()).isEqualTo(OWNER);
        assertThat(ref.purpose()).isEqualTo(KeyPurpose.SIGNING);
        assertThat(vault.list()).singleElement().satisfies(info -> {
            assertThat(info.ref()).isEqualTo(ref);
            assertThat(info.state()).isEqualTo(KeyState.PENDING);
            assertThat(info.key()).isEqualTo(KeySpec.ec("brainpoolP256r1"));
            assertThat(info.hardware()).isEqualTo(keysInHardware());
            assertThat(info.subject()).contains("pending key").contains(ref.id());
            assertThat(info.created()).isEqualTo(clock.instant());
        });
        assertThat(vault.hardware()).isEqualTo(keysInHardware());
    }

    static Stream<KeySpec> weakSpecs() {
        return Stream.of(KeySpec.rsa(2048), KeySpec.ec("P-224"));
    }

    @ParameterizedTest
    @MethodSource("weakSpecs")
    void refusesToGenerateAWeakKeyWithThePolicyReason(KeySpec weak) throws Exception {
        assertThatThrownBy(() -> vault.generate(OWNER, KeyPurpose.SIGNING, weak))
                .isInstanceOfSatisfying(PolicyViolationException.class,
                        e -> assertThat(e.reason()).isEqualTo(PolicyViolationException.Reason.KEY_TOO_SHORT));
        assertThat(vault.list()).isEmpty();
    }

    @Test
    void replacingAnActiveKeyIsARotationNotASecondGeneration() throws Exception {
        activeKey(KeyPurpose.SIGNING);

        assertThatThrownBy(() -> vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256")))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.ACTIVE_KEY_EXISTS));
    }

    // ------------------------------------------------------------------ certificate requests

    @ParameterizedTest
    @EnumSource(KeyPurpose.class)
    void certificateRequestAsksForTheKeyUsagesOfItsPurpose(KeyPurpose purpose) throws Exception {
        KeyRef ref = vault.generate(OWNER, purpose, KeySpec.ec("P-256"));

        PKCS10CertificationRequest csr = csr(ref, CsrSubject.of(ORGANISATION).commonName("Poststelle")
                .email("poststelle@bad-vilbel.de"));

        assertThat(signatureValid(csr)).isTrue();
        assertThat(csr.getSubject()).hasToString("C=DE,O=Stadt Bad Vilbel,CN=Poststelle");
        Extensions requested = csr.getRequestedExtensions();
        assertThat(requested.getExtension(Extension.keyUsage).isCritical()).isTrue();
        int expectedUsage;
        List<KeyPurposeId> expectedExtended;
        switch (purpose) {
            case SIGNING:
                expectedUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
                expectedExtended = List.of(KeyPurposeId.id_kp_emailProtection);
                break;
            case ENCRYPTION:
                expectedUsage = KeyUsage.keyAgreement;
                expectedExtended = List.of(KeyPurposeId.id_kp_emailProtection);
                break;
            case EVIDENCE:
                expectedUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
                expectedExtended = List.of();
                break;
            default:
                expectedUsage = KeyUsage.digitalSignature;
                expectedExtended = List.of(KeyPurposeId.id_kp_clientAuth);
        }
        assertThat(KeyUsage.fromExtensions(requested)).isEqualTo(new KeyUsage(expectedUsage));
        ExtendedKeyUsage extended = ExtendedKeyUsage.fromExtensions(requested);
        assertThat(extended == null ? List.of() : List.of(extended.getUsages())).isEqualTo(expectedExtended);
        assertThat(GeneralNames.fromExtensions(requested, Extension.subjectAlternativeName).getNames())
                .containsExactly(new GeneralName(GeneralName.rfc822Name, "poststelle@bad-vilbel.de"));
    }

    @Test
    void certificateRequestNamesTheOwnerWhenNoCommonNameIsGiven() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.EVIDENCE, KeySpec.ec("P-256"));

        PKCS10CertificationRequest csr = csr(ref, CsrSubject.of(ORGANISATION));

        assertThat(csr.getSubject()).hasToString("C=DE,O=Stadt Bad Vilbel,CN=" + OWNER);
        assertThat(csr.getRequestedExtensions().getExtension(Extension.subjectAlternativeName)).isNull();
    }

    @Test
    void rsaEncryptionKeyAsksForKeyEnciphermentInARequestSignedWithRsaPss() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.rsa(3072));

        PKCS10CertificationRequest csr = csr(ref, CsrSubject.of(ORGANISATION));

        assertThat(csr.getSignatureAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_RSASSA_PSS);
        assertThat(signatureValid(csr)).isTrue();
        assertThat(KeyUsage.fromExtensions(csr.getRequestedExtensions()))
                .isEqualTo(new KeyUsage(KeyUsage.keyEncipherment));
        assertThat(vault.list()).singleElement().satisfies(i -> assertThat(i.key()).isEqualTo(KeySpec.rsa(3072)));
    }

    @Test
    void requestsAreMadeForPendingKeysOnly() throws Exception {
        KeyRef ref = activeKey(KeyPurpose.SIGNING);

        assertThatThrownBy(() -> vault.csr(ref, CsrSubject.of(ORGANISATION)))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WRONG_STATE));
    }

    // ------------------------------------------------------------------ import

    @Test
    void importingTheIssuedCertificateActivatesTheKeyWhichThenSigns() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1"));
        IssuedCertificate issued = certify(ref, CertificateProfile.SIGNING);

        KeyInfo info = vault.importCertificate(ref, issued.chain());

        assertThat(info.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(info.serial()).isEqualTo(issued.certificate().getSerialNumber());
        PrivateKeyHandle handle = vault.signingKey(OWNER, KeyPurpose.SIGNING);
        assertThat(handle.ref()).isEqualTo(ref);
        assertThat(handle.hardware()).isEqualTo(keysInHardware());
        assertThat(handle.certificate().getEncoded()).isEqualTo(issued.certificate().getEncoded());
        assertThat(handle.chain()).hasSize(2);
        assertSignsVerifiably(handle, issued.certificate().getPublicKey());
    }

    @Test
    void tellsTheCertificateChainAKeyHoldsNowThePlaceholderWhilePending() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        assertThat(vault.certificates(ref)).singleElement()
                .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).contains("pending key"));

        IssuedCertificate issued = certify(ref, CertificateProfile.SIGNING);
        vault.importCertificate(ref, issued.chain());

        assertThat(vault.certificates(ref)).hasSize(2).first()
                .satisfies(c -> assertThat(c.getEncoded()).isEqualTo(issued.certificate().getEncoded()));
        assertThatThrownBy(() -> vault.certificates(new KeyRef(OWNER, KeyPurpose.SIGNING, "no-such-key")))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.UNKNOWN_KEY));
    }

    @Test
    void refusesTheCertificateOfAnotherKey() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        KeyRef other = vault.generate("landkreis-wetterau", KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        IssuedCertificate otherCertificate = certify(other, CertificateProfile.SIGNING);

        assertImportRefused(ref, otherCertificate, KeyVaultException.Reason.KEY_MISMATCH);
    }

    @Test
    void refusesACertificateWhoseKeyUsageDoesNotFitThePurpose() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        IssuedCertificate encryptionCertificate = certify(ref, CertificateProfile.ENCRYPTION);

        assertImportRefused(ref, encryptionCertificate, KeyVaultException.Reason.WRONG_KEY_USAGE);
    }

    @Test
    void refusesASigningCertificateForAnEncryptionKey() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"));
        IssuedCertificate signingCertificate = certify(ref, CertificateProfile.SIGNING);

        assertImportRefused(ref, signingCertificate, KeyVaultException.Reason.WRONG_KEY_USAGE);
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        Instant now = clock.instant();
        IssuedCertificate expired = ca.certify(csr(ref, CsrSubject.of(ORGANISATION)), IssueRequest.named(OWNER)
                .profile(CertificateProfile.SIGNING).validity(now.minus(Duration.ofDays(400)), now.minusSeconds(1)));

        assertImportRefused(ref, expired, KeyVaultException.Reason.CERTIFICATE_EXPIRED);
    }

    @Test
    void refusesAChainThatDoesNotLink() throws Exception {
        KeyRef ref = vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        IssuedCertificate issued = certify(ref, CertificateProfile.SIGNING);

        assertThatThrownBy(() -> vault.importCertificate(ref, List.of(issued.certificate(), otherCa.certificate())))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.BROKEN_CHAIN));
        assertThat(stateOf(ref)).isEqualTo(KeyState.PENDING);
    }

    @Test
    void refusesAnUnknownKey() {
        KeyRef unknown = new KeyRef(OWNER, KeyPurpose.SIGNING, "no-such-key");

        assertThatThrownBy(() -> vault.csr(unknown, CsrSubject.of(ORGANISATION)))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.UNKNOWN_KEY));
    }

    // ------------------------------------------------------------------ use

    @Test
    void anOwnerWithoutAnActiveKeyHasNoSigningKey() throws Exception {
        vault.generate(OWNER, KeyPurpose.EVIDENCE, KeySpec.ec("P-256"));

        assertThatThrownBy(() -> vault.signingKey(OWNER, KeyPurpose.EVIDENCE))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.NO_ACTIVE_KEY));
        assertThat(vault.decryptionKeys(OWNER)).isEmpty();
    }

    @Test
    void encryptionKeysAreNotHandedOutForSigning() throws Exception {
        activeKey(KeyPurpose.ENCRYPTION);

        assertThatThrownBy(() -> vault.signingKey(OWNER, KeyPurpose.ENCRYPTION))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WRONG_PURPOSE));
    }

    // ------------------------------------------------------------------ rotation

    @Test
    void theReplacedKeyStillDecryptsDuringTheOverlap() throws Exception {
        KeyRef first = activeKey(KeyPurpose.ENCRYPTION);
        KeyPair ephemeral = KeySpec.ec("P-256").generate();
        byte[] secretWithFirst = softwareEcdh(ephemeral.getPrivate(), vault.decryptionKeys(OWNER).get(0));

        KeyRef second = vault.rotate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(30));
        assertThat(refs(vault.decryptionKeys(OWNER))).as("a pending key does not decrypt yet").containsExactly(first);
        Instant activation = clock.instant();
        vault.importCertificate(second, certify(second, CertificateProfile.ENCRYPTION).chain());

        List<PrivateKeyHandle> keys = vault.decryptionKeys(OWNER);
        assertThat(refs(keys)).containsExactly(second, first);
        assertThat(keys.get(1).agree(ephemeral.getPublic())).isEqualTo(secretWithFirst);
        KeyInfo replaced = infoOf(first);
        assertThat(replaced.state()).isEqualTo(KeyState.OVERLAP);
        assertThat(replaced.overlapUntil()).isEqualTo(activation.plus(Duration.ofDays(30)));
    }

    @Test
    void theReplacedKeyNoLongerDecryptsAfterTheOverlap() throws Exception {
        KeyRef first = activeKey(KeyPurpose.ENCRYPTION);
        KeyRef second = vault.rotate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(30));
        vault.importCertificate(second, certify(second, CertificateProfile.ENCRYPTION).chain());

        clock.advance(Duration.ofDays(30));

        assertThat(refs(vault.decryptionKeys(OWNER))).containsExactly(second);
        assertThat(stateOf(first)).isEqualTo(KeyState.RETIRED);
        assertThat(stateOf(second)).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void aRotationWithoutOverlapRetiresTheReplacedKeyAtOnce() throws Exception {
        KeyRef first = activeKey(KeyPurpose.SIGNING);
        KeyRef second = vault.rotate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"), Duration.ZERO);

        assertThat(vault.signingKey(OWNER, KeyPurpose.SIGNING).ref()).as("until its certificate comes").isEqualTo(first);
        vault.importCertificate(second, certify(second, CertificateProfile.SIGNING).chain());

        assertThat(vault.signingKey(OWNER, KeyPurpose.SIGNING).ref()).isEqualTo(second);
        assertThat(stateOf(first)).isEqualTo(KeyState.RETIRED);
    }

    @Test
    void retiringEndsTheOverlapEarly() throws Exception {
        KeyRef first = activeKey(KeyPurpose.ENCRYPTION);
        KeyRef second = vault.rotate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(30));
        vault.importCertificate(second, certify(second, CertificateProfile.ENCRYPTION).chain());

        vault.retire(first);

        assertThat(refs(vault.decryptionKeys(OWNER))).containsExactly(second);
        assertThat(stateOf(first)).isEqualTo(KeyState.RETIRED);
    }

    @Test
    void statesSurviveReopeningTheVault() throws Exception {
        KeyRef first = activeKey(KeyPurpose.ENCRYPTION);
        KeyRef second = vault.rotate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(30));
        vault.importCertificate(second, certify(second, CertificateProfile.ENCRYPTION).chain());
        KeyRef pending = vault.rotate(OWNER, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(7));
        KeyRef signing = activeKey(KeyPurpose.SIGNING);
        List<KeyInfo> before = vault.list();
        vault.close();

        vault = open(clock);

        assertThat(vault.list()).isEqualTo(before);
        assertThat(refs(vault.decryptionKeys(OWNER))).containsExactly(second, first);
        assertThat(stateOf(pending)).isEqualTo(KeyState.PENDING);
        PrivateKeyHandle signer = vault.signingKey(OWNER, KeyPurpose.SIGNING);
        assertThat(signer.ref()).isEqualTo(signing);
        assertSignsVerifiably(signer, signer.certificate().getPublicKey());
        clock.advance(Duration.ofDays(31));
        assertThat(refs(vault.decryptionKeys(OWNER))).containsExactly(second);
    }

    @Test
    void refusesToOpenWithALedgerListingKeysTheStoreDoesNotHold() throws Exception {
        activeKey(KeyPurpose.SIGNING);
        vault.close();
        Instant now = clock.instant();
        Files.writeString(ledgerFile(), "key.ghost.signing.1.owner=ghost\n"
                + "key.ghost.signing.1.purpose=SIGNING\n"
                + "key.ghost.signing.1.state=ACTIVE\n"
                + "key.ghost.signing.1.created=" + now + "\n"
                + "key.ghost.signing.1.activated=" + now + "\n"
                + "key.ghost.signing.1.overlap=PT0S\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> vault = open(clock))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.STORE_FAILURE);
                    assertThat(e.getMessage()).contains("ghost.signing.1", "ACTIVE", "does not hold it");
                });
        vault = null;
    }

    @Test
    void refusesALedgerOfAnotherFormat() throws Exception {
        vault.generate(OWNER, KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        vault.close();
        Files.writeString(ledgerFile(), Files.readString(ledgerFile()).replace("ledger.format=1", "ledger.format=2"));

        assertThatThrownBy(() -> vault = open(clock))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.getMessage()).contains("has format 2; this version reads format 1"));
        vault = null;
    }

    // ------------------------------------------------------------------ helpers

    KeyRef activeKey(KeyPurpose purpose) throws Exception {
        KeyRef ref = vault.generate(OWNER, purpose, KeySpec.ec("P-256"));
        vault.importCertificate(ref, certify(ref, profileOf(purpose)).chain());
        return ref;
    }

    IssuedCertificate certify(KeyRef ref, CertificateProfile profile) throws Exception {
        return ca.certify(csr(ref, CsrSubject.of(ORGANISATION).email("poststelle@bad-vilbel.de")),
                IssueRequest.named(ref.owner()).profile(profile).email("poststelle@bad-vilbel.de"));
    }

    PKCS10CertificationRequest csr(KeyRef ref, CsrSubject subject) throws Exception {
        String pem = vault.csr(ref, subject);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        return Pem.readCsr(new StringReader(pem));
    }

    static boolean signatureValid(PKCS10CertificationRequest csr) throws Exception {
        return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                .build(csr.getSubjectPublicKeyInfo()));
    }

    static CertificateProfile profileOf(KeyPurpose purpose) {
        switch (purpose) {
            case SIGNING:
                return CertificateProfile.SIGNING;
            case ENCRYPTION:
                return CertificateProfile.ENCRYPTION;
            case EVIDENCE:
                return CertificateProfile.EVIDENCE;
            default:
                return CertificateProfile.TLS_CLIENT;
        }
    }

    void assertSignsVerifiably(PrivateKeyHandle handle, PublicKey verificationKey) throws Exception {
        SignatureSpec spec = policy.signatureFor(verificationKey, null);
        byte[] data = "DER of the signed attributes".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = handle.sign(spec, data);
        Signature verifier = JcaNames.signature(spec, Providers.bouncyCastle());
        verifier.initVerify(verificationKey);
        verifier.update(data);
        assertThat(verifier.verify(signature)).as("signature of %s verifies", handle).isTrue();
    }

    static byte[] softwareEcdh(PrivateKey ephemeral, PrivateKeyHandle recipient) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance(JcaNames.ECDH, Providers.bouncyCastle());
        agreement.init(ephemeral);
        agreement.doPhase(recipient.certificate().getPublicKey(), true);
        return agreement.generateSecret();
    }

    void assertImportRefused(KeyRef ref, IssuedCertificate certificate, KeyVaultException.Reason reason)
            throws Exception {
        assertThatThrownBy(() -> vault.importCertificate(ref, certificate.chain()))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(ref.id());
                });
        assertThat(stateOf(ref)).isEqualTo(KeyState.PENDING);
    }

    static List<KeyRef> refs(List<PrivateKeyHandle> handles) {
        return handles.stream().map(PrivateKeyHandle::ref).toList();
    }

    KeyInfo infoOf(KeyRef ref) throws Exception {
        return vault.list().stream().filter(i -> i.ref().equals(ref)).findFirst().orElseThrow();
    }

    KeyState stateOf(KeyRef ref) throws Exception {
        return infoOf(ref).state();
    }
}
