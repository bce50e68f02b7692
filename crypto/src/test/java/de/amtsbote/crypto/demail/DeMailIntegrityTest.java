package de.amtsbote.crypto.demail;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The De-Mail integrity field (wire contract section 3): written by a provider's signer, checked by the gateway. */
class DeMailIntegrityTest {

    private static final String DOMAIN = "dmda-b.de-mail.de";
    private static final Instant T = Instant.parse("2026-11-25T09:30:00Z");
    private static final String MAIL = "From: poststelle@kreis.de-mail.de\r\n"
            + "To: erika.mustermann@dmda-b.de-mail.de\r\n"
            + "Subject: Bescheid\r\n"
            + "Date: Wed, 25 Nov 2026 09:30:00 +0000\r\n"
            + "Message-ID: <d-1@kreis.de-mail.de>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "x-de-mail-sender: poststelle@kreis.de-mail.de\r\n"
            + "x-de-mail-chosen-recipient: to=erika.mustermann@dmda-b.de-mail.de\r\n"
            + "x-de-mail-confirmation-of-dispatch: yes\r\n"
            + "x-de-mail-private-id: d-1\r\n"
            + "X-de-mail-message-id: <m-77@dmda-a.de-mail.de>\r\n"
            + "X-de-mail-message-type: normal\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "\r\n"
            + "Sehr geehrte Frau Mustermann,\r\nanbei der Bescheid.\r\n\r\n\r\n";

    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static CertificateAuthority deMailRoot;
    private static CertificateAuthority otherRoot;
    private static IssuedCertificate provider;
    private static IssuedCertificate secondProvider;
    private static DeMailIntegrity integrity;

