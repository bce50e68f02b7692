package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequest;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.validation.CertificateValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A peer's key and certificate and what it does with them: sign (messages, MDNs, ESS receipts), open what arrives
 * (decrypt with its key, verify signers against the trust anchors), encrypt for a gateway participant. The algorithm
 * policy of the crypto module chooses every algorithm, as it does for the gateway.
 */
final class PeerKeys {

    private final String address;
    private final SoftwareKeyHandle signingKey;
    private final SoftwareKeyHandle decryptionKey;
    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;
    private final Clock clock;
    private final SmimeOpener opener;

    private PeerKeys(String address, SoftwareKeyHandle signingKey, SoftwareKeyHandle decryptionKey,
                     AlgorithmPolicy policy, CertificateValidator validator, Clock clock) {
        this.address = address;
        this.signingKey = signingKey;
        this.decryptionKey = decryptionKey;
        this.policy = policy;
        this.validator = validator;
        this.clock = clock;
        this.opener = new SmimeOpener(CmsOpener.builder(policy, validator).decryptionKeys(List.of(decryptionKey))
                .clock(clock).build());
    }

    /** Loads the peer's PEM files; errors name the peer and the file. */
    static PeerKeys load(MailPeerConfig peer, AlgorithmPolicy policy, CertificateValidator validator, Clock clock)
            throws IOException {
        List<X509Certificate> chain = certificates(peer.certificate(), "certificate of mail peer " + peer.address());
        PrivateKey key;
        try {
            key = Pem.readTestPrivateKey(peer.key());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the key of mail peer " + peer.address() + " from " + peer.key() + ": "
                    + e.getMessage(), e);
        }
        if (!belongsTogether(chain.get(0).getPublicKey(), key)) {
            throw new IOException("the key in " + peer.key() + " does not belong to the certificate in "
                    + peer.certificate() + " (mail peer " + peer.address() + ")");
        }
        String owner = peer.address().replace('@', '.');
        SoftwareKeyHandle signing = new SoftwareKeyHandle(new KeyRef(owner, KeyPurpose.SIGNING, owner + ".signing"),
                key, chain);
        SoftwareKeyHandle decryption = new SoftwareKeyHandle(
                new KeyRef(owner, KeyPurpose.ENCRYPTION, owner + ".encryption"), key, chain);
        PeerKeys keys = new PeerKeys(peer.address(), signing, decryption, policy, validator, clock);
        keys.signer(); // the policy refuses a key it would not sign with: better now than at the first receipt
        return keys;
    }

    static List<X509Certificate> certificates(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("the " + what + " is not a file: " + file);
        }
        try {
            List<X509Certificate> chain = Pem.readCertificates(file);
            if (chain.isEmpty()) {
                throw new IOException("no PEM certificate in " + file + " (the " + what + ")");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("cannot read the " + what + " from " + file + ": " + e.getMessage(), e);
        }
    }

    X509Certificate certificate() {
        return signingKey.certificate();
    }

    /** A signer for one message, MDN or receipt. */
    CmsSigner signer() throws IOException {
        try {
            return CmsSigner.builder(signingKey, policy).clock(clock).build();
        } catch (CryptoException e) {
            throw new IOException("mail peer " + address + " cannot sign: " + e.getMessage(), e);
        }
    }

    /** A signer that asks the recipient for an ESS signed receipt to this peer. */
    CmsSigner signerRequestingReceipt() throws IOException {
        try {
            return CmsSigner.builder(signingKey, policy).clock(clock).requestReceipt(ReceiptRequest.to(address))
                    .build();
        } catch (CryptoException e) {
            throw new IOException("mail peer " + address + " cannot sign: " + e.getMessage(), e);
        }
    }

    /** Encrypts for a recipient's certificate (first of the chain; the rest helps path building). */
    CmsEncryptor encryptorFor(List<X509Certificate> recipientChain) throws IOException {
        try {
            return CmsEncryptor.builder(policy, validator).recipient(recipientChain.get(0))
                    .intermediates(recipientChain.subList(1, recipientChain.size())).clock(clock).build();
        } catch (CryptoException e) {
            throw new IOException("mail peer " + address + " will not encrypt for "
                    + recipientChain.get(0).getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
    }

    SmimeOpener opener() {
        return opener;
    }

    /** The rfc822Name entries of a certificate's subjectAltName, lower case. */
    static List<String> emailAddresses(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(1).equals(name.get(0))) {
                        out.add(String.valueOf(name.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unparsable alternative name names nobody; the signature check reports the certificate itself
            return List.of();
        }
        return out;
    }

    /** A cheap guard against a key file and a certificate file of different peers: same type, same RSA modulus. */
    private static boolean belongsTogether(PublicKey certified, PrivateKey key) {
        if (certified instanceof RSAPublicKey rsa) {
            return key instanceof RSAPrivateKey k && rsa.getModulus().equals(k.getModulus());
        }
        return certified instanceof ECPublicKey && key instanceof ECPrivateKey;
    }
}
