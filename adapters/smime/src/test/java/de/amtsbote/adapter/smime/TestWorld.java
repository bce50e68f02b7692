package de.amtsbote.adapter.smime;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.ChannelSettings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One test PKI for all tests of the module (generated once per test JVM, in a temporary directory): a CA with an
 * OCSP responder on loopback, a PKCS#12 vault with the gateway participant's certified keys, partner certificates
 * with their private keys as PEM files for {@code openssl}, a revoked partner and one from an unknown CA.
 */
final class TestWorld {

    static final String BAD_VILBEL = "stadt-bad-vilbel";
    static final String BAD_VILBEL_ADDRESS = "poststelle@bad-vilbel.example";
    static final String VIERNHEIM_ADDRESS = "poststelle@viernheim.example";
    static final String LAMPERTHEIM_ADDRESS = "buergerbuero@lampertheim.example";
    static final String REVOKED_ADDRESS = "altamt@revoked.example";
    static final String STRANGER_ADDRESS = "niemand@stranger.example";

    /** A partner with its certificate and key as PEM files. */
    record Partner(String address, IssuedCertificate issued, Path certPem, Path keyPem) {
        X509Certificate certificate() {
            return issued.certificate();
        }

        ChannelAddress channelAddress() {
            return new ChannelAddress("smime", address);
        }
    }

    private static TestWorld instance;

    final Path dir;
    final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    final CertificateAuthority ca;
    final RevocationResponder responder;
    final Pkcs12KeyVault vault;
    final Crypto crypto;
    final Path caPem;
    final X509Certificate ourEncryptionCertificate;
    final X509Certificate ourSigningCertificate;
    final Path ourEncryptionCertPem;
    final Partner viernheim;
    final Partner lampertheim;
    final Partner revoked;
    final Partner stranger;

    static synchronized TestWorld get() {
        if (instance == null) {
            try {
                instance = new TestWorld();
            } catch (Exception e) {
                throw new IllegalStateException("the test PKI cannot be made: " + e, e);
            }
        }
        return instance;
    }

    private TestWorld() throws Exception {
        dir = Files.createTempDirectory("smime-world");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Clock clock = Clock.systemUTC();
        ca = CertificateAuthority.root("Amtsbote Test CA", KeySpec.ec("P-256"), clock);
        responder = RevocationResponder.start(ca, clock);
        caPem = dir.resolve("ca.pem");
        Pem.writeCertificate(caPem, ca.certificate());
        Path password = dir.resolve("vault.secret");
        Files.writeString(password, "a long enough test vault password");
        vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(password), policy, clock);
        ourSigningCertificate = certify(vault.generate(BAD_VILBEL, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")),
                CertificateProfile.SIGNING, BAD_VILBEL_ADDRESS);
        ourEncryptionCertificate = certify(vault.generate(BAD_VILBEL, KeyPurpose.ENCRYPTION, KeySpec.rsa(3072)),
                CertificateProfile.ENCRYPTION, BAD_VILBEL_ADDRESS);
        ourEncryptionCertPem = dir.resolve("bad-vilbel-encryption.pem");
        Pem.writeCertificate(ourEncryptionCertPem, ourEncryptionCertificate);
        PkixCertificateValidator validator = PkixCertificateValidator.builder().trustAnchor(ca.certificate())
                .policy(policy).build();
        crypto = Crypto.of(policy, vault, validator, clock);
        viernheim = partner(ca, "Stadt Viernheim", VIERNHEIM_ADDRESS, "viernheim");
        lampertheim = partner(ca, "Stadt Lampertheim", LAMPERTHEIM_ADDRESS, "lampertheim");
        revoked = partner(ca, "Altamt", REVOKED_ADDRESS, "revoked");
        responder.revoke(revoked.certificate(), java.time.Instant.now().minusSeconds(60));
        CertificateAuthority unknown = CertificateAuthority.root("Unknown CA", KeySpec.ec("P-256"), clock);
        stranger = partner(unknown, "Niemand", STRANGER_ADDRESS, "stranger");
    }

    private X509Certificate certify(KeyRef key, CertificateProfile profile, String email) throws Exception {
        return certify(vault, key, profile, email);
    }

    /** Certifies a key of {@code keys} by the test CA, with the address as rfc822Name, and imports the chain. */
    X509Certificate certify(de.amtsbote.crypto.keys.KeyVault vault, KeyRef key, CertificateProfile profile,
                            String email) throws Exception {
        String csr = vault.csr(key, new CsrSubject("Amtsbote Test", null, List.of()));
        List<X509Certificate> chain = ca.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named(key.owner()).profile(profile).email(email).ocsp(responder.ocspUrl())).chain();
        vault.importCertificate(key, chain);
        return chain.get(0);
    }

    private Partner partner(CertificateAuthority authority, String name, String address, String file)
            throws Exception {
        IssuedCertificate issued = authority.issue(IssueRequest.named(name)
                .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256")).email(address)
                .ocsp(responder.ocspUrl()));
        Path cert = dir.resolve(file + ".pem");
        Path key = dir.resolve(file + ".key");
        Pem.writeCertificate(cert, issued.certificate());
        Pem.writeTestPrivateKey(key, issued.privateKey());
        return new Partner(address, issued, cert, key);
    }

    /** A directory that knows the gateway participant and the partners' certificates. */
    MapDirectory directory() {
        MapDirectory d = new MapDirectory();
        d.participant(BAD_VILBEL_ADDRESS, BAD_VILBEL);
        for (Partner p : List.of(viernheim, lampertheim, revoked, stranger)) {
            d.certificate(p.address(), p.certificate());
        }
        return d;
    }

    /** Creates the adapter through its provider (as the gateway does) and starts it. */
    SmimeAdapter start(Map<String, String> settings, RecordingSink sink, MapDirectory directory, ChannelMemory memory)
            throws Exception {
        return start(settings, sink, directory, memory, crypto);
    }

    /** The same, with another crypto door (another key vault). */
    SmimeAdapter start(Map<String, String> settings, RecordingSink sink, MapDirectory directory, ChannelMemory memory,
                       Crypto crypto) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("spool-dir", dir.resolve("spool").toString());
        all.put("listen.port", "0");
        all.putAll(settings);
        ChannelAdapter adapter = new SmimeAdapterProvider().create(new ChannelSettings("smime", all));
        adapter.start(new ChannelContext(sink, Clock.systemUTC(), "test-node", Optional.of(crypto), directory,
                memory));
        return (SmimeAdapter) adapter;
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
