package de.amtsbote.crypto;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.demail.DeMailIntegrity;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.tls.TlsClients;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.XmlDecryptor;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.crypto.xml.XmlSigner;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The door of {@code crypto/} for the gateway and the channel adapters, in the spirit of Google Tink: ask for a
 * signer for a participant, an encryptor for recipients, an opener for what arrived — never for an algorithm. Keys
 * come from the {@link KeyVault} (the participant's current signing key; its current and overlapping decryption
 * keys), certificates are checked by the {@link CertificateValidator}, and the {@link AlgorithmPolicy} picks every
 * algorithm.
 *
 * <p>The owner {@value #GATEWAY} holds the gateway's own keys (the evidence key). Instances are thread-safe; the
 * objects they hand out are cheap and meant for one message.
 */
public final class Crypto {

    /** The key owner of the gateway's own keys: evidence signatures, audit checkpoints. */
    public static final String GATEWAY = "gateway";

    private final AlgorithmPolicy policy;
    private final KeyVault keys;
    private final CertificateValidator validator;
    private final Clock clock;

    private Crypto(AlgorithmPolicy policy, KeyVault keys, CertificateValidator validator, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Crypto of(AlgorithmPolicy policy, KeyVault keys, CertificateValidator validator, Clock clock) {
        return new Crypto(policy, keys, validator, clock);
    }

    public AlgorithmPolicy policy() {
        return policy;
    }

    public CertificateValidator validator() {
        return validator;
    }

    /** Signs messages of {@code participant} to {@code peer} (null: no peer exception applies) with its signing key. */
    public CmsSigner messageSigner(String participant, String peer) throws CryptoException {
        return CmsSigner.builder(keys.signingKey(participant, KeyPurpose.SIGNING), policy).peer(peer).clock(clock)
                .build();
    }

    /**
     * Encrypts a message for the recipients' certificates (all of one peer; add the sender's own encryption
     * certificate to keep a readable copy). Each certificate is validated for encryption first: an expired, revoked,
     * untrusted or too weak certificate is refused here, naming it, before anything is written.
     */
    public CmsEncryptor messageEncryptor(List<X509Certificate> recipients, Collection<X509Certificate> intermediates,
                                         String peer) throws CryptoException {
        return CmsEncryptor.builder(policy, validator).peer(peer).recipients(recipients)
                .intermediates(List.copyOf(intermediates)).clock(clock).build();
    }

    /**
     * Opens CMS addressed to any of the given participants: decryption with their current keys and the keys still in
     * their rotation overlap, verification of every signer.
     */
    public CmsOpener messageOpener(String... participants) throws KeyVaultException {
        List<PrivateKeyHandle> decryption = new ArrayList<>();
        for (String p : participants) {
            decryption.addAll(keys.decryptionKeys(p));
        }
        return CmsOpener.builder(policy, validator).decryptionKeys(decryption).clock(clock).build();
    }

    /** Opens S/MIME entities addressed to any of the given participants, layer by layer. */
    public SmimeOpener smimeOpener(String... participants) throws KeyVaultException {
        return new SmimeOpener(messageOpener(participants));
    }

    /** Signs the gateway's evidence documents with its evidence key. */
    public XmlSigner evidenceSigner() throws KeyVaultException {
        return new XmlSigner(keys.signingKey(GATEWAY, KeyPurpose.EVIDENCE), policy);
    }

    /**
     * The certificate chain of the active evidence key, leaf first: what a verifier needs besides the trust anchor to
     * check the evidence signed now (evidence bundles carry it).
     */
    public List<X509Certificate> evidenceCertificates() throws KeyVaultException {
        return keys.signingKey(GATEWAY, KeyPurpose.EVIDENCE).chain();
    }

    /** Signs XML content of a participant (OSCI content data) with its signing key. */
    public XmlSigner xmlSigner(String participant) throws KeyVaultException {
        return new XmlSigner(keys.signingKey(participant, KeyPurpose.SIGNING), policy);
    }

    /** Verifies XML signatures whose signers must hold certificates valid for {@code usage}. */
    public XmlSignatureVerifier xmlVerifier(CertificateUsage usage) {
        return XmlSignatureVerifier.withValidator(policy, validator, usage).clock(clock);
    }

    /**
     * TLS client sockets that log in with the owner's {@link KeyPurpose#TLS} key and certificate chain from the key
     * vault (looked up at each handshake, so a rotation applies to the next connection), trusting only
     * {@code trustAnchors} (the JDK's trust store when empty), TLS 1.3 and 1.2 only. For the De-Mail provider's
     * client-certificate login.
     *
     * @throws CryptoException when no SSL context can be made (the anchors cannot be used)
     */
    public SSLSocketFactory tlsClientSockets(String owner, Collection<X509Certificate> trustAnchors)
            throws CryptoException {
        try {
            return TlsClients.socketFactory(keys, owner, trustAnchors);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("no TLS client context for " + owner + ": " + e.getMessage(), e);
        }
    }

    /** The SSL context behind {@link #tlsClientSockets}; sockets made from it must be limited to TLS 1.3 and 1.2. */
    public SSLContext tlsClientContext(String owner, Collection<X509Certificate> trustAnchors) throws CryptoException {
        try {
            return TlsClients.context(keys, owner, trustAnchors);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("no TLS client context for " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Checks De-Mail integrity fields with this policy and validator, against the De-Mail trust anchors. */
    public DeMailIntegrity deMailIntegrity(Collection<X509Certificate> trustAnchors) {
        return new DeMailIntegrity(policy, validator, trustAnchors, clock);
    }

    /** Encrypts XML; its recipients come from {@link #xmlRecipient}, which validates them. */
    public XmlEncryptor xmlEncryptor() {
        return new XmlEncryptor(policy);
    }

    /** Decrypts XML with the participant's keys (see {@link #decryptionKeys}). */
    public XmlDecryptor xmlDecryptor() {
        return new XmlDecryptor(policy);
    }

    /** The participant's decryption keys: the current one first, then those in their rotation overlap. */
    public List<PrivateKeyHandle> decryptionKeys(String participant) throws KeyVaultException {
        return keys.decryptionKeys(participant);
    }

    /** An XML Encryption recipient, after validating its certificate for encryption (refused like CMS recipients). */
    public XmlRecipient xmlRecipient(X509Certificate certificate, Collection<X509Certificate> intermediates, String peer)
            throws RecipientRefusedException {
        ValidationResult v = validator.validate(certificate, intermediates, CertificateUsage.MESSAGE_ENCRYPTION,
                clock.instant());
        if (!v.valid()) {
            throw new RecipientRefusedException(certificate, v);
        }
        return new XmlRecipient(certificate, peer);
    }
}
