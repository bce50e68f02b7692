package de.amtsbote.crypto.cms;

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
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test PKI of the CMS and S/MIME tests: one root, participants on every key type the policy allows (and some it
 * does not), generated once per test JVM because RSA-3072 key generation is slow.
 */
public final class TestPki {

    private static TestPki instance;

    public final CertificateAuthority root;
    /** A second root nobody trusts. */
    public final CertificateAuthority strangerRoot;
    private final Map<String, IssuedCertificate> issued = new LinkedHashMap<>();

    private TestPki() throws GeneralSecurityException {
        Clock clock = Clock.systemUTC();
        root = CertificateAuthority.root("Amtsbote Test Root", KeySpec.rsa(3072), clock);
        strangerRoot = CertificateAuthority.root("Stranger Root", KeySpec.ec("P-256"), clock);
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not build the test PKI", e);
            }
        }
        return instance;
    }

    /** Participants are issued when first asked for: RSA-3072 keys cost up to a second each. */
    private IssuedCertificate issue(String name) throws GeneralSecurityException {
        return switch (name) {
            case "rsa", "rsa-old" -> participant(name, KeySpec.rsa(3072));
            case "rsa2048" -> participant(name, KeySpec.rsa(2048));
            case "bp256" -> participant(name, KeySpec.ec("brainpoolP256r1"));
            case "bp384" -> participant(name, KeySpec.ec("brainpoolP384r1"));
            case "p256" -> participant(name, KeySpec.ec("P-256"));
            case "p384" -> participant(name, KeySpec.ec("P-384"));
            case "stranger" -> strangerRoot.issue(IssueRequest.named("Stranger")
                    .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256"))
                    .email("stranger@example.org"));
            case "expired" -> root.issue(IssueRequest.named("Expired").profile(CertificateProfile.SIGNING_AND_ENCRYPTION)
                    .key(KeySpec.ec("P-256")).email("expired@example.org")
                    .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))));
            default -> throw new IllegalArgumentException("no test certificate " + name);
        };
    }

    private IssuedCertificate participant(String name, KeySpec key) throws GeneralSecurityException {
        return root.issue(IssueRequest.named("Teilnehmer " + name).profile(CertificateProfile.SIGNING_AND_ENCRYPTION)
                .key(key).email(name + "@amt.example"));
    }

    public synchronized IssuedCertificate cert(String name) {
        IssuedCertificate c = issued.get(name);
        if (c == null) {
            try {
                c = issue(name);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not issue test certificate " + name, e);
            }
            issued.put(name, c);
        }
        return c;
    }

    /** A software key handle for a participant's key; {@code purpose} only names it. */
    public PrivateKeyHandle key(String name) {
        IssuedCertificate c = cert(name);
        return new SoftwareKeyHandle(new KeyRef("test", KeyPurpose.ENCRYPTION, name), c.privateKey(), c.chain());
    }

    /** Writes the root (ca.pem), and for a participant its certificate (NAME.pem) and key (NAME.key) to {@code dir}. */
    public void writePem(Path dir, String... names) throws IOException {
        Pem.writeCertificate(dir.resolve("ca.pem"), root.certificate());
        for (String n : names) {
            Pem.writeCertificate(dir.resolve(n + ".pem"), cert(n).certificate());
            Pem.writeTestPrivateKey(dir.resolve(n + ".key"), cert(n).privateKey());
        }
    }
}