    @BeforeAll
    static void deMailPki() throws Exception {
        deMailRoot = CertificateAuthority.root("De-Mail Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        otherRoot = CertificateAuthority.root("Other Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        provider = deMailRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.ec("brainpoolP256r1")));
        secondProvider = deMailRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.ec("P-256")));
        PkixCertificateValidator validator = PkixCertificateValidator.builder()
                .trustAnchors(List.of(deMailRoot.certificate(), otherRoot.certificate())).policy(POLICY)
                .revocation(RevocationSources.NONE).build();
        integrity = new DeMailIntegrity(POLICY, validator, List.of(deMailRoot.certificate()), Clock.systemUTC());
    }

    private static SoftwareKeyHandle handle(IssuedCertificate issued) {
        return new SoftwareKeyHandle(new KeyRef("provider", KeyPurpose.EVIDENCE,
                issued.certificate().getSerialNumber().toString(16)), issued.privateKey(), issued.chain());
    }

    private static String sealed(DeMailIntegritySigner signer, String mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = mail.getBytes(StandardCharsets.UTF_8);
        signer.seal(() -> new ByteArrayInputStream(bytes), out, DOMAIN, T);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String signed(String mail) throws Exception {
        return sealed(DeMailIntegritySigner.signing(handle(provider), POLICY), mail);
    }

    private static IntegrityResult check(String mail, boolean requireSignature) throws Exception {
        return integrity.verify(new ByteArrayInputStream(mail.getBytes(StandardCharsets.ISO_8859_1)),
                requireSignature);
    }

    /** Rewrites the integrity field's tags after sealing, re-signing it with the same key (a forger with the key). */
    private static String resigned(String mail, IssuedCertificate key, SignatureSpec spec, List<String> names)
            throws Exception {
        String head = mail.substring(0, mail.indexOf("\r\n\r\n"));
        String body = mail.substring(mail.indexOf("\r\n\r\n") + 4);
        List<String> fields = new ArrayList<>(HeaderFields.read(new ByteArrayInputStream(
                (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1))).all());
        fields.removeIf(f -> f.startsWith(DeMailIntegrity.FIELD));
        HeaderFields headers = HeaderFields.of(fields);
        BodyHash bh = new BodyHash(spec.digest());
        try (bh) {
            bh.write(body.getBytes(StandardCharsets.ISO_8859_1));
        }
        DeMailIntegritySigner signer = DeMailIntegritySigner.signing(handle(key), POLICY).with(spec);
        String field = signer.field(headers, bh.digest(spec.digest()), DOMAIN, T, names);
        return String.join("\r\n", fields) + "\r\n" + field + "\r\n\r\n" + body;
    }

    @Test
    void aSignedMailVerifiesWithTheProvidersCertificate() throws Exception {
        IntegrityResult r = check(signed(MAIL), true);

        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.signed()).isTrue();
        assertThat(r.signer()).contains("CN=" + DOMAIN);
        assertThat(r.tag().headers()).containsExactly("From", "Date", "Message-ID", "Subject",
                "X-de-mail-confirmation-of-dispatch", "X-de-mail-sender", "X-de-mail-chosen-recipient",
                "X-de-mail-message-type", "X-de-mail-private-id", "X-de-mail-message-id");
        assertThat(r.spec().scheme()).isEqualTo(Algorithm.ECDSA);
    }

    @Test
    void aHashedMailVerifiesWithoutCertificateButFailsWhereASignatureIsRequired() throws Exception {
        String mail = sealed(DeMailIntegritySigner.hashing(Algorithm.SHA384), MAIL);

        assertThat(check(mail, false).valid()).isTrue();
        assertThat(check(mail, false).signed()).isFalse();
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.NOT_SIGNED);
    }

    @Test
    void rsassaPssSignaturesVerifyToo() throws Exception {
        IssuedCertificate rsa = deMailRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.rsa(3072)));
        IntegrityResult r = check(sealed(DeMailIntegritySigner.signing(handle(rsa), POLICY), MAIL), true);

        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.tag().algorithmName()).isEqualTo("sha256/rsassa-pss");
    }

    @Test
    void legacyRsaPkcs1SignaturesAreAcceptedOnlyFlagged() throws Exception {
        IssuedCertificate rsa = deMailRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.rsa(3072)));
        String mail = resigned(signed(MAIL), rsa, new SignatureSpec(Algorithm.RSA_PKCS1_V15_SIGNATURE,
                Algorithm.SHA256, null), DeMailIntegrity.signedFieldsOf(HeaderFields.read(
                new ByteArrayInputStream(MAIL.getBytes(StandardCharsets.ISO_8859_1)))));
        mail = mail.replaceFirst("X-de-mail-signature-certificate:[^\\n]*\\n( [^\\n]*\\n)*", certificateField(rsa));
        IntegrityResult r = check(mail, true);

        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.flags()).anySatisfy(f -> assertThat(f).contains("legacy"));
    }

    private static String certificateField(IssuedCertificate c) throws Exception {
        return DeMailIntegritySigner.signing(handle(c), POLICY).certificateField().replace("$", "\\$") + "\r\n";
    }

    @Test
    void aChangedSignedHeaderBreaksTheSignature() throws Exception {
        String mail = signed(MAIL).replace("Subject: Bescheid", "Subject: Mahnung");
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.SIGNATURE_INVALID);
    }

    @Test
    void aChangedHeaderBreaksTheHashOfAHashedMail() throws Exception {
        String mail = sealed(DeMailIntegritySigner.hashing(Algorithm.SHA256), MAIL)
                .replace("x-de-mail-private-id: d-1", "x-de-mail-private-id: d-2");
        assertThat(check(mail, false).failure()).isEqualTo(IntegrityCheck.HEADER_HASH);
    }

    @Test
    void aChangedBodyBreaksTheBodyHash() throws Exception {
        String mail = signed(MAIL).replace("anbei der Bescheid", "anbei die Mahnung");
        IntegrityResult r = check(mail, true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.BODY_HASH);
    }

    @Test
    void trailingEmptyLinesAreNotPartOfTheBodyHash() throws Exception {
        String mail = signed(MAIL) + "\r\n\r\n";
        assertThat(check(mail, true).valid()).isTrue();
    }

    @Test
    void aPresentFieldLeftOutOfTheSignedListIsRefused() throws Exception {
        String mail = signed(MAIL).replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nReply-To: x@evil.example\r\n");
        IntegrityResult r = check(mail, true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.HEADER_LIST);
        assertThat(r.detail()).contains("Reply-To");
    }

    @Test
    void aReorderedSignedListIsRefusedEvenWhenItsSignatureIsGood() throws Exception {
        List<String> names = new ArrayList<>(DeMailIntegrity.signedFieldsOf(HeaderFields.read(
                new ByteArrayInputStream(MAIL.getBytes(StandardCharsets.ISO_8859_1)))));
        java.util.Collections.swap(names, 0, 1);
        String mail = resigned(signed(MAIL), provider, new SignatureSpec(Algorithm.ECDSA, Algorithm.SHA256, null),
                names);
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.HEADER_LIST);
    }

    @Test
    void anAlteredSignatureValueIsRefused() throws Exception {
        String mail = signed(MAIL);
        int b = mail.lastIndexOf("; b=") + 4;
        byte[] sig = Base64.getDecoder().decode(mail.substring(b, mail.indexOf("\r\n", b)));
        sig[sig.length - 1] ^= 1;
        mail = mail.substring(0, b) + Base64.getEncoder().encodeToString(sig) + mail.substring(mail.indexOf("\r\n", b));
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.SIGNATURE_INVALID);
    }

    @Test
    void anotherProvidersCertificateInTheCertificateFieldDoesNotVerify() throws Exception {
        String mail = signed(MAIL).replaceFirst("X-de-mail-signature-certificate:[^\\n]*\\n( [^\\n]*\\n)*",
                certificateField(secondProvider));
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.SIGNATURE_INVALID);
    }

    @Test
    void aCertificateFromAnotherRootIsNotADeMailProvider() throws Exception {
        IssuedCertificate stranger = otherRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.ec("P-256")));
        IntegrityResult r = check(sealed(DeMailIntegritySigner.signing(handle(stranger), POLICY), MAIL), true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.CERTIFICATE_UNTRUSTED);
        assertThat(r.detail()).contains("Other Test Root");
    }

    @Test
    void anExpiredProviderCertificateIsRefused() throws Exception {
        IssuedCertificate expired = deMailRoot.issue(IssueRequest.named(DOMAIN).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.ec("P-256")).validity(Instant.now().minus(Duration.ofDays(30)),
                        Instant.now().minus(Duration.ofDays(1))));
        IntegrityResult r = check(sealed(DeMailIntegritySigner.signing(handle(expired), POLICY), MAIL), true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.CERTIFICATE_INVALID);
        assertThat(r.detail()).contains("expired");
    }

    @Test
    void aCertificateForAnotherDomainCannotSignForThisOne() throws Exception {
        IssuedCertificate other = deMailRoot.issue(IssueRequest.named("dmda-c.de-mail.de")
                .profile(CertificateProfile.PROVIDER).key(KeySpec.ec("P-256")));
        IntegrityResult r = check(sealed(DeMailIntegritySigner.signing(handle(other), POLICY), MAIL), true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.DOMAIN_MISMATCH);
    }

    @Test
    void aLengthLimitIsRefused() throws Exception {
        String mail = signed(MAIL).replace("; c=simple/simple;", "; c=simple/simple; l=10;");
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.LENGTH_LIMITED);
    }

    @Test
    void sha1IsRefusedByThePolicy() throws Exception {
        String mail = signed(MAIL).replace("a=sha256/ec-dsa", "a=sha1/ec-dsa");
        IntegrityResult r = check(mail, true);
        assertThat(r.failure()).isEqualTo(IntegrityCheck.ALGORITHM_REFUSED);
        assertThat(r.detail()).contains("SHA-1");
    }

    @Test
    void aMissingFieldAndDuplicateTagsAreNamed() throws Exception {
        assertThat(check(MAIL, false).failure()).isEqualTo(IntegrityCheck.MISSING);
        String mail = signed(MAIL).replace("; c=simple/simple;", "; c=simple/simple; d=" + DOMAIN + ";");
        assertThat(check(mail, true).failure()).isEqualTo(IntegrityCheck.MALFORMED);
    }

    @Test
    void theBodyHashStreamsWithSeveralDigestsInOnePass() throws Exception {
        BodyHash h = new BodyHash(List.of(Algorithm.SHA256, Algorithm.SHA512));
        try (h) {
            for (byte b : "a\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                h.write(b);
            }
        }
        BodyHash once = new BodyHash(Algorithm.SHA256);
        try (once) {
            once.write("a\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(h.digest(Algorithm.SHA256)).isEqualTo(once.digest(Algorithm.SHA256));
        BodyHash empty = new BodyHash(Algorithm.SHA256);
        empty.close();
        assertThat(empty.digest(Algorithm.SHA256)).isEqualTo(de.amtsbote.crypto.keys.JcaNames
                .messageDigest(Algorithm.SHA256).digest("\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
