package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * AES-GCM content of AuthEnvelopedData on the JDK's AES ({@link de.amtsbote.crypto.content.StreamingGcm}): the format
 * Bouncy Castle and OpenSSL write, agreement with Bouncy Castle's GCM both ways, and the tag covering ciphertext, mac
 * field and authenticated attributes.
 */
class CmsGcmContentTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());

    static CmsOpener opener() {
        return CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(List.of(PKI.key("rsa"))).build();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** AuthEnvelopedData made by Bouncy Castle alone, with its own GCM, for our RSA recipient. */
    static byte[] bouncyCastleMessage(byte[] content, AlgorithmIdentifier contentAlgorithm, AttributeTable authAttrs)
            throws Exception {
        CMSAuthEnvelopedDataGenerator g = new CMSAuthEnvelopedDataGenerator();
        g.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(PKI.cert("rsa").certificate(),
                CmsAlgorithms.oaep(Algorithm.SHA256)).setProvider(Providers.bouncyCastle()));
        if (authAttrs != null) {
            g.setAuthenticatedAttributeGenerator(parameters -> authAttrs);
        }
        JceCMSContentEncryptorBuilder builder = contentAlgorithm == null
                ? new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                : new JceCMSContentEncryptorBuilder(contentAlgorithm);
        return g.generate(new CMSProcessableByteArray(content),
                (OutputAEADEncryptor) builder.setProvider(Providers.bouncyCastle()).build()).getEncoded();
    }

    static byte[] ourMessage(byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert("rsa").certificate()).build()
                .encrypt(out)) {
            s.write(content);
        }
        return out.toByteArray();
    }

    static DecryptionResult decrypt(byte[] message, ByteArrayOutputStream content) throws Exception {
        return opener().decrypt(new ByteArrayInputStream(message), content);
    }

    static AuthEnvelopedData structure(byte[] message) {
        return AuthEnvelopedData.getInstance(ContentInfo.getInstance(message).getContent());
    }

    static byte[] withMac(byte[] message, byte[] mac) throws Exception {
        AuthEnvelopedData a = structure(message);
        return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(a.getOriginatorInfo(),
                a.getRecipientInfos(), a.getAuthEncryptedContentInfo(), a.getAuthAttrs(), new DEROctetString(mac),
                a.getUnauthAttrs())).getEncoded();
    }

    static byte[] withAuthAttrs(byte[] message, ASN1Set authAttrs) throws Exception {
        AuthEnvelopedData a = structure(message);
        return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(a.getOriginatorInfo(),
                a.getRecipientInfos(), a.getAuthEncryptedContentInfo(), authAttrs, a.getMac(), a.getUnauthAttrs()))
                .getEncoded();
    }

    static AttributeTable oneAttribute(String value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSObjectIdentifiers.id_ri_ocsp_response, new DERSet(new DERUTF8String(value))));
        return new AttributeTable(v);
    }

    // ------------------------------------------------------------------ format

    @Test
    void writesANinetySixBitNonceAndAHundredTwentyEightBitTagAsRfc5084Has() throws Exception {
        AuthEnvelopedData a = structure(ourMessage(random(1000, 1)));
        AlgorithmIdentifier content = a.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm();
        GCMParameters gcm = GCMParameters.getInstance(content.getParameters());

        assertThat(content.getAlgorithm()).isEqualTo(CMSAlgorithm.AES256_GCM);
        assertThat(gcm.getNonce()).hasSize(12);
        assertThat(gcm.getIcvLen()).isEqualTo(16);
        assertThat(a.getMac().getOctets()).hasSize(16);
        assertThat(a.getAuthEncryptedContentInfo().getEncryptedContent().getOctets()).hasSize(1000);
    }

    @Test
    void bouncyCastlesOwnGcmDecryptsWhatWeEncrypt() throws Exception {
        byte[] content = random(70_001, 2);
        CMSAuthEnvelopedData parsed = new CMSAuthEnvelopedData(ourMessage(content));
        RecipientInformation recipient = parsed.getRecipientInfos().getRecipients().iterator().next();

        byte[] decrypted = recipient.getContent(new JceKeyTransAuthEnvelopedRecipient(PKI.key("rsa").jcaKey())
                .setProvider(Providers.bouncyCastle()));

        assertThat(decrypted).isEqualTo(content);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, 15, 16, 17, 65_535, 65_536, 65_537),
                Arbitraries.integers().between(0, 300_000));
    }

    @Property(tries = 25)
    void decryptsWhatBouncyCastlesOwnGcmEncrypted(@ForAll("sizes") int size, @ForAll long seed) throws Exception {
        byte[] content = random(size, seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DecryptionResult r = decrypt(bouncyCastleMessage(content, null, null), out);

        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(out.toByteArray()).isEqualTo(content);
    }

    // ------------------------------------------------------------------ integrity

    @Test
    void aFlippedBitInTheMacIsAnIntegrityFailure() throws Exception {
        byte[] message = ourMessage(random(5000, 3));
        byte[] mac = structure(message).getMac().getOctets();
        mac[15] ^= 0x10;

        DecryptionResult r = decrypt(withMac(message, mac), new ByteArrayOutputStream());

        assertThat(r.failure()).isEqualTo(DecryptionFailure.INTEGRITY_FAILED);
    }

    @Test
    void aShortenedMacIsAnIntegrityFailure() throws Exception {
        byte[] message = ourMessage(random(5000, 4));
        byte[] mac = structure(message).getMac().getOctets();

        DecryptionResult r = decrypt(withMac(message, Arrays.copyOf(mac, 15)), new ByteArrayOutputStream());

        assertThat(r.failure()).isEqualTo(DecryptionFailure.INTEGRITY_FAILED);
    }

    @Test
    void aMissingMacIsNotValid() throws Exception {
        byte[] message = ourMessage(random(5000, 5));

        DecryptionResult r = decrypt(withMac(message, new byte[0]), new ByteArrayOutputStream());

        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isEqualTo(DecryptionFailure.INTEGRITY_FAILED);
    }

    @Test
    void authenticatedAttributesAfterTheContentEnterTheTag() throws Exception {
        byte[] content = random(40_000, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DecryptionResult r = decrypt(bouncyCastleMessage(content, null, oneAttribute("Aktenzeichen 4711")), out);

        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(out.toByteArray()).isEqualTo(content);
    }

    @Test
    void changedAuthenticatedAttributesAreAnIntegrityFailure() throws Exception {
        byte[] message = bouncyCastleMessage(random(40_000, 7), null, oneAttribute("Aktenzeichen 4711"));
        byte[] changed = withAuthAttrs(message, new DERSet(oneAttribute("Aktenzeichen 4712").toASN1EncodableVector()));

        DecryptionResult r = decrypt(changed, new ByteArrayOutputStream());

        assertThat(r.failure()).isEqualTo(DecryptionFailure.INTEGRITY_FAILED);
    }

    // ------------------------------------------------------------------ other parameters

    @Test
    void decryptsANonceOtherThanNinetySixBitsWithBouncyCastle() throws Exception {
        byte[] content = random(30_000, 8);
        byte[] nonce = random(16, 9);
        byte[] message = bouncyCastleMessage(content, new AlgorithmIdentifier(CMSAlgorithm.AES256_GCM,
                new GCMParameters(nonce, 16)), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DecryptionResult r = decrypt(message, out);

        assertThat(GCMParameters.getInstance(structure(message).getAuthEncryptedContentInfo()
                .getContentEncryptionAlgorithm().getParameters()).getNonce()).isEqualTo(nonce);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(out.toByteArray()).isEqualTo(content);
    }

    @Test
    void decryptsATwelveByteTag() throws Exception {
        byte[] content = random(3000, 10);
        byte[] message = bouncyCastleMessage(content, new AlgorithmIdentifier(CMSAlgorithm.AES256_GCM,
                new GCMParameters(random(12, 11), 12)), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DecryptionResult r = decrypt(message, out);

        assertThat(structure(message).getMac().getOctets()).hasSize(12);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(out.toByteArray()).isEqualTo(content);
    }
}
