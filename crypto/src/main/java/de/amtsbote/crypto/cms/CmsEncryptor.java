package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.content.StreamingGcm;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.EncryptionSpec;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JceGenericKey;

/**
 * Encrypts content for the certificates of one peer as CMS (S/MIME 4.0, RFC 8551 / RFC 5083 / RFC 5084): the policy
 * decides everything. Normally AuthEnvelopedData with AES-256-GCM, the content key transported with RSAES-OAEP
 * (SHA-256) for RSA certificates or agreed with ECDH-ES (X9.63 KDF, AES-256 key wrap, a fresh ephemeral key per
 * message) for EC certificates. EnvelopedData with AES-CBC, or RSA PKCS#1 v1.5 key transport, only where the policy
 * holds a peer exception for that peer; the use is then in {@link #flags()}.
 *
 * <p>Recipients are checked when the encryptor is built: the certificate must validate for encryption now, and its key
 * must be one the policy would create (RSA-2048 is refused for new messages). Instances are immutable and
 * thread-safe; each {@link #encrypt} call makes one message with its own content key.
 */
public final class CmsEncryptor {

    private final List<X509Certificate> recipients;
    private final List<EncryptionSpec> specs;
    private final Algorithm content;

    private CmsEncryptor(List<X509Certificate> recipients, List<EncryptionSpec> specs) {
        this.recipients = List.copyOf(recipients);
        this.specs = List.copyOf(specs);
        this.content = specs.get(0).content();
    }

    /** Starts an encryptor; the policy and the validator decide whether and how each recipient is encrypted for. */
    public static Builder builder(AlgorithmPolicy policy, CertificateValidator validator) {
        return new Builder(policy, validator);
    }

    /** Whether the output is AuthEnvelopedData (authenticated, smime-type authEnveloped-data). */
    public boolean authenticated() {
        return specs.get(0).authenticated();
    }

    /** The content cipher the policy chose. */
    public Algorithm contentAlgorithm() {
        return content;
    }

    /** The policy's choice per recipient, in the order of the certificates. */
    public List<EncryptionSpec> specs() {
        return specs;
    }

    /** Peer exceptions in use (legacy algorithms for this peer), each once; empty for a clean message. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>();
        for (EncryptionSpec s : specs) {
            if (s.flag() != null) {
                for (String f : s.flag().split("; ")) {
                    if (!flags.contains(f)) {
                        flags.add(f);
                    }
                }
            }
        }
        return List.copyOf(flags);
    }

    /**
     * Opens an encrypted message. Write the content (for S/MIME: a MIME entity) to the returned stream and close it:
     * that finishes the structure (and the GCM tag) and closes {@code out}.
     */
    public OutputStream encrypt(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        try {
            List<RecipientInfoGenerator> infos = new ArrayList<>();
            for (int i = 0; i < recipients.size(); i++) {
                infos.add(recipientInfo(recipients.get(i), specs.get(i)));
            }
            OutputStream stream;
            if (authenticated()) {
                CMSAuthEnvelopedDataStreamGenerator g = new CMSAuthEnvelopedDataStreamGenerator();
                infos.forEach(g::addRecipientInfoGenerator);
                stream = g.open(out, JdkGcmEncryptor.isFor(content) ? new JdkGcmEncryptor(content)
                        : (OutputAEADEncryptor) bouncyCastleEncryptor());
            } else {
                CMSEnvelopedDataStreamGenerator g = new CMSEnvelopedDataStreamGenerator();
                infos.forEach(g::addRecipientInfoGenerator);
                stream = g.open(out, bouncyCastleEncryptor());
            }
            return new ClosingStream(stream, out);
        } catch (CMSException | GeneralSecurityException e) {
            throw new IOException("could not start encrypting for " + names() + ": " + e.getMessage(), e);
        }
    }

    private OutputEncryptor bouncyCastleEncryptor() throws CMSException {
        return new JceCMSContentEncryptorBuilder(CmsAlgorithms.oid(content)).setProvider(Providers.bouncyCastle())
                .build();
    }

    private static RecipientInfoGenerator recipientInfo(X509Certificate cert, EncryptionSpec spec)
            throws GeneralSecurityException {
        switch (spec.keyManagement()) {
            case RSAES_OAEP:
                return new JceKeyTransRecipientInfoGenerator(cert, CmsAlgorithms.oaep(spec.kdfDigest()))
                        .setProvider(Providers.bouncyCastle());
            case RSA_PKCS1_V15_KEY_TRANSPORT:
                return new JceKeyTransRecipientInfoGenerator(cert).setProvider(Providers.bouncyCastle());
            case ECDH_ES: {
                // ephemeral-static: a fresh key pair on the recipient's curve for every message and recipient
                KeyPair ephemeral = JcaNames.ecKeyPairGenerator(cert.getPublicKey(), Providers.bouncyCastle())
                        .generateKeyPair();
                return new JceKeyAgreeRecipientInfoGenerator(CmsAlgorithms.ecdhScheme(spec.kdfDigest()),
                        ephemeral.getPrivate(), ephemeral.getPublic(), CmsAlgorithms.oid(spec.keyWrap()))
                        .addRecipient(cert).setProvider(Providers.bouncyCastle());
            }
            default:
                throw new GeneralSecurityException("no CMS recipient info for " + spec.keyManagement());
        }
    }

