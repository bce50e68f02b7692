package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.testing.MutableClock;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.BAD_SIGNATURE;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.EXPIRED;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.MALFORMED;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.NOT_YET_VALID;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.POLICY_REFUSED;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.REVOKED;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.UNKNOWN_CA;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.WRONG_KEY_USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path building, validity, CA structure, key usage and the algorithm policy — against a test PKI whose revocation
 * status is served on loopback, so that every "valid" here also went through OCSP. RSA and brainpool CAs are made
 * once for the class (RSA-3072 key generation is the expensive part).
 */
class PkixCertificateValidatorTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** The CAs were made in 2023, so that validation at a past time finds them valid then. */
    static final MutableClock CA_CLOCK = new MutableClock(Instant.parse("2023-01-01T00:00:00Z"));

    static LocalCa rsaRoot;
    static LocalCa rsaIntermediate;
    static LocalCa ecRoot;
    static LocalCa otherRoot;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        rsaRoot = LocalCa.root("Amtsbote Test Root RSA", KeySpec.rsa(3072), CA_CLOCK, CLOCK);
        rsaIntermediate = rsaRoot.intermediate("Amtsbote Test Intermediate RSA", KeySpec.rsa(3072));
        ecRoot = LocalCa.root("Amtsbote Test Root EC", KeySpec.ec("brainpoolP256r1"), CA_CLOCK, CLOCK);
        otherRoot = LocalCa.root("Somebody Else's Root", KeySpec.ec("P-256"), CA_CLOCK, CLOCK);
        CA_CLOCK.set(NOW); // from here on certificates are issued from now for two years
    }

    @AfterAll
    static void stop() {
        for (LocalCa ca : new LocalCa[] {rsaIntermediate, rsaRoot, ecRoot, otherRoot}) {
            if (ca != null) {
                ca.close();
            }
        }
    }

    private static PkixCertificateValidator.Builder validatorBuilder() {
        return PkixCertificateValidator.builder().trustAnchor(rsaRoot.certificate()).trustAnchor(ecRoot.certificate())
                .clock(CLOCK);
    }

    private static PkixCertificateValidator validator() {
        return validatorBuilder().build();
    }

    private static IssuedCertificate ecLeaf(LocalCa ca, String cn, CertificateProfile profile) throws Exception {
        return ca.issue(cn, profile, KeySpec.ec("P-256"));
    }

    // ------------------------------------------------------------------ valid paths

    @Test
    void validatesAnRsaCertificateThroughAnIntermediateWithOcsp() throws Exception {
        IssuedCertificate alice = rsaIntermediate.issue("Alice", CertificateProfile.SIGNING_AND_ENCRYPTION,
                KeySpec.rsa(3072));

        ValidationResult r = validator().validate(alice.certificate(), List.of(rsaIntermediate.certificate()),
                CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.status()).isEqualTo("valid");
        assertThat(r.path()).containsExactly(alice.certificate(), rsaIntermediate.certificate());
        assertThat(r.anchor()).isEqualTo(rsaRoot.certificate());
        assertThat(r.revocation()).startsWith("OCSP " + rsaIntermediate.responder().ocspUrl() + " for CN=Alice")
                .contains("OCSP " + rsaRoot.responder().ocspUrl() + " for CN=Amtsbote Test Intermediate RSA");
        assertThat(r.flags()).isEmpty();
        assertThat(r.detail()).contains("CN=Alice", "message signature", "CN=Amtsbote Test Root RSA");
        assertThat(r.checkedAt()).isEqualTo(NOW);
    }

    @Test
    void validatesABrainpoolCertificateForSignatureAndItsEncryptionCertificateForEncryption() throws Exception {
        IssuedCertificate signing = ecRoot.issue("Bob", CertificateProfile.SIGNING, KeySpec.ec("brainpoolP256r1"));
        IssuedCertificate encryption = ecRoot.issue("Bob", CertificateProfile.ENCRYPTION, KeySpec.ec("brainpoolP256r1"));

        assertThat(validator().validate(signing.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW)
                .valid()).isTrue();
        assertThat(validator().validate(encryption.certificate(), List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW)
                .valid()).isTrue();
    }

    @Test
    void readsTrustAnchorsFromAPemFile() throws Exception {
        Path pem = dir.resolve("anchors.pem");
        Pem.writeCertificates(pem, List.of(ecRoot.certificate()));
        IssuedCertificate carol = ecLeaf(ecRoot, "Carol", CertificateProfile.SIGNING);

        PkixCertificateValidator v = PkixCertificateValidator.builder().trustAnchorsFrom(pem).clock(CLOCK).build();

        assertThat(v.trustAnchors()).containsExactly(ecRoot.certificate());
        assertThat(v.validate(carol.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW).valid()).isTrue();
    }

    @Test
    void findsThePathAmongUnrelatedCertificatesTheCallerHands() throws Exception {
        IssuedCertificate dave = ecLeaf(rsaIntermediate, "Dave", CertificateProfile.SIGNING);
        IssuedCertificate stranger = ecLeaf(otherRoot, "Stranger", CertificateProfile.SIGNING);

        ValidationResult r = validator().validate(dave.certificate(), List.of(stranger.certificate(),
                otherRoot.certificate(), rsaRoot.certificate(), rsaIntermediate.certificate()),
                CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.path()).containsExactly(dave.certificate(), rsaIntermediate.certificate());
    }

    // ------------------------------------------------------------------ unknown CA, signatures

    @Test
    void refusesACertificateOfAnUnknownCa() throws Exception {
        IssuedCertificate stranger = ecLeaf(otherRoot, "Stranger", CertificateProfile.SIGNING);

        ValidationResult r = validator().validate(stranger.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE,
                NOW);

        assertThat(r.reason()).isEqualTo(UNKNOWN_CA);
        assertThat(r.status()).isEqualTo("unknown issuer");
        assertThat(r.detail()).contains("CN=Stranger", "CN=Somebody Else's Root");
        assertThat(r.path()).isEmpty();
        assertThat(r.anchor()).isNull();
    }

    @Test
    void refusesAPathWhoseIntermediateIsMissing() throws Exception {
        IssuedCertificate erin = ecLeaf(rsaIntermediate, "Erin", CertificateProfile.SIGNING);

        ValidationResult r = validator().validate(erin.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(UNKNOWN_CA);
        assertThat(r.detail()).contains("CN=Erin", "CN=Amtsbote Test Intermediate RSA");
    }

    @Test
    void refusesASelfSignedCertificateThatIsNoTrustAnchor() throws Exception {
        ValidationResult r = validator().validate(otherRoot.certificate(), List.of(),
                CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(UNKNOWN_CA);
        assertThat(r.detail()).contains("self-signed", "CN=Somebody Else's Root");
    }

    @Test
    void refusesACertificateWhoseSignatureWasTamperedWith() throws Exception {
        X509Certificate tampered = HandMadeCertificates.withBrokenSignature(
                ecLeaf(ecRoot, "Frank", CertificateProfile.SIGNING).certificate());

        ValidationResult r = validator().validate(tampered, List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(BAD_SIGNATURE);
        assertThat(r.detail()).contains("CN=Frank", "does not verify", "CN=Amtsbote Test Root EC");
    }

    // ------------------------------------------------------------------ time

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        IssuedCertificate grace = ecRoot.issue(ecRoot.request("Grace").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(35))));

        ValidationResult r = validator().validate(grace.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(EXPIRED);
        assertThat(r.detail()).contains("The certificate CN=Grace", "expired on " + NOW.minus(Duration.ofDays(35)));
        assertThat(r.path()).containsExactly(grace.certificate());
    }

    @Test
    void refusesACertificateThatIsNotYetValid() throws Exception {
        IssuedCertificate heidi = ecRoot.issue(ecRoot.request("Heidi").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400))));

        ValidationResult r = validator().validate(heidi.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(NOT_YET_VALID);
        assertThat(r.detail()).contains("CN=Heidi", "valid only from " + NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void refusesAPathWithAnExpiredIntermediateNamingIt() throws Exception {
        try (LocalCa expired = rsaRoot.intermediate(rsaRoot.request("Expired Intermediate").key(KeySpec.ec("P-256"))
                .validity(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")))) {
            IssuedCertificate ivan = ecLeaf(expired, "Ivan", CertificateProfile.SIGNING);

            ValidationResult r = validator().validate(ivan.certificate(), List.of(expired.certificate()),
                    CertificateUsage.MESSAGE_SIGNATURE, NOW);

            assertThat(r.reason()).isEqualTo(EXPIRED);
            assertThat(r.detail()).startsWith("The intermediate CA CN=Expired Intermediate")
                    .contains("expired on 2024-01-01T00:00:00Z");
        }
    }

    @Test
    void validatesAtAPastTimeWhenTheCertificateWasValidThen() throws Exception {
        Instant then = Instant.parse("2024-06-01T12:00:00Z");
        IssuedCertificate judy = ecRoot.issue(ecRoot.request("Judy").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).validity(Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2025-01-01T00:00:00Z")));

        ValidationResult atThen = validator().validate(judy.certificate(), List.of(),
                CertificateUsage.MESSAGE_SIGNATURE, then);
        ValidationResult atNow = validator().validate(judy.certificate(), List.of(),
                CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(atThen.valid()).as(atThen.detail()).isTrue();
        assertThat(atThen.checkedAt()).isEqualTo(then);
        assertThat(atThen.flags()).anyMatch(f -> f.contains("CN=Judy,") && f.contains("has expired since 2025-01-01"));
        assertThat(atNow.reason()).isEqualTo(EXPIRED);
    }

    @Test
    void aCertificateRevokedAfterTheTimeCheckedIsValidForThatTimeButFlagged() throws Exception {
        IssuedCertificate ken = ecRoot.issue(ecRoot.request("Ken").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(300))));
        ecRoot.responder().revoke(ken.certificate(), NOW.minus(Duration.ofDays(1)));

        ValidationResult before = validator().validate(ken.certificate(), List.of(),
                CertificateUsage.MESSAGE_SIGNATURE, NOW.minus(Duration.ofDays(2)));
        ValidationResult now = validator().validate(ken.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(before.valid()).as(before.detail()).isTrue();
        assertThat(before.flags()).anyMatch(f -> f.contains("CN=Ken,")
                && f.contains("was revoked on " + NOW.minus(Duration.ofDays(1)))
                && f.contains("after the time checked"));
        assertThat(now.reason()).isEqualTo(REVOKED);
    }

    // ------------------------------------------------------------------ CA structure

    @Test
    void refusesACertificateIssuedByAnEndEntity() throws Exception {
        IssuedCertificate mallory = ecLeaf(ecRoot, "Mallory", CertificateProfile.SIGNING);
        KeyPair victimKey = KeySpec.ec("P-256").generate();
        X509Certificate victim = HandMadeCertificates.certificate("Victim", victimKey.getPublic(),
                mallory.certificate().getSubjectX500Principal(), mallory.privateKey(), "SHA256withECDSA", null,
                KeyUsage.digitalSignature, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));

        ValidationResult r = validator().validate(victim, List.of(mallory.certificate()),
                CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(MALFORMED);
        assertThat(r.detail()).contains("CN=Mallory", "is not a CA");
    }

    @Test
    void refusesAPathLongerThanTheAnchorsPathLengthConstraintAllows() throws Exception {
        KeyPair rootKey = KeySpec.ec("P-256").generate();
        KeyPair subKey = KeySpec.ec("P-256").generate();
        KeyPair leafKey = KeySpec.ec("P-256").generate();
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(30));
        X509Certificate root = HandMadeCertificates.root("Root Without Sub-CAs", rootKey, "SHA256withECDSA", 0, from, to);
        X509Certificate sub = HandMadeCertificates.certificate("Sub-CA", subKey.getPublic(),
                root.getSubjectX500Principal(), rootKey.getPrivate(), "SHA256withECDSA", -1,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, from, to);
        X509Certificate leaf = HandMadeCertificates.certificate("Leaf", leafKey.getPublic(),
                sub.getSubjectX500Principal(), subKey.getPrivate(), "SHA256withECDSA", null, KeyUsage.digitalSignature,
                from, to);

        ValidationResult r = PkixCertificateValidator.builder().trustAnchor(root).clock(CLOCK)
                .revocation(RevocationSources.NONE).build()
                .validate(leaf, List.of(sub), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(MALFORMED);
        assertThat(r.detail()).contains("CN=Root Without Sub-CAs", "allows 0 intermediate CA(s)", "the path has 1");
    }

    @Test
    void refusesAMailAddressOutsideTheTrustAnchorsNameConstraints() throws Exception {
        KeyPair rootKey = KeySpec.ec("P-256").generate();
        KeyPair leafKey = KeySpec.ec("P-256").generate();
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(30));
        NameConstraints onlyOurDomain = new NameConstraints(new GeneralSubtree[] {
            new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, ".behoerde.example"))}, null);
        X509Certificate root = HandMadeCertificates.root("Constrained Root", rootKey, "SHA256withECDSA", -1, from, to,
                new Extension(Extension.nameConstraints, true, onlyOurDomain.getEncoded()));
        X509Certificate outsider = HandMadeCertificates.certificate("Outsider", leafKey.getPublic(),
                root.getSubjectX500Principal(), rootKey.getPrivate(), "SHA256withECDSA", null,
                KeyUsage.digitalSignature, from, to, new Extension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mallory@evil.example")).getEncoded()));

        ValidationResult r = PkixCertificateValidator.builder().trustAnchor(root).clock(CLOCK)
                .revocation(RevocationSources.NONE).build()
                .validate(outsider, List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(MALFORMED);
        assertThat(r.detail()).contains("CN=Outsider", "outside the name constraints of the trust anchor CN=Constrained Root");
    }

    @Test
    void refusesAMailAddressOutsideAnIntermediatesNameConstraintsInTheRfc5280Check() throws Exception {
        KeyPair rootKey = KeySpec.ec("P-256").generate();
        KeyPair subKey = KeySpec.ec("P-256").generate();
        KeyPair leafKey = KeySpec.ec("P-256").generate();
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(30));
        NameConstraints onlyOurDomain = new NameConstraints(new GeneralSubtree[] {
            new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, ".behoerde.example"))}, null);
        X509Certificate root = HandMadeCertificates.root("Open Root", rootKey, "SHA256withECDSA", -1, from, to);
        X509Certificate sub = HandMadeCertificates.certificate("Constrained Sub-CA", subKey.getPublic(),
                root.getSubjectX500Principal(), rootKey.getPrivate(), "SHA256withECDSA", -1,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, from, to,
                new Extension(Extension.nameConstraints, true, onlyOurDomain.getEncoded()));
        X509Certificate outsider = HandMadeCertificates.certificate("Outsider", leafKey.getPublic(),
                sub.getSubjectX500Principal(), subKey.getPrivate(), "SHA256withECDSA", null,
                KeyUsage.digitalSignature, from, to, new Extension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mallory@evil.example")).getEncoded()));

        ValidationResult r = PkixCertificateValidator.builder().trustAnchor(root).clock(CLOCK)
                .revocation(RevocationSources.NONE).build()
                .validate(outsider, List.of(sub), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(MALFORMED);
        assertThat(r.detail()).contains("RFC 5280 path validation refused the certificate CN=Outsider");
    }

    @Test
    void refusesAPathToAnExpiredTrustAnchor() throws Exception {
        KeyPair rootKey = KeySpec.ec("P-256").generate();
        KeyPair leafKey = KeySpec.ec("P-256").generate();
        X509Certificate root = HandMadeCertificates.root("Expired Root", rootKey, "SHA256withECDSA", -1,
                NOW.minus(Duration.ofDays(3650)), NOW.minus(Duration.ofDays(1)));
        X509Certificate leaf = HandMadeCertificates.certificate("Orphan", leafKey.getPublic(),
                root.getSubjectX500Principal(), rootKey.getPrivate(), "SHA256withECDSA", null,
                KeyUsage.digitalSignature, NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(30)));

        ValidationResult r = PkixCertificateValidator.builder().trustAnchor(root).clock(CLOCK)
                .revocation(RevocationSources.NONE).build()
                .validate(leaf, List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(EXPIRED);
        assertThat(r.detail()).startsWith("The trust anchor CN=Expired Root");
    }

    @Test
    void acceptsAPinnedSelfSignedCertificateConfiguredAsTrustAnchor() throws Exception {
        KeyPair key = KeySpec.ec("P-256").generate();
        X509Certificate pinned = HandMadeCertificates.certificate("Pinned Partner", key.getPublic(),
                new javax.security.auth.x500.X500Principal("CN=Pinned Partner,O=Hand-made,C=DE"), key.getPrivate(),
                "SHA256withECDSA", null, KeyUsage.digitalSignature, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)));
        PkixCertificateValidator v = PkixCertificateValidator.builder().trustAnchor(pinned).clock(CLOCK).build();

        ValidationResult signature = v.validate(pinned, List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);
        ValidationResult encryption = v.validate(pinned, List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW);

        assertThat(signature.valid()).as(signature.detail()).isTrue();
        assertThat(signature.anchor()).isEqualTo(pinned);
        assertThat(signature.revocation()).startsWith("not applicable");
        assertThat(encryption.reason()).isEqualTo(WRONG_KEY_USAGE);
    }

    // ------------------------------------------------------------------ key usage

    @Test
    void refusesAnEncryptionCertificateForSignatures() throws Exception {
        IssuedCertificate enc = ecLeaf(ecRoot, "Encryption Only", CertificateProfile.ENCRYPTION);

        ValidationResult r = validator().validate(enc.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(r.detail()).contains("CN=Encryption Only", "message signature", "digitalSignature or nonRepudiation");
    }

    @Test
    void refusesASigningCertificateForEncryption() throws Exception {
        IssuedCertificate sig = ecLeaf(ecRoot, "Signing Only", CertificateProfile.SIGNING);

        ValidationResult r = validator().validate(sig.certificate(), List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW);

        assertThat(r.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(r.detail()).contains("CN=Signing Only", "keyAgreement (EC key)");
    }

    @Test
    void refusesAnRsaSigningCertificateForEncryptionAskingForKeyEncipherment() throws Exception {
        IssuedCertificate sig = ecRoot.issue("RSA Signing Only", CertificateProfile.SIGNING, KeySpec.rsa(3072));

        ValidationResult r = validator().validate(sig.certificate(), List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW);

        assertThat(r.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(r.detail()).contains("keyEncipherment (RSA key)");
    }

    @Test
    void refusesATlsClientCertificateAsServer() throws Exception {
        IssuedCertificate client = ecLeaf(ecRoot, "client.example", CertificateProfile.TLS_CLIENT);

        ValidationResult asServer = validator().validate(client.certificate(), List.of(), CertificateUsage.TLS_SERVER, NOW);
        ValidationResult asClient = validator().validate(client.certificate(), List.of(), CertificateUsage.TLS_CLIENT, NOW);

        assertThat(asServer.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(asServer.detail()).contains("serverAuth");
        assertThat(asClient.valid()).as(asClient.detail()).isTrue();
    }

    @Test
    void refusesAnSmimeCertificateForTls() throws Exception {
        IssuedCertificate smime = ecLeaf(ecRoot, "S/MIME", CertificateProfile.SIGNING_AND_ENCRYPTION);

        ValidationResult r = validator().validate(smime.certificate(), List.of(), CertificateUsage.TLS_SERVER, NOW);

        assertThat(r.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(r.detail()).contains("does not include serverAuth");
    }

    @Test
    void refusesATlsServerCertificateForMessageSignaturesByItsExtendedKeyUsage() throws Exception {
        IssuedCertificate server = ecLeaf(ecRoot, "server.example", CertificateProfile.TLS_SERVER);

        ValidationResult smime = validator().validate(server.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE,
                NOW);
        ValidationResult tls = validator().validate(server.certificate(), List.of(), CertificateUsage.TLS_SERVER, NOW);

        assertThat(smime.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(smime.detail()).contains("does not include emailProtection");
        assertThat(tls.valid()).as(tls.detail()).isTrue();
    }

    @Test
    void acceptsAnEvidenceCertificateWithoutExtendedKeyUsageAndRefusesAnOcspResponderCertificateForEvidence()
            throws Exception {
        IssuedCertificate evidence = ecLeaf(ecRoot, "Evidence", CertificateProfile.EVIDENCE);
        IssuedCertificate ocsp = ecLeaf(ecRoot, "OCSP Responder", CertificateProfile.OCSP_RESPONDER);

        ValidationResult ok = validator().validate(evidence.certificate(), List.of(), CertificateUsage.EVIDENCE_SIGNATURE,
                NOW);
        ValidationResult refused = validator().validate(ocsp.certificate(), List.of(),
                CertificateUsage.EVIDENCE_SIGNATURE, NOW);

        assertThat(ok.valid()).as(ok.detail()).isTrue();
        assertThat(refused.reason()).isEqualTo(WRONG_KEY_USAGE);
        assertThat(refused.detail()).contains("emailProtection or documentSigning");
    }

    // ------------------------------------------------------------------ algorithm policy

    @Test
    void refusesASha1SignedCertificate() throws Exception {
        KeyPair rootKey = KeySpec.ec("P-256").generate();
        KeyPair leafKey = KeySpec.ec("P-256").generate();
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(30));
        X509Certificate root = HandMadeCertificates.root("Root Signing SHA-1", rootKey, "SHA256withECDSA", -1, from, to);
        X509Certificate leaf = HandMadeCertificates.certificate("SHA-1 Leaf", leafKey.getPublic(),
                root.getSubjectX500Principal(), rootKey.getPrivate(), "SHA1withECDSA", null,
                KeyUsage.digitalSignature, from, to);

        ValidationResult r = PkixCertificateValidator.builder().trustAnchor(root).clock(CLOCK).build()
                .validate(leaf, List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

        assertThat(r.reason()).isEqualTo(POLICY_REFUSED);
        assertThat(r.detail()).contains("CN=SHA-1 Leaf", "SHA-1 is refused");
        assertThat(r.revocation()).as("refused before any revocation source is asked").isNull();
    }

    @Test
    void refusesAnRsa1024KeyInThePath() throws Exception {
        try (LocalCa weak = ecRoot.intermediate("Weak Intermediate", KeySpec.rsa(1024))) {
            IssuedCertificate leaf = ecLeaf(weak, "Below Weak", CertificateProfile.SIGNING);

            ValidationResult r = validator().validate(leaf.certificate(), List.of(weak.certificate()),
                    CertificateUsage.MESSAGE_SIGNATURE, NOW);

            assertThat(r.reason()).isEqualTo(POLICY_REFUSED);
            assertThat(r.detail()).contains("CN=Weak Intermediate", "RSA key of 1024 bits");
        }
    }

    @Test
    void acceptsAnRsa2048CertificateAsFlaggedLegacy() throws Exception {
        IssuedCertificate old = ecRoot.issue("Old Partner", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.rsa(2048));

        ValidationResult r = validator().validate(old.certificate(), List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.status()).isEqualTo("valid (flagged)");
        assertThat(r.flags()).singleElement().asString().contains("CN=Old Partner", "RSA 2048 bit", "legacy");
    }

    @Test
    void refusesAnRsa2048CertificateWhenThePolicyRefusesLegacyInbound() throws Exception {
        IssuedCertificate old = ecRoot.issue("Old Partner", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.rsa(2048));

        ValidationResult r = validatorBuilder().policy(AlgorithmPolicy.builder().refuseLegacyInbound().build()).build()
                .validate(old.certificate(), List.of(), CertificateUsage.MESSAGE_ENCRYPTION, NOW);

        assertThat(r.reason()).isEqualTo(POLICY_REFUSED);
        assertThat(r.detail()).contains("RSA 2048 bit");
    }

    @Test
    void acceptsAPkcs1SignedPathWithoutFlagAndFlagsItOnlyWhenConfigured() throws Exception {
        try (LocalCa legacy = LocalCa.legacyRoot("Legacy PKCS1 Root", KeySpec.rsa(3072), CA_CLOCK, CLOCK)) {
            IssuedCertificate leaf = ecLeaf(legacy, "Under Legacy Root", CertificateProfile.SIGNING);
            PkixCertificateValidator.Builder b = PkixCertificateValidator.builder().trustAnchor(legacy.certificate())
                    .clock(CLOCK);

            ValidationResult plain = b.build().validate(leaf.certificate(), List.of(),
                    CertificateUsage.MESSAGE_SIGNATURE, NOW);
            ValidationResult flagged = b.flagPkcs1CertificateSignatures().build().validate(leaf.certificate(),
                    List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);
            ValidationResult strict = PkixCertificateValidator.builder().trustAnchor(legacy.certificate()).clock(CLOCK)
                    .policy(AlgorithmPolicy.builder().refuseLegacyInbound().build()).build()
                    .validate(leaf.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, NOW);

            assertThat(plain.valid()).as(plain.detail()).isTrue();
            assertThat(plain.flags()).isEmpty();
            assertThat(flagged.valid()).isTrue();
            assertThat(flagged.flags()).anyMatch(f -> f.contains("CN=Under Legacy Root")
                    && f.contains("RSA PKCS#1 v1.5 signature"));
            assertThat(flagged.flags()).as("the OCSP answer is PKCS#1 v1.5 signed too")
                    .anyMatch(f -> f.contains("the OCSP answer from"));
            assertThat(strict.reason()).isEqualTo(POLICY_REFUSED);
            assertThat(strict.detail()).contains("RSA PKCS#1 v1.5 signature");
        }
    }
}
