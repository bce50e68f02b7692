package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.content.StreamingGcm;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.InputAEADDecryptor;
import org.bouncycastle.util.Pack;

/**
 * Bouncy Castle recipients whose private-key step goes through a {@link PrivateKeyHandle}: RSA key transport through
 * {@link PrivateKeyHandle#decryptOaep} / {@link PrivateKeyHandle#decryptPkcs1v15}, ECDH key agreement through
 * {@link PrivateKeyHandle#agree} followed by the X9.63 KDF over the RFC 5753 ECC-CMS-SharedInfo and the AES key
 * unwrap done here. One path for software and token keys.
 *
 * <p>AES-GCM content with the 96-bit nonce that Bouncy Castle and OpenSSL send is decrypted by {@link StreamingGcm}
 * on the JDK's AES (streaming, several times faster than Bouncy Castle's Java AES); anything else (another nonce
 * size, ChaCha20-Poly1305, AES-CBC) by Bouncy Castle's provider, whose ciphers stream as well.
 */
final class HandleRecipients {

    private HandleRecipients() {
    }

    /** What the policy check settled before the recipient is built: nothing is re-read from the message here. */
    record Plan(Algorithm content, Algorithm keyManagement, Algorithm keyWrap, Algorithm kdfDigest) {
    }

    static Recipient keyTransport(PrivateKeyHandle key, Plan plan, boolean authenticated) {
        return authenticated ? new KeyTransAuth(key, plan) : new KeyTrans(key, plan);
    }

    static Recipient keyAgreement(PrivateKeyHandle key, Plan plan, boolean authenticated) {
        AlgorithmIdentifier ourKeyAlgorithm = SubjectPublicKeyInfo.getInstance(
                key.certificate().getPublicKey().getEncoded()).getAlgorithm();
        if (authenticated) {
            KeyAgreeAuth r = new KeyAgreeAuth(key, plan);
            r.setPrivateKeyAlgorithmIdentifier(ourKeyAlgorithm);
            return r;
        }
        KeyAgree r = new KeyAgree(key, plan);
        r.setPrivateKeyAlgorithmIdentifier(ourKeyAlgorithm);
        return r;
    }

    // ------------------------------------------------------------------ the private-key steps

    private static Key transportedKey(PrivateKeyHandle key, Plan plan, byte[] encryptedKey) throws CMSException {
        int length = CmsAlgorithms.keyLength(plan.content());
        byte[] contentKey;
        try {
            if (plan.keyManagement() == Algorithm.RSAES_OAEP) {
                contentKey = key.decryptOaep(encryptedKey, plan.kdfDigest());
            } else if (plan.keyManagement() == Algorithm.RSA_PKCS1_V15_KEY_TRANSPORT) {
                // implicit rejection: a wrong padding yields a random key and the content check fails later
                contentKey = key.decryptPkcs1v15(encryptedKey, length);
            } else {
                throw new CMSException("key transport " + plan.keyManagement() + " is not RSA");
            }
        } catch (KeyOperationException e) {
            throw new CMSException(e.getMessage(), e);
        }
        return contentKey(contentKey, length, plan.content());
    }

    private static Key agreedKey(PrivateKeyHandle key, Plan plan, SubjectPublicKeyInfo originatorKey,
                                 ASN1OctetString userKeyingMaterial, byte[] wrappedKey) throws CMSException {
        byte[] z = null;
        byte[] kek = null;
        try {
            PublicKey originator = BouncyCastleProvider.getPublicKey(originatorKey);
            if (originator == null) {
                throw new CMSException("the originator's ephemeral key is of an unknown type");
            }
            z = key.agree(originator);
            int wrapBits = plan.keyWrap().bits();
            byte[] sharedInfo = new ECCCMSSharedInfo(new AlgorithmIdentifier(CmsAlgorithms.oid(plan.keyWrap())),
                    userKeyingMaterial == null ? null : userKeyingMaterial.getOctets(), Pack.intToBigEndian(wrapBits))
                    .getEncoded(ASN1Encoding.DER);
            kek = x963Kdf(plan.kdfDigest(), z, sharedInfo, wrapBits / 8);
            AESWrapEngine unwrap = new AESWrapEngine();
            unwrap.init(false, new KeyParameter(kek));
            byte[] contentKey = unwrap.unwrap(wrappedKey, 0, wrappedKey.length);
            return contentKey(contentKey, CmsAlgorithms.keyLength(plan.content()), plan.content());
        } catch (KeyOperationException e) {
            throw new CMSException(e.getMessage(), e);
        } catch (InvalidCipherTextException e) {
            throw new CMSException("the wrapped content key does not unwrap with the agreed key (" + plan.keyWrap()
                    + "): not for this key, or changed", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new CMSException("could not derive the key-encryption key: " + e.getMessage(), e);
        } finally {
            wipe(z);
            wipe(kek);
        }
    }

    /** ANSI X9.63 KDF (SEC 1 3.6.1): Hash(Z || counter || SharedInfo), counter from 1, as RFC 5753 7.2 uses it. */
    static byte[] x963Kdf(Algorithm digest, byte[] z, byte[] sharedInfo, int length) throws GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance(JcaNames.digest(digest), Providers.bouncyCastle());
        byte[] out = new byte[length];
        int pos = 0;
        for (int counter = 1; pos < length; counter++) {
            md.update(z);
            md.update(Pack.intToBigEndian(counter));
            md.update(sharedInfo);
            byte[] block = md.digest();
            int n = Math.min(block.length, length - pos);
            System.arraycopy(block, 0, out, pos, n);
            wipe(block);
            pos += n;
        }
        return out;
    }

