package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlDocs.EV;
import static de.amtsbote.crypto.xml.XmlDocs.first;
import static de.amtsbote.crypto.xml.XmlDocs.parse;
import static de.amtsbote.crypto.xml.XmlDocs.reparse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.xml.XmlDocs.CountingHandle;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import java.security.Key;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.apache.xml.security.encryption.EncryptedData;
import org.apache.xml.security.encryption.EncryptedKey;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.keys.KeyInfo;
import org.apache.xml.security.utils.EncryptionConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class XmlEncryptionTest {

    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    private static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    private static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";

    private static XmlTestPki pki;
    private final XmlEncryptor encryptor = new XmlEncryptor(POLICY);
    private final XmlDecryptor decryptor = new XmlDecryptor(POLICY);

    @BeforeAll
    static void setUp() throws Exception {
        pki = XmlTestPki.get();
        Santuario.init();
    }

    static Stream<Arguments> recipients() throws Exception {
        XmlTestPki p = XmlTestPki.get();
        return Stream.of(Arguments.of("RSA-3072", p.recipientRsa), Arguments.of("brainpoolP256r1", p.recipientBrainpool),
                Arguments.of("P-256", p.recipientP256));
    }

    private static PrivateKeyHandle handle(IssuedCertificate issued) {
        return new CountingHandle(XmlTestPki.handle(issued, KeyPurpose.ENCRYPTION)); // no JCA key for Santuario
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipients")
    void decryptsAnEncryptedElement(String key, IssuedCertificate recipient) throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element encrypted = encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(recipient.certificate())));
        Document received = reparse(doc);
        assertThat(new String(XmlDocs.bytes(received), UTF_8)).doesNotContain("Hundesteuer");

        DecryptedXml decrypted = decryptor.decrypt(first(received, XENC, "EncryptedData"), handle(recipient));

        assertThat(encrypted.getLocalName()).isEqualTo("EncryptedData");
        assertThat(decrypted.element().getLocalName()).isEqualTo("Message");
        assertThat(decrypted.element().getAttribute("Id")).isEqualTo("msg-1");
        assertThat(first(received, EV, "Subject").getTextContent()).isEqualTo("Bescheid über die Hundesteuer 2026");
        assertThat(decrypted.element().getParentNode()).isSameAs(received.getDocumentElement());
        assertThat(decrypted.content()).isEqualTo(Algorithm.AES256_GCM);
        assertThat(decrypted.flags()).isEmpty();
    }

    @Test
    void decryptsEncryptedContentKeepingTheElement() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptContent(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientRsa.certificate())));
        Document received = reparse(doc);
        assertThat(first(received, EV, "Message").getAttribute("Id")).isEqualTo("msg-1");
        assertThat(first(received, EV, "Sender")).isNull();

        DecryptedXml decrypted = decryptor.decrypt(first(received, XENC, "EncryptedData"), handle(pki.recipientRsa));

        assertThat(decrypted.nodes()).anyMatch(n -> "Sender".equals(n.getLocalName()));
        assertThat(first(received, EV, "Sender").getParentNode().getLocalName()).isEqualTo("Message");
    }

    @Test
    void eachOfSeveralRecipientsFindsItsKey() throws Exception {
        List<XmlRecipient> recipients = List.of(XmlRecipient.of(pki.recipientRsa.certificate()),
                XmlRecipient.of(pki.recipientBrainpool.certificate()));
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), recipients);

        for (IssuedCertificate r : List.of(pki.recipientRsa, pki.recipientBrainpool)) {
            Document received = reparse(doc);
            DecryptedXml decrypted = decryptor.decrypt(first(received, XENC, "EncryptedData"), handle(r));
            assertThat(decrypted.element().getAttribute("Id")).isEqualTo("msg-1");
        }
    }

    @Test
    void writesAes256GcmAndRsaOaepWithSha256() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element encrypted = encryptor.encryptElement(first(doc, EV, "Message"),
                List.of(XmlRecipient.of(pki.recipientRsa.certificate())));

        Element dataMethod = ContentKeys.child(encrypted, XENC, "EncryptionMethod");
        Element encryptedKey = first(doc, XENC, "EncryptedKey");
        Element keyMethod = ContentKeys.child(encryptedKey, XENC, "EncryptionMethod");
        assertThat(dataMethod.getAttribute("Algorithm")).isEqualTo(XENC11 + "aes256-gcm");
        assertThat(encrypted.getAttribute("Type")).isEqualTo(XENC + "Element");
        assertThat(keyMethod.getAttribute("Algorithm")).isEqualTo(XENC11 + "rsa-oaep");
        assertThat(ContentKeys.child(keyMethod, DSIG, "DigestMethod").getAttribute("Algorithm")).isEqualTo(XENC + "sha256");
        assertThat(ContentKeys.child(keyMethod, XENC11, "MGF").getAttribute("Algorithm")).isEqualTo(XENC11 + "mgf1sha256");
    }

    @Test
    void writesEcdhEsWithConcatKdfAndAesKeyWrapForEcRecipients() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientBrainpool.certificate())));

        Element encryptedKey = first(doc, XENC, "EncryptedKey");
        Element agreement = first(doc, XENC, "AgreementMethod");
        assertThat(ContentKeys.child(encryptedKey, XENC, "EncryptionMethod").getAttribute("Algorithm"))
                .isEqualTo(XENC + "kw-aes256");
        assertThat(agreement.getAttribute("Algorithm")).isEqualTo(XENC11 + "ECDH-ES");
        assertThat(first(doc, XENC11, "KeyDerivationMethod").getAttribute("Algorithm")).isEqualTo(XENC11 + "ConcatKDF");
        assertThat(first(doc, XENC11, "ConcatKDFParams").getElementsByTagNameNS(DSIG, "DigestMethod").item(0)
                .getAttributes().getNamedItem("Algorithm").getNodeValue()).isEqualTo(XENC + "sha256");
        assertThat(first(doc, XENC, "RecipientKeyInfo").getElementsByTagNameNS(DSIG, "X509Certificate").getLength())
                .isEqualTo(1);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aKeyTheDataIsNotForFindsNoEncryptedKey() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientRsa.certificate())));

        assertThatThrownBy(() -> decryptor.decrypt(first(reparse(doc), XENC, "EncryptedData"), handle(pki.otherRecipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.RECIPIENT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("CN=Other recipient RSA");
                });
    }

    @Test
    void aWrongKeyForTheNamedCertificateFailsToDecryptTheContentKey() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientRsa.certificate())));
        Document received = reparse(doc);
        // the attacker relabels the EncryptedKey with another recipient's certificate
        first(received, DSIG, "X509Certificate").setTextContent(Base64.getEncoder()
                .encodeToString(pki.otherRecipientRsa.certificate().getEncoded()));

        assertThatThrownBy(() -> decryptor.decrypt(first(received, XENC, "EncryptedData"), handle(pki.otherRecipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED);
                    assertThat(e.getMessage()).contains("content key");
                });
    }

    @Test
    void aWrongEcKeyFailsToUnwrapTheContentKey() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientP256.certificate())));
        Document received = reparse(doc);
        first(first(received, XENC, "RecipientKeyInfo").getOwnerDocument(), DSIG, "X509Certificate")
                .setTextContent(Base64.getEncoder().encodeToString(pki.evidenceP256.certificate().getEncoded()));

        assertThatThrownBy(() -> decryptor.decrypt(first(received, XENC, "EncryptedData"),
                XmlTestPki.handle(pki.evidenceP256, KeyPurpose.ENCRYPTION)))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED));
    }

    @Test
    void alteredCiphertextFailsAuthentication() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        encryptor.encryptElement(first(doc, EV, "Message"), List.of(XmlRecipient.of(pki.recipientRsa.certificate())));
        Document received = reparse(doc);
        Element value = (Element) first(received, XENC, "EncryptedData").getElementsByTagNameNS(XENC, "CipherValue")
                .item(1);
        byte[] ciphertext = Base64.getMimeDecoder().decode(value.getTextContent());
        ciphertext[20] ^= 1;
        value.setTextContent(Base64.getEncoder().encodeToString(ciphertext));

        assertThatThrownBy(() -> decryptor.decrypt(first(received, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY_FAILED));
        assertThat(first(received, EV, "Sender")).isNull();
    }

    @Test
    void refusesTripleDes() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.TRIPLEDES, XMLCipher.RSA_OAEP_11);

        assertThatThrownBy(() -> decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo("3DES-CBC");
                });
    }

    @Test
    void decryptsAesCbcAsFlaggedLegacy() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.AES_128, XMLCipher.RSA_OAEP_11);

        DecryptedXml decrypted = decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa));

        assertThat(decrypted.content()).isEqualTo(Algorithm.AES128_CBC);
        assertThat(decrypted.flags()).anyMatch(f -> f.contains("AES-128-CBC"));
        assertThat(decrypted.element().getLocalName()).isEqualTo("Message");
    }

    @Test
    void decryptsRsaPkcs1KeyTransportAsFlaggedLegacy() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.AES_256_GCM, XMLCipher.RSA_v1dot5);

        DecryptedXml decrypted = decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa));

        assertThat(decrypted.keyManagement()).isEqualTo(Algorithm.RSA_PKCS1_V15_KEY_TRANSPORT);
        assertThat(decrypted.flags()).anyMatch(f -> f.contains("PKCS#1 v1.5"));
    }

    @Test
    void refusesRsaPkcs1KeyTransportWhenThePolicyRefusesLegacyInbound() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.AES_256_GCM, XMLCipher.RSA_v1dot5);
        XmlDecryptor strict = new XmlDecryptor(AlgorithmPolicy.builder().refuseLegacyInbound().build());

        assertThatThrownBy(() -> strict.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.LEGACY_REFUSED_INBOUND));
    }

    @Test
    void decryptsRsaOaepMgf1pWithSha1AsFlaggedLegacy() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.AES_256_GCM, XMLCipher.RSA_OAEP);

        DecryptedXml decrypted = decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa));

        assertThat(decrypted.keyManagement()).isEqualTo(Algorithm.RSAES_OAEP);
        assertThat(decrypted.flags()).anyMatch(f -> f.contains("SHA-1"));
    }

    @Test
    void decryptedContentGoesThroughTheHardenedParserWithItsLimits() throws Exception {
        String deep = "<e>".repeat(XmlLimits.DEFAULT_MAX_DEPTH + 5) + "</e>".repeat(XmlLimits.DEFAULT_MAX_DEPTH + 5);
        Document doc = encryptedRawContent(deep);

        assertThatThrownBy(() -> decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP));
    }

    @Test
    void decryptedContentWithADoctypeIsRefusedNotExpanded() throws Exception {
        Document doc = encryptedRawContent("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");

        assertThatThrownBy(() -> decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                    assertThat(e.getMessage()).doesNotContain("root:");
                });
        assertThat(new String(XmlDocs.bytes(doc), UTF_8)).doesNotContain("root:");
    }

    @Test
    void refusesCipherReferenceRatherThanFetchingIt() throws Exception {
        Document doc = santuarioEncrypted(XMLCipher.AES_256_GCM, XMLCipher.RSA_OAEP_11);
        Element cipherData = (Element) first(doc, XENC, "EncryptedData").getElementsByTagNameNS(XENC, "CipherData").item(1);
        while (cipherData.getFirstChild() != null) {
            cipherData.removeChild(cipherData.getFirstChild());
        }
        Element reference = doc.createElementNS(XENC, "xenc:CipherReference");
        reference.setAttributeNS(null, "URI", "file:///etc/passwd");
        cipherData.appendChild(reference);

        assertThatThrownBy(() -> decryptor.decrypt(first(doc, XENC, "EncryptedData"), handle(pki.recipientRsa)))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_REFERENCE));
    }

    @Test
    void refusesToEncryptForAKeyThePolicyRefuses() throws Exception {
        IssuedCertificate weak = pki.intermediate.issue(de.amtsbote.crypto.pki.IssueRequest.named("Weak recipient")
                .profile(de.amtsbote.crypto.pki.CertificateProfile.ENCRYPTION)
                .key(de.amtsbote.crypto.pki.KeySpec.ec("P-224")));

        assertThatThrownBy(() -> encryptor.encryptElement(first(parse(XmlDocs.EVIDENCE), EV, "Message"),
                List.of(XmlRecipient.of(weak.certificate()))))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.getMessage()).contains("CN=Weak recipient");
                });
    }

    // ------------------------------------------------------------------ helpers

    /** Bytes encrypted as Content of the Message element, as an attacker with our certificate could send them. */
    private static Document encryptedRawContent(String plaintext) throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Key contentKey = ContentKeys.newContentKey(Algorithm.AES256_GCM);
        XMLCipher cipher = XMLCipher.getInstance(XMLCipher.AES_256_GCM);
        cipher.init(XMLCipher.ENCRYPT_MODE, contentKey);
        EncryptedData data = cipher.encryptData(doc, EncryptionConstants.TYPE_CONTENT,
                new ByteArrayInputStream(plaintext.getBytes(UTF_8)));
        KeyInfo keyInfo = new KeyInfo(doc);
        keyInfo.add(rsaOaepKey(doc, contentKey, XMLCipher.RSA_OAEP_11));
        data.setKeyInfo(keyInfo);
        first(doc, EV, "Message").appendChild(cipher.martial(doc, data));
        return reparse(doc);
    }

    /** Message encrypted by Santuario directly with the given algorithms, for the RSA recipient. */
    private static Document santuarioEncrypted(String contentAlgorithm, String keyTransport) throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        int bits = XMLCipher.AES_128.equals(contentAlgorithm) ? 128 : XMLCipher.TRIPLEDES.equals(contentAlgorithm) ? 192 : 256;
        Key contentKey = XMLCipher.TRIPLEDES.equals(contentAlgorithm)
                ? javax.crypto.KeyGenerator.getInstance("DESede").generateKey()
                : new javax.crypto.spec.SecretKeySpec(ContentKeys.newContentKey(Algorithm.AES256_GCM).getEncoded(), 0,
                bits / 8, "AES");
        XMLCipher cipher = XMLCipher.getInstance(contentAlgorithm);
        cipher.init(XMLCipher.ENCRYPT_MODE, contentKey);
        KeyInfo keyInfo = new KeyInfo(doc);
        keyInfo.add(rsaOaepKey(doc, contentKey, keyTransport));
        cipher.getEncryptedData().setKeyInfo(keyInfo);
        cipher.doFinal(doc, first(doc, EV, "Message"));
        return reparse(doc);
    }

    private static EncryptedKey rsaOaepKey(Document doc, Key contentKey, String keyTransport) throws Exception {
        XMLCipher keyCipher;
        EncryptedKey ek;
        if (XMLCipher.RSA_OAEP_11.equals(keyTransport)) {
            keyCipher = XMLCipher.getInstance(keyTransport, null, "http://www.w3.org/2001/04/xmlenc#sha256");
            keyCipher.init(XMLCipher.WRAP_MODE, pki.recipientRsa.certificate().getPublicKey());
            ek = keyCipher.encryptKey(doc, contentKey, new OAEPParameterSpec("SHA-256", "MGF1",
                    MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT), null);
        } else {
            keyCipher = XMLCipher.getInstance(keyTransport);
            keyCipher.init(XMLCipher.WRAP_MODE, pki.recipientRsa.certificate().getPublicKey());
            ek = keyCipher.encryptKey(doc, contentKey);
        }
        KeyInfo recipient = new KeyInfo(doc);
        recipient.addKeyValue(pki.recipientRsa.certificate().getPublicKey());
        ek.setKeyInfo(recipient);
        return ek;
    }
}
