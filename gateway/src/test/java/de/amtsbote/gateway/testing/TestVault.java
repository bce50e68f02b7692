package de.amtsbote.gateway.testing;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The gateway's PKCS#12 key store for a test world: created in a directory with its password file, keys generated in
 * it and certified by the world's CA, and the properties that point the gateway at it.
 */
public record TestVault(Path file, Path secret) {

    /** A new, empty key store under {@code dir/keys}. */
    public static TestVault createIn(Path dir) throws Exception {
        TestVault v = new TestVault(dir.resolve("keys/participants.p12"), dir.resolve("keys/vault.secret"));
        Files.createDirectories(v.secret.getParent());
        Files.writeString(v.secret, "test vault password, long enough");
        Pkcs12KeyVault.create(v.file, SecretSource.file(v.secret), AlgorithmPolicy.bsi(), Clock.systemUTC()).close();
        return v;
    }

    public KeyVault open() throws Exception {
        return Pkcs12KeyVault.open(file, SecretSource.file(secret), AlgorithmPolicy.bsi(), Clock.systemUTC());
    }

    /** Certifies a key of the vault with the CA (CSR made in the vault), imports the chain and returns it. */
    public static List<X509Certificate> certify(KeyVault vault, KeyRef key, CertificateAuthority ca, URI ocsp,
                                                CertificateProfile profile, CsrSubject subject) throws Exception {
        String csr = vault.csr(key, subject);
        IssueRequest request = IssueRequest.named("x").profile(profile).ocsp(ocsp);
        for (String email : subject.emailAddresses()) {
            request = request.email(email);
        }
        List<X509Certificate> chain = ca.certify(Pem.readCsr(new StringReader(csr)), request).chain();
        vault.importCertificate(key, chain);
        return chain;
    }

    /**
     * Generates the gateway's evidence key (EC P-256, owner {@code gateway}, purpose EVIDENCE), certifies it with the
     * CA (profile EVIDENCE; {@code ocsp} may be null) and returns the chain. A gateway with a key store does not start
     * without one.
     */
    public static List<X509Certificate> certifyEvidenceKey(KeyVault vault, CertificateAuthority ca, URI ocsp)
            throws Exception {
        KeyRef key = vault.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("P-256"));
        return certify(vault, key, ca, ocsp, CertificateProfile.EVIDENCE,
                new CsrSubject("Amtsbote Test", "Amtsbote Evidence", List.of()));
    }

    /** The gateway's {@code amtsbote.crypto.key-store.*} properties for this store. */
    public Map<String, String> properties() {
        return Map.of("amtsbote.crypto.key-store.type", "pkcs12",
                "amtsbote.crypto.key-store.file", file.toString(),
                "amtsbote.crypto.key-store.password-file", secret.toString());
    }
}
