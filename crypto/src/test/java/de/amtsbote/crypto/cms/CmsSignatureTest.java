package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

class CmsSignatureTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nBescheid 2026\r\n".getBytes(StandardCharsets.US_ASCII);

    final CmsOpener opener = CmsOpener.builder(POLICY, new TestValidator(PKI.root.certificate())).build();

    static byte[] sign(PrivateKeyHandle key, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = CmsSigner.builder(key, POLICY).build().signEncapsulated(out)) {
            s.write(content);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void verifiesWhatItSigned(String key) throws Exception {
        byte[] signed = sign(PKI.key(key), CONTENT);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        VerificationResult r = opener.verify(new ByteArrayInputStream(signed), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(r.signers()).singleElement().satisfies(s -> {
            assertThat(s.subject()).contains("Teilnehmer " + key);
            assertThat(s.flags()).isEmpty();
            assertThat(s.signingTime()).isNotNull();
        });
    }

    @Test
    void signsRsaKeysWithPss() throws Exception {
        VerificationResult r = opener.verify(new ByteArrayInputStream(sign(PKI.key("rsa"), CONTENT)),
                OutputStream.nullOutputStream());
        assertThat(r.signers().get(0).signatureSpec().scheme()).isEqualTo(Algorithm.RSASSA_PSS);
    }

    @Test
    void reportsTamperedContentAsDigestMismatch() throws Exception {
        byte[] signed = sign(PKI.key("p256"), CONTENT);
        int at = indexOf(signed, "Bescheid".getBytes(StandardCharsets.US_ASCII));
        signed[at] ^= 0x20;
        VerificationResult r = opener.verify(new ByteArrayInputStream(signed), OutputStream.nullOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.failedSigner()).get().satisfies(s -> {
            assertThat(s.failure()).isEqualTo(SignatureCheck.CONTENT_DIGEST_MISMATCH);
            assertThat(s.name()).contains("Teilnehmer p256");
        });
    }

    @Test
    void refusesToSignWithAnRsa2048Key() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CmsSigner.builder(PKI.key("rsa2048"), POLICY).build())
                .isInstanceOf(PolicyViolationException.class)
                .satisfies(e -> assertThat(((PolicyViolationException) e).reason())
                        .isEqualTo(PolicyViolationException.Reason.KEY_TOO_SHORT));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** A SignedData made by Bouncy Castle directly, with whatever algorithm a test needs (we never sign so). */
    static byte[] bcSign(PrivateKey key, X509Certificate cert, String algorithm, byte[] content) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(Providers.bouncyCastle())
                .build(algorithm, key, cert));
        g.addCertificates(new JcaCertStore(List.of(cert)));
        return g.generate(new CMSProcessableByteArray(content), true).getEncoded();
    }

    VerificationResult verify(byte[] signed) throws IOException {
        return opener.verify(new ByteArrayInputStream(signed), OutputStream.nullOutputStream());
    }

    @Test
    void refusesSha1Signatures() throws Exception {
        VerificationResult r = verify(bcSign(PKI.cert("rsa").privateKey(), PKI.cert("rsa").certificate(),
                "SHA1withRSA", CONTENT));
        assertThat(r.valid()).isFalse();
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.ALGORITHM_REFUSED);
        assertThat(r.signers().get(0).policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
        assertThat(r.signers().get(0).detail()).contains("SHA-1");
    }

    @Test
    void refusesSha224ForEcdsa() throws Exception {
        VerificationResult r = verify(bcSign(PKI.cert("p256").privateKey(), PKI.cert("p256").certificate(),
                "SHA224withECDSA", CONTENT));
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.ALGORITHM_REFUSED);
        assertThat(r.signers().get(0).detail()).contains("SHA-224");
    }

    @Test
    void acceptsAnRsa2048SignerAsFlaggedLegacy() throws Exception {
        VerificationResult r = verify(bcSign(PKI.cert("rsa2048").privateKey(), PKI.cert("rsa2048").certificate(),
                "SHA256withRSAandMGF1", CONTENT));
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.flags()).anySatisfy(f -> assertThat(f).contains("RSA 2048 bit").contains("legacy"));
    }

    @Test
    void refusesLegacyInboundWhenTheInstallationIsStrict() throws Exception {
        CmsOpener strict = CmsOpener.builder(AlgorithmPolicy.builder().refuseLegacyInbound().build(),
                new TestValidator(PKI.root.certificate())).build();
        VerificationResult r = strict.verify(new ByteArrayInputStream(bcSign(PKI.cert("rsa").privateKey(),
                PKI.cert("rsa").certificate(), "SHA256withRSA", CONTENT)), OutputStream.nullOutputStream());
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.ALGORITHM_REFUSED);
        assertThat(r.signers().get(0).policyReason())
                .isEqualTo(PolicyViolationException.Reason.LEGACY_REFUSED_INBOUND);
    }

    @Test
    void reportsASignatureByAnotherKeyThanTheCertificatesAsInvalid() throws Exception {
        // key of p256, certificate of bp256... both EC: the signer claims to be bp256
        PrivateKeyHandle impostor = new SoftwareKeyHandle(new KeyRef("test", KeyPurpose.SIGNING, "impostor"),
                PKI.cert("p256").privateKey(), PKI.cert("bp256").chain());
        VerificationResult r = verify(sign(impostor, CONTENT));
        assertThat(r.valid()).isFalse();
        assertThat(r.failedSigner()).get().satisfies(s -> {
            assertThat(s.failure()).isEqualTo(SignatureCheck.SIGNATURE_INVALID);
            assertThat(s.name()).contains("Teilnehmer bp256");
        });
    }

    @Test
    void reportsAMissingSignerCertificate() throws Exception {
        CMSSignedData signed = new CMSSignedData(sign(PKI.key("rsa"), CONTENT));
        byte[] stripped = CMSSignedData.replaceCertificatesAndCRLs(signed,
                new JcaCertStore(List.of(PKI.cert("p256").certificate())), null, null).getEncoded();
        VerificationResult r = verify(stripped);
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.SIGNER_CERTIFICATE_MISSING);
        assertThat(r.signers().get(0).detail()).contains(PKI.cert("rsa").certificate().getSerialNumber().toString(16));
    }

    @Test
    void reportsASubstitutedCertificateForTheSameKey() throws Exception {
        // two certificates for one key; the signer signed for the first (signingCertificateV2), the message carries
        // the second and names the signer by key identifier, so the signature alone would verify
        IssuedCertificate original = PKI.cert("p256");
        IssuedCertificate other = PKI.root.certify(new JcaPKCS10CertificationRequestBuilder(
                        original.certificate().getSubjectX500Principal(), original.certificate().getPublicKey())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle())
                                .build(original.privateKey())),
                IssueRequest.named("Teilnehmer p256").profile(CertificateProfile.SIGNING_AND_ENCRYPTION));
        byte[] signedWithOriginal = sign(PKI.key("p256"), CONTENT);
        org.bouncycastle.cms.SignerInformation si = new CMSSignedData(signedWithOriginal).getSignerInfos()
                .getSigners().iterator().next();
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        AttributeTable attributes = si.getSignedAttributes();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(Providers.bouncyCastle()).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes
                        .remove(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest)
                        .remove(org.bouncycastle.asn1.cms.CMSAttributes.contentType)
                        .remove(org.bouncycastle.asn1.cms.CMSAttributes.cmsAlgorithmProtect)))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle())
                        .build(original.privateKey()), new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils()
                        .createSubjectKeyIdentifier(original.certificate().getPublicKey()).getKeyIdentifier()));
        g.addCertificates(new JcaCertStore(List.of(other.certificate())));
        VerificationResult r = verify(g.generate(new CMSProcessableByteArray(CONTENT), true).getEncoded());
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.SIGNER_CERTIFICATE_MISMATCH);
    }

    @Test
    void reportsAnExpiredSignerCertificate() throws Exception {
        VerificationResult r = verify(sign(PKI.key("expired"), CONTENT));
        assertThat(r.valid()).isFalse();
        assertThat(r.signers().get(0).failure()).isEqualTo(SignatureCheck.CERTIFICATE_INVALID);
        assertThat(r.signers().get(0).certificateValidation().reason()).isEqualTo(ValidationResult.Reason.EXPIRED);
    }

    @Test
    void reportsNotSignedForOtherInput() throws Exception {
        VerificationResult r = verify("just text".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.failure()).isEqualTo(SignatureCheck.NOT_SIGNED);
        assertThat(r.describe()).contains("not a CMS ContentInfo");
    }

    @Test
    void reportsATruncatedSignedDataAsMalformed() throws Exception {
        byte[] signed = sign(PKI.key("p256"), new byte[20_000]);
        VerificationResult r = verify(java.util.Arrays.copyOf(signed, 10_000));
        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isEqualTo(SignatureCheck.MALFORMED);
    }

    @Test
    void signsWithTheSigningTimeOfItsClock() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-03-01T10:15:30Z");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SigningStream s = CmsSigner.builder(PKI.key("bp256"), POLICY)
                .clock(java.time.Clock.fixed(t, java.time.ZoneOffset.UTC)).build().signEncapsulated(out);
        try (s) {
            s.write(CONTENT);
        }
        assertThat(s.sentSignature().signingTime()).isEqualTo(t);
        assertThat(verify(out.toByteArray()).signers().get(0).signingTime()).isEqualTo(t);
    }

    @Test
    void verifiesADetachedSignature() throws Exception {
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        try (OutputStream s = CmsSigner.builder(PKI.key("p384"), POLICY).build().signDetached(signature)) {
            s.write(CONTENT);
        }
        VerificationResult r = opener.verifyDetached(new ByteArrayInputStream(CONTENT),
                new ByteArrayInputStream(signature.toByteArray()));
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.signers().get(0).signatureSpec().digest()).isEqualTo(Algorithm.SHA384);
        byte[] other = CONTENT.clone();
        other[other.length - 3] ^= 1;
        assertThat(opener.verifyDetached(new ByteArrayInputStream(other), new ByteArrayInputStream(
                signature.toByteArray())).firstFailure()).contains(SignatureCheck.CONTENT_DIGEST_MISMATCH);
    }
}
