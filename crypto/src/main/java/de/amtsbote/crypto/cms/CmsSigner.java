package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs content as CMS SignedData with one participant's key (RFC 5652, RFC 8551 2.5): the policy chooses the scheme
 * (RSASSA-PSS for RSA keys, ECDSA for EC keys, a legacy scheme only under a peer exception) and the digest; callers
 * never name an algorithm. Signed attributes are contentType, messageDigest, signingTime, signingCertificateV2
 * (RFC 5035), CMSAlgorithmProtection (RFC 6211) and, when asked for, an ESS receiptRequest (RFC 2634). The signer's
 * certificate chain goes into the certificates.
 *
 * <p>The key signs through {@link PrivateKeyHandle#sign}, so token keys and software keys take the same path.
 * Instances are immutable and thread-safe; every call to a {@code sign...} method signs one message.
 *
 * <p>Output is BER with indefinite lengths: content is streamed, never held, so its length is not known up front.
 */
public final class CmsSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKeyHandle key;
    private final SignatureSpec spec;
    private final String peer;
    private final ReceiptRequest receiptRequest;
    private final Clock clock;

    private CmsSigner(PrivateKeyHandle key, SignatureSpec spec, String peer, ReceiptRequest receiptRequest, Clock clock) {
        this.key = key;
        this.spec = spec;
        this.peer = peer;
        this.receiptRequest = receiptRequest;
        this.clock = clock;
    }

    /** A signer for this key; the policy decides the scheme (and refuses a key it would not create). */
    public static Builder builder(PrivateKeyHandle key, AlgorithmPolicy policy) {
        return new Builder(key, policy);
    }

    /** The scheme and digest the policy chose (for a multipart/signed micalg, and for results). */
    public SignatureSpec spec() {
        return spec;
    }

    /** The signing certificate. */
    public X509Certificate certificate() {
        return key.certificate();
    }

    /** The same signer, asking recipients for a signed receipt (RFC 2634) in every message it signs. */
    public CmsSigner withReceiptRequest(ReceiptRequest request) {
        return new CmsSigner(key, spec, peer, Objects.requireNonNull(request, "request"), clock);
    }

    /**
     * Opens a SignedData with encapsulated content (opaque signing). Write the content to the returned stream and
     * close it: the signature is computed on close, the SignedData is finished and {@code out} is closed.
     * {@link SigningStream#sentSignature()} then tells what was signed.
     */
    public SigningStream signEncapsulated(OutputStream out) throws IOException {
        return open(CMSObjectIdentifiers.data, out, true, List.of(), receiptRequest);
    }

    /**
     * Opens a detached signature (for multipart/signed): content written to the returned stream is only digested;
     * on close, the SignedData without content is written to {@code signatureOut}, which is then closed.
     */
    public SigningStream signDetached(OutputStream signatureOut) throws IOException {
        return open(CMSObjectIdentifiers.data, signatureOut, false, List.of(), receiptRequest);
    }

    /**
     * Signs a receipt: eContentType id-ct-receipt, the Receipt as content, the msgSigDigest attribute; never a receipt
     * request (RFC 2634 2.2).
     */
    SigningStream signReceipt(OutputStream out, byte[] originatorSignedAttributes) throws IOException {
        byte[] msgSigDigest;
        try {
            msgSigDigest = MessageDigest.getInstance(JcaNames.digest(spec.digest()), Providers.bouncyCastle())
                    .digest(originatorSignedAttributes);
        } catch (GeneralSecurityException e) {
            throw new IOException("no " + spec.digest() + " digest for the msgSigDigest", e);
        }
        Attribute attr = new Attribute(Ess.ID_AA_MSG_SIG_DIGEST,
                new DERSet(new org.bouncycastle.asn1.DEROctetString(msgSigDigest)));
        return open(Ess.ID_CT_RECEIPT, out, true, List.of(attr), null);
    }

    private SigningStream open(ASN1ObjectIdentifier contentType, OutputStream out, boolean encapsulate,
                               List<Attribute> extra, ReceiptRequest request) throws IOException {
        Objects.requireNonNull(out, "out");
        HandleContentSigner contentSigner = new HandleContentSigner(key, spec);
        byte[] receiptId = request == null ? null : newContentIdentifier();
        List<Attribute> attributes = new ArrayList<>(extra);
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
        attributes.add(signingCertificateV2());
        if (request != null) {
            attributes.add(new Attribute(Ess.ID_AA_RECEIPT_REQUEST, new DERSet(new Ess.ReceiptRequest(receiptId, false,
                    List.of(), request.receiptsTo()).toAsn1())));
        }
        try {
            CMSAttributeTableGenerator signedAttributes = params -> {
                Hashtable<ASN1ObjectIdentifier, Attribute> table = new Hashtable<>();
                attributes.forEach(a -> table.put(a.getAttrType(), a));
                return new DefaultSignedAttributeTableGenerator(new AttributeTable(table)).getAttributes(params);
            };
            // the content digest comes from the JDK, whose SHA-2 uses the CPU's SHA instructions
            SignerInfoGenerator signerInfo = new SignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(signedAttributes)
                    .build(contentSigner, new JcaX509CertificateHolder(key.certificate()));
            CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(new JcaCertStore(key.chain()));
            OutputStream content = generator.open(contentType, out, encapsulate);
            return new SigningStream(content, out, contentSigner, key.certificate(), spec, contentType, receiptId);
        } catch (OperatorCreationException | CMSException | CertificateEncodingException e) {
            throw new IOException("could not start a CMS signature with " + key + ": " + e.getMessage(), e);
        }
    }

    private Attribute signingCertificateV2() throws IOException {
        try {
            X509Certificate cert = key.certificate();
            byte[] hash = MessageDigest.getInstance(JcaNames.digest(Algorithm.SHA256), Providers.bouncyCastle())
                    .digest(cert.getEncoded());
            IssuerSerial issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(
                    X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()))), cert.getSerialNumber());
            // SHA-256 is the default hash of ESSCertIDv2, so the identifier is omitted (RFC 5035 4)
            return new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new DERSet(new SigningCertificateV2(new ESSCertIDv2(hash, issuerSerial))));
        } catch (GeneralSecurityException e) {
            throw new IOException("could not identify the signing certificate of " + key, e);
        }
    }

    /** Unique per message (RFC 2634 2.7 suggests a time and a random part): 8 bytes of time, 16 random bytes. */
    private byte[] newContentIdentifier() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return ByteBuffer.allocate(24).putLong(clock.millis()).put(random).array();
    }

    /** Builds a {@link CmsSigner}. */
    public static final class Builder {
        private final PrivateKeyHandle key;
        private final AlgorithmPolicy policy;
        private String peer;
        private ReceiptRequest receiptRequest;
        private Clock clock = Clock.systemUTC();

        private Builder(PrivateKeyHandle key, AlgorithmPolicy policy) {
            this.key = Objects.requireNonNull(key, "key");
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** The peer the messages go to, so that a configured peer exception can apply (null: none). */
        public Builder peer(String peer) {
            this.peer = peer;
            return this;
        }

        /** Ask recipients for an ESS signed receipt. */
        public Builder requestReceipt(ReceiptRequest request) {
            this.receiptRequest = request;
            return this;
        }

        /** The clock for the signingTime attribute. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The signer; the policy refuses a key it would not create (RSA below 3072 bits, a curve it does not list). */
        public CmsSigner build() throws PolicyViolationException {
            SignatureSpec spec = policy.signatureFor(key.certificate().getPublicKey(), peer);
            return new CmsSigner(key, spec, peer, receiptRequest, clock);
        }
    }

    @Override
    public String toString() {
        return "CMS signer " + key.ref() + " (" + spec.displayName() + (peer == null ? "" : ", for " + peer) + ")";
    }
}
