package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlAlgorithms.DSIG;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.EncryptionSpec;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.x500.X500Principal;
import org.apache.xml.security.encryption.EncryptedKey;
import org.apache.xml.security.encryption.KeyDerivationMethod;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.encryption.XMLCipherUtil;
import org.apache.xml.security.encryption.keys.content.AgreementMethodImpl;
import org.apache.xml.security.encryption.params.ConcatKDFParams;
import org.apache.xml.security.encryption.params.KeyAgreementParameters;
import org.apache.xml.security.encryption.params.KeyDerivationParameters;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.utils.EncryptionConstants;
import org.apache.xml.security.utils.KeyUtils;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Content keys and their xenc:EncryptedKey elements: choosing algorithms per recipient through the policy, wrapping
 * a content key for each, and recovering it with a {@link PrivateKeyHandle} (so that token keys work: the handle
 * decrypts OAEP or agrees on the ECDH secret, everything after that happens here).
 */
final class ContentKeys {

    static final String XENC = EncryptionConstants.EncryptionSpecNS;
    static final String XENC11 = EncryptionConstants.EncryptionSpec11NS;
    private static final String MGF1_PREFIX = XENC11 + "mgf1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContentKeys() {
    }

    /** The algorithms for a message to these recipients: one content cipher, a key management per recipient. */
    record Plan(Algorithm content, List<Recipient> recipients) {
    }

    record Recipient(XmlRecipient recipient, EncryptionSpec spec) {
    }

    /** A recovered content key and how it reached us. */
    record Recovered(SecretKey key, Algorithm keyManagement) {
    }

    static Plan plan(AlgorithmPolicy policy, List<XmlRecipient> recipients) throws XmlSecurityException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("encrypting needs at least one recipient");
        }
        List<Recipient> planned = new ArrayList<>();
        Algorithm content = null;
        for (XmlRecipient r : recipients) {
            EncryptionSpec spec;
            try {
                spec = policy.encryptionFor(r.certificate().getPublicKey(), r.peer());
            } catch (PolicyViolationException e) {
                throw XmlSecurityException.refused(e, "recipient " + r.name());
            }
            if (content != null && content != spec.content()) {
                throw new XmlSecurityException(Reason.ENCRYPTION_FAILED, r.name(), "recipient " + r.name()
                        + " needs " + spec.content() + " but others " + content + "; encrypt for them separately");
            }
            content = spec.content();
            planned.add(new Recipient(r, spec));
        }
        return new Plan(content, planned);
    }

    static SecretKey newContentKey(Algorithm content) {
        byte[] key = new byte[content.bits() / 8];
        RANDOM.nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    // ------------------------------------------------------------------ wrapping

    /** An xenc:EncryptedKey carrying the content key to one recipient, naming the recipient's certificate. */
    static Element encryptedKey(Document doc, SecretKey contentKey, Recipient recipient) throws XmlSecurityException {
        EncryptionSpec spec = recipient.spec();
        PublicKey publicKey = recipient.recipient().certificate().getPublicKey();
        try {
            Element element;
            switch (spec.keyManagement()) {
                case RSAES_OAEP: {
                    XMLCipher cipher = XMLCipher.getInstance(uri(Algorithm.RSAES_OAEP), null,
                            XmlAlgorithms.digestMethod(spec.kdfDigest()));
                    cipher.init(XMLCipher.WRAP_MODE, publicKey);
                    EncryptedKey ek = cipher.encryptKey(doc, contentKey, JcaNames.oaep(spec.kdfDigest()), RANDOM);
                    element = cipher.martial(doc, ek);
                    insertKeyInfo(element, recipient.recipient().certificate());
                    break;
                }
                case RSA_PKCS1_V15_KEY_TRANSPORT: {
                    XMLCipher cipher = XMLCipher.getInstance(uri(Algorithm.RSA_PKCS1_V15_KEY_TRANSPORT));
                    cipher.init(XMLCipher.WRAP_MODE, publicKey);
                    element = cipher.martial(doc, cipher.encryptKey(doc, contentKey, (String) null, null, RANDOM));
                    insertKeyInfo(element, recipient.recipient().certificate());
                    break;
                }
                case ECDH_ES: {
                    element = ecdhEncryptedKey(doc, contentKey, recipient, (ECPublicKey) publicKey);
                    break;
                }
                default:
                    throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, spec.keyManagement().displayName(),
                            spec.keyManagement() + " is not available for XML encryption");
            }
            return element;
        } catch (XMLSecurityException | GeneralSecurityException e) {
            throw new XmlSecurityException(Reason.ENCRYPTION_FAILED, recipient.recipient().name(), "the content key"
                    + " could not be encrypted for " + recipient.recipient().name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * ECDH-ES (XML Encryption 1.1 5.6.1): a fresh ephemeral key on the recipient's curve (Bouncy Castle, which knows
     * brainpool), ConcatKDF with the policy's digest, AES key wrap. The ephemeral public key enters the KDF as
     * PartyUInfo (TR-03116-4 4.2: ephemeral data should enter the KDF).
     */
    private static Element ecdhEncryptedKey(Document doc, SecretKey contentKey, Recipient recipient, ECPublicKey publicKey)
            throws XMLSecurityException, GeneralSecurityException {
        EncryptionSpec spec = recipient.spec();
        KeyPair ephemeral = JcaNames.ecKeyPairGenerator(publicKey, Providers.bouncyCastle()).generateKeyPair();
        String wrapUri = uri(spec.keyWrap());
        ConcatKDFParams kdf = ConcatKDFParams.createBuilder(spec.keyWrap().bits(), XmlAlgorithms.digestMethod(spec.kdfDigest()))
                .algorithmID(bitString(wrapUri.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .partyUInfo(bitString(ephemeral.getPublic().getEncoded()))
                .partyVInfo("")
                .build();
        KeyAgreementParameters agreement = XMLCipherUtil.constructAgreementParameters(uri(Algorithm.ECDH_ES),
                KeyAgreementParameters.ActorType.ORIGINATOR, kdf, ephemeral.getPrivate(), publicKey);
        agreement.setOriginatorKeyPair(ephemeral);
        XMLCipher cipher = XMLCipher.getInstance(wrapUri);
        cipher.init(XMLCipher.WRAP_MODE, publicKey);
        Element element = cipher.martial(doc, cipher.encryptKey(doc, contentKey, agreement, RANDOM));
        Element recipientKeyInfo = descendant(element, XENC, "RecipientKeyInfo");
        if (recipientKeyInfo == null) {
            throw new XMLSecurityException("empty", new Object[] {"Santuario wrote no RecipientKeyInfo"});
        }
        recipientKeyInfo.appendChild(x509Data(doc, recipient.recipient().certificate()));
        return element;
    }

    /** ds:KeyInfo naming the recipient's certificate, before xenc:CipherData as the schema orders it. */
    private static void insertKeyInfo(Element encryptedKey, X509Certificate certificate)
            throws CertificateEncodingException {
        Document doc = encryptedKey.getOwnerDocument();
        Element keyInfo = doc.createElementNS(DSIG, "ds:KeyInfo");
        keyInfo.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ds", DSIG);
        keyInfo.appendChild(x509Data(doc, certificate));
        Element cipherData = child(encryptedKey, XENC, "CipherData");
        encryptedKey.insertBefore(keyInfo, cipherData);
    }

    static Element x509Data(Document doc, X509Certificate certificate) throws CertificateEncodingException {
        return x509Data(doc, List.of(certificate));
    }

    /**
     * ds:X509Data with the certificates, base64 in lines of 76 with LF (Santuario's own writer puts CRs there, which
     * serialise as {@code &#13;}).
     */
    static Element x509Data(Document doc, List<X509Certificate> certificates) throws CertificateEncodingException {
        Element data = doc.createElementNS(DSIG, "ds:X509Data");
        data.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ds", DSIG);
        for (X509Certificate certificate : certificates) {
            Element c = doc.createElementNS(DSIG, "ds:X509Certificate");
            c.setTextContent(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(certificate.getEncoded()));
            data.appendChild(c);
        }
        return data;
    }

    /** An XML Encryption 1.1 ConcatKDF bit string: a byte of padding bits (0), then the bytes, in hex. */
    private static String bitString(byte[] bytes) {
        return "00" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    // ------------------------------------------------------------------ recovering

    /** Finds the EncryptedKey for the handle's certificate and recovers the content key through the handle. */
    static Recovered recover(AlgorithmPolicy policy, List<Element> encryptedKeys, Algorithm content,
                             PrivateKeyHandle key, List<String> flags) throws XmlSecurityException {
        X509Certificate ours = key.certificate();
        String who = ours.getSubjectX500Principal().getName();
        Element encryptedKey = select(encryptedKeys, ours, who);
        Element method = child(encryptedKey, XENC, "EncryptionMethod");
        if (method == null) {
            throw malformed("the EncryptedKey for " + who + " names no EncryptionMethod");
        }
        String uri = method.getAttribute("Algorithm");
        byte[] wrapped = cipherValue(encryptedKey, "EncryptedKey");
        try {
            Algorithm algorithm = Algorithm.byXmlUri(uri).orElse(null);
            if (algorithm == null) {
                throw new PolicyViolationException(PolicyViolationException.Reason.UNKNOWN_ALGORITHM, uri,
                        "unknown key management algorithm " + uri + " is refused (the policy accepts only what it"
                                + " knows)");
            }
            byte[] contentKey;
            switch (algorithm.kind()) {
                case KEY_TRANSPORT:
                    addFlag(flags, policy.checkInbound(Algorithm.Kind.KEY_TRANSPORT, algorithm));
                    if (algorithm == Algorithm.RSAES_OAEP) {
                        contentKey = key.decryptOaep(wrapped, oaepDigest(policy, method, uri, flags));
                    } else {
                        // implicit rejection: a wrong key yields a random key and the content then fails its tag
                        contentKey = key.decryptPkcs1v15(wrapped, content.bits() / 8);
                    }
                    break;
                case KEY_WRAP:
                    addFlag(flags, policy.checkInbound(Algorithm.Kind.KEY_WRAP, algorithm));
                    contentKey = ecdh(policy, encryptedKey, algorithm, wrapped, key, flags);
                    algorithm = Algorithm.ECDH_ES;
                    break;
                default:
                    throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, algorithm.displayName(),
                            algorithm.displayName() + " does not carry content keys");
            }
            if (contentKey.length != content.bits() / 8) {
                throw new XmlSecurityException(Reason.DECRYPTION_FAILED, who, "the content key recovered with key "
                        + key.ref() + " has " + contentKey.length + " bytes, not the " + content.bits() / 8 + " of "
                        + content);
            }
            return new Recovered(new SecretKeySpec(contentKey, "AES"), algorithm);
        } catch (PolicyViolationException e) {
            throw XmlSecurityException.refused(e, "key management of the EncryptedKey for " + who);
        } catch (KeyOperationException e) {
            throw new XmlSecurityException(Reason.DECRYPTION_FAILED, who, "the content key could not be recovered"
                    + " with key " + key.ref() + ": " + e.getMessage(), e);
        }
    }

    private static Element select(List<Element> encryptedKeys, X509Certificate ours, String who)
            throws XmlSecurityException {
        if (encryptedKeys.isEmpty()) {
            throw new XmlSecurityException(Reason.RECIPIENT_NOT_FOUND, who, "the encrypted data carries no"
                    + " EncryptedKey");
        }
        List<Element> matching = new ArrayList<>();
        boolean anyNamed = false;
        for (Element ek : encryptedKeys) {
            List<Element> ids = recipientIdentifiers(ek);
            anyNamed |= !ids.isEmpty();
            for (Element data : ids) {
                if (identifies(data, ours)) {
                    matching.add(ek);
                    break;
                }
            }
        }
        if (matching.size() > 1) {
            throw malformed("two EncryptedKeys name the certificate of " + who);
        }
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (encryptedKeys.size() == 1 && !anyNamed) {
            return encryptedKeys.get(0); // an unnamed single key: try it; the content's tag decides
        }
        throw new XmlSecurityException(Reason.RECIPIENT_NOT_FOUND, who, "none of the " + encryptedKeys.size()
                + " EncryptedKeys is for the certificate of " + who + " (serial "
                + ours.getSerialNumber().toString(16) + ")");
    }

    /** The ds:X509Data elements that name a recipient: in ds:KeyInfo, or in the AgreementMethod's RecipientKeyInfo. */
    private static List<Element> recipientIdentifiers(Element encryptedKey) {
        List<Element> found = new ArrayList<>();
        Element keyInfo = child(encryptedKey, DSIG, "KeyInfo");
        if (keyInfo == null) {
            return found;
        }
        for (Element e : XmlSignatureVerifier.elementChildren(keyInfo)) {
            if (XmlSignatureVerifier.isDs(e, "X509Data")) {
                found.add(e);
            } else if (XENC.equals(e.getNamespaceURI()) && "AgreementMethod".equals(e.getLocalName())) {
                Element recipient = child(e, XENC, "RecipientKeyInfo");
                if (recipient != null) {
                    XmlSignatureVerifier.elementChildren(recipient).stream()
                            .filter(x -> XmlSignatureVerifier.isDs(x, "X509Data")).forEach(found::add);
                }
            }
        }
        return found;
    }

    private static boolean identifies(Element x509Data, X509Certificate ours) throws XmlSecurityException {
        try {
            for (Element e : XmlSignatureVerifier.elementChildren(x509Data)) {
                switch (e.getLocalName()) {
                    case "X509Certificate":
                        if (Arrays.equals(Base64.getMimeDecoder().decode(e.getTextContent().trim()), ours.getEncoded())) {
                            return true;
                        }
                        break;
                    case "X509IssuerSerial": {
                        Element issuer = child(e, DSIG, "X509IssuerName");
                        Element serial = child(e, DSIG, "X509SerialNumber");
                        if (issuer != null && serial != null
                                && new X500Principal(issuer.getTextContent().trim()).equals(ours.getIssuerX500Principal())
                                && new BigInteger(serial.getTextContent().trim()).equals(ours.getSerialNumber())) {
                            return true;
                        }
                        break;
                    }
                    case "X509SKI": {
                        byte[] ski = ours.getExtensionValue("2.5.29.14");
                        if (ski != null && Arrays.equals(Base64.getMimeDecoder().decode(e.getTextContent().trim()),
                                ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets())) {
                            return true;
                        }
                        break;
                    }
                    default:
                        break;
                }
            }
            return false;
        } catch (IllegalArgumentException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "X509Data", "an EncryptedKey names its recipient in an"
                    + " unreadable " + "X509Data: " + e.getMessage(), e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("our own certificate cannot be encoded", e);
        }
    }

    /** OAEP's digest; the handle does OAEP with one digest for OAEP and MGF1, so both must agree. */
    private static Algorithm oaepDigest(AlgorithmPolicy policy, Element method, String uri, List<String> flags)
            throws XmlSecurityException, PolicyViolationException {
        Element digestMethod = child(method, DSIG, "DigestMethod");
        Algorithm digest = digestMethod == null ? Algorithm.SHA1
                : Algorithm.byXmlUri(Algorithm.Kind.DIGEST, digestMethod.getAttribute("Algorithm")).orElse(null);
        if (digest == null) {
            policy.checkInboundXmlUri(Algorithm.Kind.DIGEST, digestMethod.getAttribute("Algorithm"));
        }
        Algorithm mgf = Algorithm.SHA1; // rsa-oaep-mgf1p is always MGF1 with SHA-1; rsa-oaep's default too
        Element mgfElement = child(method, XENC11, "MGF");
        if (mgfElement != null) {
            String mgfUri = mgfElement.getAttribute("Algorithm");
            mgf = mgfUri.startsWith(MGF1_PREFIX) ? Algorithm.byXmlUri(Algorithm.Kind.DIGEST, digestUri(mgfUri
                    .substring(MGF1_PREFIX.length()))).orElse(null) : null;
            if (mgf == null) {
                throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, mgfUri, "mask generation function " + mgfUri
                        + " is refused");
            }
        }
        if (child(method, XENC, "OAEPparams") != null) {
            throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, "OAEPparams", "RSAES-OAEP with a label"
                    + " (OAEPparams) is not supported");
        }
        if (mgf != digest) {
            throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, uri, "RSAES-OAEP with digest " + digest
                    + " and MGF1 with " + mgf + " is not supported; both must be the same digest");
        }
        if (digest == Algorithm.SHA1) {
            addFlag(flags, policy.checkInbound(Algorithm.Kind.KEY_TRANSPORT, Algorithm.RSAES_OAEP_SHA1).flag());
        } else {
            addFlag(flags, policy.checkInbound(Algorithm.Kind.DIGEST, digest).flag());
        }
        return digest;
    }

    private static String digestUri(String name) {
        return switch (name) {
            case "sha1" -> "http://www.w3.org/2000/09/xmldsig#sha1";
            case "sha224" -> "http://www.w3.org/2001/04/xmldsig-more#sha224";
            case "sha256" -> "http://www.w3.org/2001/04/xmlenc#sha256";
            case "sha384" -> "http://www.w3.org/2001/04/xmldsig-more#sha384";
            case "sha512" -> "http://www.w3.org/2001/04/xmlenc#sha512";
            default -> "";
        };
    }

    /** ECDH-ES through the handle: Z from the handle, ConcatKDF and AES key unwrap here. */
    private static byte[] ecdh(AlgorithmPolicy policy, Element encryptedKey, Algorithm wrap, byte[] wrapped,
                               PrivateKeyHandle key, List<String> flags)
            throws XmlSecurityException, PolicyViolationException, KeyOperationException {
        Element keyInfo = child(encryptedKey, DSIG, "KeyInfo");
        Element agreement = keyInfo == null ? null : child(keyInfo, XENC, "AgreementMethod");
        if (agreement == null) {
            throw malformed("a key-wrapped EncryptedKey without xenc:AgreementMethod: no key to unwrap it with");
        }
        addFlag(flags, policy.checkInboundXmlUri(Algorithm.Kind.KEY_AGREEMENT, agreement.getAttribute("Algorithm")));
        try {
            AgreementMethodImpl method = new AgreementMethodImpl(agreement);
            KeyDerivationMethod derivation = method.getKeyDerivationMethod();
            if (derivation == null) {
                throw malformed("the ECDH-ES AgreementMethod names no KeyDerivationMethod");
            }
            KeyDerivationParameters parameters = XMLCipherUtil.constructKeyDerivationParameter(derivation, wrap.bits());
            if (!(parameters instanceof ConcatKDFParams concat)) {
                throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, derivation.getAlgorithm(), "key derivation "
                        + derivation.getAlgorithm() + " is refused; only ConcatKDF is accepted");
            }
            addFlag(flags, policy.checkInboundXmlUri(Algorithm.Kind.DIGEST, concat.getDigestAlgorithm()));
            PublicKey originator = method.getOriginatorKeyInfo() == null ? null
                    : method.getOriginatorKeyInfo().getPublicKey();
            if (originator == null) {
                throw malformed("the ECDH-ES AgreementMethod carries no originator public key");
            }
            PublicKey own = key.certificate().getPublicKey();
            if (!AlgorithmPolicy.curveName(originator).equals(AlgorithmPolicy.curveName(own))) {
                throw new XmlSecurityException(Reason.DECRYPTION_FAILED, AlgorithmPolicy.curveName(originator),
                        "the originator key is on " + AlgorithmPolicy.curveName(originator) + ", key " + key.ref()
                                + " on " + AlgorithmPolicy.curveName(own));
            }
            byte[] kek = KeyUtils.deriveKeyEncryptionKey(key.agree(originator), parameters);
            RFC3394WrapEngine unwrap = new RFC3394WrapEngine(AESEngine.newInstance());
            unwrap.init(false, new KeyParameter(kek));
            return unwrap.unwrap(wrapped, 0, wrapped.length);
        } catch (XMLSecurityException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "AgreementMethod", "the ECDH-ES AgreementMethod cannot be"
                    + " read: " + e.getMessage(), e);
        } catch (InvalidCipherTextException e) {
            throw new XmlSecurityException(Reason.DECRYPTION_FAILED, key.ref().toString(), "the content key does not"
                    + " unwrap with the ECDH-ES key of " + key.ref() + " (wrong key or altered EncryptedKey)", e);
        }
    }

    // ------------------------------------------------------------------ DOM

    static byte[] cipherValue(Element encrypted, String what) throws XmlSecurityException {
        Element cipherData = child(encrypted, XENC, "CipherData");
        if (cipherData == null) {
            throw malformed("the " + what + " has no CipherData");
        }
        if (child(cipherData, XENC, "CipherReference") != null) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, "CipherReference", "the " + what
                    + " points to its ciphertext by CipherReference; nothing is fetched (decrypt streamed content"
                    + " with decryptBinary)");
        }
        Element value = child(cipherData, XENC, "CipherValue");
        if (value == null) {
            throw malformed("the " + what + " has no CipherValue");
        }
        try {
            return Base64.getMimeDecoder().decode(value.getTextContent().trim());
        } catch (IllegalArgumentException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "CipherValue", "the CipherValue of the " + what
                    + " is not base64", e);
        }
    }

    static Element child(Element parent, String namespace, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && Objects.equals(namespace, e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static Element descendant(Element root, String namespace, String localName) {
        var list = root.getElementsByTagNameNS(namespace, localName);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    static String uri(Algorithm algorithm) {
        return algorithm.xmlUris().get(0);
    }

    static void addFlag(List<String> flags, de.amtsbote.crypto.policy.Decision decision) {
        addFlag(flags, decision.flag());
    }

    private static void addFlag(List<String> flags, String flag) {
        if (flag != null && !flags.contains(flag)) {
            flags.add(flag);
        }
    }

    static XmlSecurityException malformed(String message) {
        return new XmlSecurityException(Reason.MALFORMED, "EncryptedKey", message);
    }
}
