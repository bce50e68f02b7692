package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A complete sandbox De-Mail PKI in a directory, generated at first use and reused after: the "Sandbox De-Mail root"
 * CA ({@code ca.pem}: the trust anchor for provider signatures and the providers' TLS server, and the CA the providers
 * trust for client certificates), per DMDA a signing certificate {@code CN=<dmda domain>, OU=De-Mail, O=Bund, C=DE}
 * (keyUsage digitalSignature + contentCommitment, P-256), one TLS server certificate for {@code localhost} and
 * {@code 127.0.0.1}, and TLS client certificates by name. Test and demo material only: keys are unencrypted PEM files.
 *
 * <pre>
 * ca.pem, ca.key.pem                         the root and its key (kept to issue what is added later)
 * &lt;dmda domain&gt;.signing.pem / .key.pem      the DMDA's signing certificate (chain) and key
 * tls-server.pem / tls-server.key.pem         the providers' TLS server certificate
 * client-&lt;name&gt;.pem / .key.pem              a TLS client certificate (CN = name)
 * </pre>
 */
public final class DeMailPki {

    public static final String ROOT_NAME = "Sandbox De-Mail root";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,80}");
    private static final KeySpec KEY = KeySpec.ec("P-256");

    private final Path dir;
    private final CertificateAuthority ca;

    private DeMailPki(Path dir, CertificateAuthority ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** Loads the PKI in {@code dir}, creating the root and the TLS server certificate if they are not there. */
    public static DeMailPki generateOrLoad(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        try {
            // GeneratedPki keeps the root and its key in ca.pem / ca.key.pem and reloads them on the next start
            CertificateAuthority ca = GeneratedPki.generateOrLoad(dir, new PkiPlan(ROOT_NAME, KEY), clock).authority();
            DeMailPki pki = new DeMailPki(dir, ca);
            if (!Files.exists(pki.tlsCertificate()) || !Files.exists(pki.tlsKey())) {
                IssuedCertificate tls = ca.issue(IssueRequest.named("localhost").organization("De-Mail Sandbox")
                        .profile(CertificateProfile.TLS_SERVER).key(KEY).dns("localhost").ip("127.0.0.1"));
                write(tls, pki.tlsCertificate(), pki.tlsKey());
            }
            return pki;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create or load the sandbox De-Mail PKI in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** The root certificate: trust anchor for signatures, the TLS server and client certificates. */
    public Path anchorFile() {
        return dir.resolve("ca.pem");
    }

    public Path tlsCertificate() {
        return dir.resolve("tls-server.pem");
    }

    public Path tlsKey() {
        return dir.resolve("tls-server.key.pem");
    }

    public Path signingCertificate(String dmdaDomain) {
        return dir.resolve(dmdaDomain + ".signing.pem");
    }

    public Path signingKey(String dmdaDomain) {
        return dir.resolve(dmdaDomain + ".signing.key.pem");
    }

    public Path clientCertificate(String name) {
        return dir.resolve("client-" + name + ".pem");
    }

    public Path clientKey(String name) {
        return dir.resolve("client-" + name + ".key.pem");
    }

    /**
     * The DMDA's signing certificate {@code CN=<dmda domain>, OU=De-Mail, O=Bund, C=DE} (TR 01201-1.2), issued if not
     * there yet; returns its PEM file (certificate, then the root).
     */
    public Path ensureSigning(String dmdaDomain) throws IOException {
        check(dmdaDomain);
        Path cert = signingCertificate(dmdaDomain);
        Path key = signingKey(dmdaDomain);
        if (Files.exists(cert) && Files.exists(key)) {
            return cert;
        }
        try {
            KeyPair pair = KEY.generate();
            SoftwareKeyHandle handle = new SoftwareKeyHandle(new KeyRef(dmdaDomain, KeyPurpose.SIGNING, dmdaDomain
                    + ".csr"), pair.getPrivate(), List.of(ca.certificate()));
            SignatureSpec spec = AlgorithmPolicy.bsi().signatureFor(pair.getPublic(), null);
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "DE").addRDN(BCStyle.O, "Bund").addRDN(BCStyle.OU, "De-Mail")
                    .addRDN(BCStyle.CN, dmdaDomain).build(), pair.getPublic()).build(new HandleSigner(handle, spec));
            IssuedCertificate issued = ca.certify(csr, IssueRequest.named(dmdaDomain)
                    .profile(CertificateProfile.PROVIDER));
            Pem.writeTestPrivateKey(key, pair.getPrivate());
            Pem.writeCertificates(cert, issued.chain());
            return cert;
        } catch (GeneralSecurityException | PolicyViolationException e) {
            throw new IOException("cannot issue the De-Mail signing certificate of " + dmdaDomain + ": "
                    + e.getMessage(), e);
        }
    }

    /** A TLS client certificate (CN = name), issued if not there yet; returns its PEM file. */
    public Path ensureClient(String name) throws IOException {
        check(name);
        if (Files.exists(clientCertificate(name)) && Files.exists(clientKey(name))) {
            return clientCertificate(name);
        }
        try {
            write(ca.issue(IssueRequest.named(name).organization("De-Mail Sandbox").profile(CertificateProfile.TLS_CLIENT)
                    .key(KEY)), clientCertificate(name), clientKey(name));
            return clientCertificate(name);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue the TLS client certificate " + name + ": " + e.getMessage(), e);
        }
    }

    private static void write(IssuedCertificate issued, Path cert, Path key) throws IOException {
        Pem.writeTestPrivateKey(key, issued.privateKey());
        Pem.writeCertificates(cert, issued.chain());
    }

    private static void check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a lower-case domain or file name");
        }
    }

    /** Signs the CSR through the key handle, so no signature algorithm is named outside the crypto module. */
    private static final class HandleSigner implements ContentSigner {
        private final SoftwareKeyHandle key;
        private final SignatureSpec spec;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        HandleSigner(SoftwareKeyHandle key, SignatureSpec spec) {
            this.key = key;
            this.spec = spec;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            try {
                return JcaNames.signatureAlgorithm(spec);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            try {
                return key.sign(spec, data.toByteArray());
            } catch (KeyOperationException e) {
                throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
            }
        }
    }
}