    private static Key contentKey(byte[] key, int expectedLength, Algorithm content) throws CMSException {
        if (key.length != expectedLength) {
            wipe(key);
            throw new CMSException("the content key has " + key.length + " bytes, " + content + " needs "
                    + expectedLength);
        }
        return JcaNames.contentKey(key, content);
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ content decryption on the JDK

    /**
     * AES-GCM content decryption for Bouncy Castle's AuthEnvelopedData parser on {@link StreamingGcm}. The parser
     * hands over the encrypted content followed by the mac field (the tag), and writes the authenticated attributes,
     * if any, as AAD when it reaches them after the content; the tag is checked when the end is read and a mismatch
     * fails the read, which {@link DecryptedContent} reports as an integrity failure.
     */
    static final class JdkGcmDecryptor implements InputAEADDecryptor {
        private final AlgorithmIdentifier algorithm;
        private final StreamingGcm.Decryption gcm;

        JdkGcmDecryptor(AlgorithmIdentifier algorithm, Key contentKey) throws CMSException {
            this.algorithm = algorithm;
            GCMParameters parameters = GCMParameters.getInstance(algorithm.getParameters());
            try {
                this.gcm = StreamingGcm.decrypt((SecretKey) contentKey, parameters.getNonce(), parameters.getIcvLen());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new CMSException("the AES-GCM content cannot be decrypted: " + e.getMessage(), e);
            }
        }

        /**
         * Whether the message's content algorithm is the AES-GCM the policy checked, with a 96-bit nonce: the JDK
         * path. Checked against the plan, so that a parser that saw other parameters cannot switch the cipher.
         */
        static boolean isFor(Plan plan, AlgorithmIdentifier content) throws CMSException {
            if (plan.content() != Algorithm.AES128_GCM && plan.content() != Algorithm.AES192_GCM
                    && plan.content() != Algorithm.AES256_GCM) {
                return false;
            }
            if (!CmsAlgorithms.oid(plan.content()).equals(content.getAlgorithm())) {
                throw new CMSException("the content algorithm " + content.getAlgorithm() + " is not the "
                        + plan.content() + " that was checked");
            }
            try {
                return GCMParameters.getInstance(content.getParameters()).getNonce().length
                        == StreamingGcm.NONCE_BYTES;
            } catch (RuntimeException e) {
                throw new CMSException("the AES-GCM parameters cannot be read: " + e.getMessage(), e);
            }
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public InputStream getInputStream(InputStream encryptedContentThenMac) {
            return gcm.stream(encryptedContentThenMac);
        }

        @Override
        public OutputStream getAADStream() {
            return gcm.aadStream();
        }

        @Override
        public byte[] getMAC() {
            return gcm.receivedTag();
        }
    }

    // ------------------------------------------------------------------ the four Bouncy Castle recipient kinds

    private static final class KeyTransAuth extends JceKeyTransAuthEnvelopedRecipient {
        private final PrivateKeyHandle key;
        private final Plan plan;

        KeyTransAuth(PrivateKeyHandle key, Plan plan) {
            super(key.jcaKey());
            this.key = key;
            this.plan = plan;
            setProvider(Providers.bouncyCastle());
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, byte[] encryptedKey)
                throws CMSException {
            return transportedKey(key, plan, encryptedKey);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                                      byte[] encryptedKey) throws CMSException {
            if (!JdkGcmDecryptor.isFor(plan, content)) {
                return super.getRecipientOperator(keyEncryption, content, encryptedKey);
            }
            return new RecipientOperator(new JdkGcmDecryptor(content, transportedKey(key, plan, encryptedKey)));
        }
    }

    private static final class KeyTrans extends JceKeyTransEnvelopedRecipient {
        private final PrivateKeyHandle key;
        private final Plan plan;

        KeyTrans(PrivateKeyHandle key, Plan plan) {
            super(key.jcaKey());
            this.key = key;
            this.plan = plan;
            setProvider(Providers.bouncyCastle());
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, byte[] encryptedKey)
                throws CMSException {
            return transportedKey(key, plan, encryptedKey);
        }
    }

    private static final class KeyAgreeAuth extends JceKeyAgreeAuthEnvelopedRecipient {
        private final PrivateKeyHandle key;
        private final Plan plan;

        KeyAgreeAuth(PrivateKeyHandle key, Plan plan) {
            super(key.jcaKey());
            this.key = key;
            this.plan = plan;
            setProvider(Providers.bouncyCastle());
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                       SubjectPublicKeyInfo originator, ASN1OctetString ukm, byte[] wrappedKey)
                throws CMSException {
            return agreedKey(key, plan, originator, ukm, wrappedKey);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                                      SubjectPublicKeyInfo originator, ASN1OctetString ukm,
                                                      byte[] wrappedKey) throws CMSException {
            if (!JdkGcmDecryptor.isFor(plan, content)) {
                return super.getRecipientOperator(keyEncryption, content, originator, ukm, wrappedKey);
            }
            return new RecipientOperator(new JdkGcmDecryptor(content, agreedKey(key, plan, originator, ukm,
                    wrappedKey)));
        }
    }

    private static final class KeyAgree extends JceKeyAgreeEnvelopedRecipient {
        private final PrivateKeyHandle key;
        private final Plan plan;

        KeyAgree(PrivateKeyHandle key, Plan plan) {
            super(key.jcaKey());
            this.key = key;
            this.plan = plan;
            setProvider(Providers.bouncyCastle());
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                       SubjectPublicKeyInfo originator, ASN1OctetString ukm, byte[] wrappedKey)
                throws CMSException {
            return agreedKey(key, plan, originator, ukm, wrappedKey);
        }
    }
}