    private String names() {
        return recipients.stream().map(c -> c.getSubjectX500Principal().getName()).toList().toString();
    }

    @Override
    public String toString() {
        return "CMS encryptor for " + names() + " (" + content + ")";
    }

    /** Builds a {@link CmsEncryptor}. */
    public static final class Builder {
        private final AlgorithmPolicy policy;
        private final CertificateValidator validator;
        private final List<X509Certificate> recipients = new ArrayList<>();
        private final List<X509Certificate> intermediates = new ArrayList<>();
        private String peer;
        private Clock clock = Clock.systemUTC();

        private Builder(AlgorithmPolicy policy, CertificateValidator validator) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.validator = Objects.requireNonNull(validator, "validator");
        }

        /** The peer the message goes to, so that a configured peer exception can apply (null: none). */
        public Builder peer(String peer) {
            this.peer = peer;
            return this;
        }

        /** A recipient's encryption certificate (a peer may have several; our own certificate for a copy). */
        public Builder recipient(X509Certificate certificate) {
            recipients.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        public Builder recipients(List<X509Certificate> certificates) {
            certificates.forEach(this::recipient);
            return this;
        }

        /** Certificates that help to build the recipients' certification paths. */
        public Builder intermediates(List<X509Certificate> certificates) {
            intermediates.addAll(certificates);
            return this;
        }

        /** The clock recipient certificates are validated at. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates every recipient and asks the policy how to encrypt for it.
         *
         * @throws RecipientRefusedException if a certificate does not validate for encryption
         * @throws de.amtsbote.crypto.policy.PolicyViolationException if the policy refuses a recipient's key
         */
        public CmsEncryptor build() throws CryptoException {
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException("an encrypted message needs at least one recipient");
            }
            List<EncryptionSpec> specs = new ArrayList<>();
            for (X509Certificate cert : recipients) {
                ValidationResult v = validator.validate(cert, intermediates, CertificateUsage.MESSAGE_ENCRYPTION,
                        clock.instant());
                if (!v.valid()) {
                    throw new RecipientRefusedException(cert, v);
                }
                specs.add(policy.encryptionFor(cert.getPublicKey(), peer));
            }
            Algorithm content = specs.get(0).content();
            for (EncryptionSpec s : specs) {
                if (s.content() != content) {
                    // one message has one content cipher; the policy gives one per peer, so this is a bug
                    throw new IllegalStateException("recipients of " + peer + " need different content ciphers: "
                            + content + " and " + s.content());
                }
            }
            return new CmsEncryptor(recipients, specs);
        }
    }

    /**
     * AES-GCM content encryption for Bouncy Castle's AuthEnvelopedData generator on the JDK's cipher (see
     * {@link StreamingGcm}), which streams when it encrypts and runs on the CPU's AES instructions. The parameters are
     * those Bouncy Castle and OpenSSL write (RFC 5084): a fresh random 96-bit nonce and a 128-bit tag; the generator
     * writes the ciphertext as the encrypted content and the tag, taken from {@link #getMAC()}, as the mac field.
     */
    static final class JdkGcmEncryptor implements OutputAEADEncryptor {
        private static final SecureRandom RANDOM = new SecureRandom();

        private final AlgorithmIdentifier algorithm;
        private final SecretKey key;
        private final StreamingGcm.Encryption gcm;

        JdkGcmEncryptor(Algorithm content) throws GeneralSecurityException {
            if (!isFor(content)) {
                throw new IllegalArgumentException(content + " is not AES-GCM");
            }
            byte[] keyBytes = new byte[CmsAlgorithms.keyLength(content)];
            RANDOM.nextBytes(keyBytes);
            byte[] nonce = new byte[StreamingGcm.NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            this.key = JcaNames.contentKey(keyBytes, content);
            Arrays.fill(keyBytes, (byte) 0);
            this.algorithm = new AlgorithmIdentifier(CmsAlgorithms.oid(content),
                    new GCMParameters(nonce, StreamingGcm.TAG_BYTES));
            this.gcm = StreamingGcm.encrypt(key, nonce);
        }

        static boolean isFor(Algorithm content) {
            return content == Algorithm.AES128_GCM || content == Algorithm.AES192_GCM
                    || content == Algorithm.AES256_GCM;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream(OutputStream encryptedContent) {
            // the generator closes its octet string itself, after this stream; closing that twice repeats its content
            return gcm.stream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    encryptedContent.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    encryptedContent.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    encryptedContent.flush();
                }
            }, false);
        }

        @Override
        public GenericKey getKey() {
            return new JceGenericKey(algorithm, key);
        }

        @Override
        public OutputStream getAADStream() {
            return gcm.aadStream();
        }

        @Override
        public byte[] getMAC() {
            return gcm.tag();
        }
    }

    /** Finishes the CMS structure, then closes the stream it went to. */
    static final class ClosingStream extends java.io.FilterOutputStream {
        private final OutputStream target;
        private boolean closed;

        ClosingStream(OutputStream cms, OutputStream target) {
            super(cms);
            this.target = target;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (target) {
                out.close();
            }
        }
    }
}
