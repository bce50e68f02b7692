package de.amtsbote.bench.load;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.EncryptionSpec;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The anchor for the gateway's S/MIME rate: the same message (the multipart/mixed entity the gateway writes: a short
 * body and the same attachment) signed, then encrypted with Bouncy Castle's CMS generators directly, in this process,
 * with the same kinds of keys and the algorithms the policy picks for them (ECDSA on brainpoolP256r1 for the sender's
 * signing key; AES-256-GCM with ECDH-ES, or RSA-OAEP, for the recipient's certificate), base64 as in the mail — and
 * nothing else: no certificate validation, no revocation check, no evidence, no database, no transport. It is the
 * machine's ceiling for this message: the gateway's end-to-end rate is reported as a fraction of it.
 *
 * <p>Raw on purpose: this class talks to Bouncy Castle itself instead of the crypto core's signers and encryptors,
 * which validate certificates on every use. Algorithms still come from the policy and {@link JcaNames}, the one
 * place that names them; the content cipher is the JDK's AES-GCM, as the crypto core uses
 * ({@code docs/adr/0013-aes-gcm-on-the-jdk.md}).
 */
final class CryptoCeiling {

    /** Rate with one thread and with {@code threads} threads, operations per second. */
    record Rates(double singleThread, int threads, double allThreads, int messageBytes) {
    }

    private final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    private final IssuedCertificate signer;
    private final X509Certificate recipient;
    private final byte[] entity;
    private final SignatureSpec signatureSpec;
    private final EncryptionSpec encryptionSpec;

    CryptoCeiling(X509Certificate recipient, byte[] attachment) throws GeneralSecurityException,
            PolicyViolationException {
        CertificateAuthority ca = CertificateAuthority.root("Bench Ceiling CA", KeySpec.ec("P-256"), Clock.systemUTC());
        this.signer = ca.issue(IssueRequest.named("Bench Sender").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ecDefault()).email("poststelle@bad-vilbel.example"));
        this.recipient = recipient;
        this.entity = mixedEntity(attachment);
        this.signatureSpec = policy.signatureFor(signer.certificate().getPublicKey(), null);
        this.encryptionSpec = policy.encryptionFor(recipient.getPublicKey(), null);
    }

    /** Warms up, then measures {@code time} with one thread and {@code time} with {@code threads} threads. */
    Rates measure(Duration warmup, Duration time, int threads) throws Exception {
        run(1, warmup);
        double one = run(1, time);
        double all = run(threads, time);
        return new Rates(one, threads, all, entity.length);
    }

    private double run(int threads, Duration time) throws Exception {
        AtomicLong ops = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] deadline = new long[1];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    while (System.nanoTime() < deadline[0]) {
                        signThenEncrypt(OutputStream.nullOutputStream());
                        ops.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "ceiling-" + i);
            workers.add(t);
            t.start();
        }
        long start = System.nanoTime();
        deadline[0] = start + time.toNanos();
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return ops.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** One message: multipart/signed (detached CMS signature) around the entity, encrypted, base64. */
    void signThenEncrypt(OutputStream out) throws Exception {
        ByteArrayOutputStream signature = new ByteArrayOutputStream(2048);
        CMSSignedDataStreamGenerator signing = new CMSSignedDataStreamGenerator();
        signing.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(contentSigner(), new JcaX509CertificateHolder(signer.certificate())));
        try (OutputStream content = signing.open(signature, false)) {
            content.write(entity);
        }
        String boundary = "----=_Bench_" + Long.toHexString(System.nanoTime());
        OutputStream base64 = Base64.getMimeEncoder().wrap(new NonClosing(out));
        CMSAuthEnvelopedDataStreamGenerator envelope = new CMSAuthEnvelopedDataStreamGenerator();
        envelope.addRecipientInfoGenerator(recipientInfo());
        OutputAEADEncryptor cipher = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                new ASN1ObjectIdentifier(encryptionSpec.content().oid())).build();
        try (OutputStream encrypted = envelope.open(base64, cipher)) {
            encrypted.write(("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
                    + "micalg=sha-256;\r\n\tboundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            encrypted.write(entity);
            encrypted.write(("\r\n--" + boundary + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            encrypted.write(Base64.getMimeEncoder().encode(signature.toByteArray()));
            encrypted.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        base64.close();
    }

    private RecipientInfoGenerator recipientInfo() throws GeneralSecurityException {
        EncryptionSpec spec = encryptionSpec;
        if (spec.keyManagement() == Algorithm.ECDH_ES) {
            KeyPair ephemeral = JcaNames.ecKeyPairGenerator(recipient.getPublicKey(), Providers.bouncyCastle())
                    .generateKeyPair();
            ASN1ObjectIdentifier scheme = switch (spec.kdfDigest()) {
                case SHA384 -> SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme;
                case SHA512 -> SECObjectIdentifiers.dhSinglePass_stdDH_sha512kdf_scheme;
                default -> SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme;
            };
            return new JceKeyAgreeRecipientInfoGenerator(scheme, ephemeral.getPrivate(), ephemeral.getPublic(),
                    new ASN1ObjectIdentifier(spec.keyWrap().oid())).addRecipient(recipient)
                    .setProvider(Providers.bouncyCastle());
        }
        AlgorithmIdentifier hash = new AlgorithmIdentifier(new ASN1ObjectIdentifier(spec.kdfDigest().oid()),
                DERNull.INSTANCE);
        AlgorithmIdentifier oaep = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new RSAESOAEPparams(
                hash, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
        return new JceKeyTransRecipientInfoGenerator(recipient, oaep).setProvider(Providers.bouncyCastle());
    }

    private ContentSigner contentSigner() throws GeneralSecurityException {
        SignatureSpec spec = signatureSpec;
        Signature signature = JcaNames.signature(spec, Providers.bouncyCastle());
        PrivateKey key = signer.privateKey();
        signature.initSign(key);
        AlgorithmIdentifier id = JcaNames.signatureAlgorithm(spec);
        ByteArrayOutputStream signed = new ByteArrayOutputStream(512);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return id;
            }

            @Override
            public OutputStream getOutputStream() {
                return signed;
            }

            @Override
            public byte[] getSignature() {
                try {
                    signature.update(signed.toByteArray());
                    return signature.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** The inner entity the gateway signs: multipart/mixed with the body (quoted-printable) and the attachment. */
    static byte[] mixedEntity(byte[] attachment) {
        String boundary = "----=_Bench_mixed";
        StringBuilder s = new StringBuilder();
        s.append("Content-Type: multipart/mixed;\r\n\tboundary=\"").append(boundary).append("\"\r\n\r\n")
                .append("This is a multi-part message in MIME format.\r\n\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
                .append("Sehr geehrte Damen und Herren,\r\nanbei erhalten Sie den Bescheid.")
                .append("\r\n--").append(boundary).append("\r\nContent-Type: application/pdf\r\n")
                .append("Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=bescheid.pdf")
                .append("\r\n\r\n").append(Base64.getMimeEncoder().encodeToString(attachment))
                .append("\r\n--").append(boundary).append("--\r\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Keeps the caller's stream open when the base64 encoder is closed. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
