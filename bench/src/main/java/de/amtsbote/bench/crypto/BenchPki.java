package de.amtsbote.bench.crypto;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * The benchmark's participant: one certificate that signs and decrypts (as OpenSSL's {@code -signer} and
 * {@code -recip} use one), its key as a software handle, and PEM files of both for the OpenSSL anchor. Revocation
 * checking is off on both sides: {@code openssl cms -verify -CAfile} checks the path but not revocation either.
 */
final class BenchPki {

    final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    final PrivateKeyHandle key;
    final CertificateValidator validator;
    final OpenSslCms.Material files;

    BenchPki(String keyType, Path dir, Path input) throws GeneralSecurityException, IOException {
        CertificateAuthority ca = CertificateAuthority.root("Bench CA", KeySpec.ec("P-256"), Clock.systemUTC());
        boolean rsa = keyType.equals("RSA");
        IssuedCertificate cert = ca.issue(IssueRequest.named("Bench Participant")
                .profile(CertificateProfile.SIGNING_AND_ENCRYPTION)
                .key(rsa ? KeySpec.rsa(3072) : KeySpec.ec("P-256")).email("bench@amtsbote.example"));
        key = new SoftwareKeyHandle(new KeyRef("bench", KeyPurpose.ENCRYPTION, "bench." + keyType.toLowerCase()),
                cert.privateKey(), cert.chain());
        validator = PkixCertificateValidator.builder().trustAnchor(ca.certificate()).policy(policy)
                .revocation(RevocationSources.NONE).build();
        Path certFile = dir.resolve("participant.pem");
        Path keyFile = dir.resolve("participant.key.pem");
        Path anchor = dir.resolve("ca.pem");
        Pem.writeCertificates(certFile, cert.chain().subList(0, cert.chain().size() - 1));
        Pem.writeTestPrivateKey(keyFile, cert.privateKey());
        Pem.writeCertificate(anchor, ca.certificate());
        files = new OpenSslCms.Material(certFile, keyFile, anchor, input, dir.resolve("openssl.signed.der"),
                dir.resolve("openssl.encrypted.der"), rsa);
    }
}
