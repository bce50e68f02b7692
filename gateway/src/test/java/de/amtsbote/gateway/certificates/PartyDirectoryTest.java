package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;

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
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.gateway.testing.TestVault;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.PartyDirectory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Which certificates the channels get for a partner, and when one seen on a signed message is kept. */
class PartyDirectoryTest extends RunningGateway {

    private static final CertificateAuthority CA = ca("Partner CA");
    private static final CertificateAuthority STRANGER_CA = ca("Unknown CA");
    private static final Path PKI = pki();
    private static final X509Certificate KREIS = issue(CA, "Kreis Bergstrasse", "poststelle@kreis-bergstrasse.example",
            CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ec("P-256")).get(0);

    @DynamicPropertySource
    static void withKeyStoreAndTrust(DynamicPropertyRegistry p) {
        p.add("amtsbote.crypto.key-store.type", () -> "pkcs12");
        p.add("amtsbote.crypto.key-store.file", () -> PKI.resolve("keys.p12").toString());
        p.add("amtsbote.crypto.key-store.password-file", () -> PKI.resolve("keys.secret").toString());
        p.add("amtsbote.crypto.key-store.create", () -> "true");
        p.add("amtsbote.crypto.trust-anchors[0]", () -> PKI.resolve("ca.pem").toString());
        p.add("amtsbote.crypto.revocation.sources", () -> "NONE");
        p.add("amtsbote.participants[2].certificates.smime", () -> PKI.resolve("kreis.pem").toString());
    }

    @Autowired
    PartyDirectory directory;
    @Autowired
    CryptoConfiguration.KeyVaults vaults;
    @Autowired
    ChannelMemoryStore memory;

    private static final ChannelAddress ERIKA = ChannelAddress.parse("smime:erika.mustermann@example.org");

    @Test
    void learnsAVerifiedSignersCertificateThatNamesTheSender() {
        List<X509Certificate> chain = issue(CA, "Erika Mustermann", "Erika.Mustermann@example.org",
                CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ec("brainpoolP256r1"));
        ChannelAddress erika = ChannelAddress.parse("smime:erika.mustermann@example.org");

        directory.offer(erika, chain);

        assertThat(directory.encryptionCertificates(erika)).containsExactly(chain.get(0));
    }

    @Test
    void ignoresACertificateThatNamesAnotherAddress() {
        ChannelAddress max = ChannelAddress.parse("smime:max@example.org");
        directory.offer(max, issue(CA, "Max", "moritz@example.org", CertificateProfile.SIGNING_AND_ENCRYPTION,
                KeySpec.ec("P-256")));
        assertThat(directory.encryptionCertificates(max)).isEmpty();
    }

    @Test
    void ignoresACertificateFromAnUntrustedAuthority() {
        ChannelAddress a = ChannelAddress.parse("smime:a@untrusted.example");
        directory.offer(a, issue(STRANGER_CA, "A", "a@untrusted.example", CertificateProfile.SIGNING_AND_ENCRYPTION,
                KeySpec.ec("P-256")));
        assertThat(directory.encryptionCertificates(a)).isEmpty();
    }

    @Test
    void ignoresASigningOnlyCertificate() {
        ChannelAddress b = ChannelAddress.parse("smime:b@example.org");
        directory.offer(b, issue(CA, "B", "b@example.org", CertificateProfile.SIGNING, KeySpec.ec("P-256")));
        assertThat(directory.encryptionCertificates(b)).isEmpty();
    }

    @Test
    void ignoresAKeyThePolicyWouldNotEncryptFor() {
        ChannelAddress c = ChannelAddress.parse("smime:c@example.org");
        directory.offer(c, issue(CA, "C", "c@example.org", CertificateProfile.SIGNING_AND_ENCRYPTION,
                KeySpec.rsa(2048)));
        assertThat(directory.encryptionCertificates(c)).isEmpty();
    }

    @Test
    void keepsTheConfiguredCertificateOfAPartnerWhateverIsOffered() {
        ChannelAddress kreis = ChannelAddress.parse("smime:poststelle@kreis-bergstrasse.example");
        directory.offer(kreis, issue(CA, "Kreis (new)", "poststelle@kreis-bergstrasse.example",
                CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ec("P-256")));
        assertThat(directory.encryptionCertificates(kreis)).containsExactly(KREIS);
    }

    @Test
    void givesAnOwnParticipantsCertificateFromTheKeyStore() throws Exception {
        KeyVault vault = vaults.vault().orElseThrow();
        KeyRef key = vault.generate("stadt-viernheim", KeyPurpose.ENCRYPTION, KeySpec.ec("brainpoolP256r1"));
        String csr = vault.csr(key, new CsrSubject("Stadt Viernheim", null, List.of()));
        List<X509Certificate> chain = CA.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named("x").profile(CertificateProfile.ENCRYPTION)).chain();
        vault.importCertificate(key, chain);

        ChannelAddress own = directory.addressOf("stadt-viernheim", "loopback").orElseThrow();
        assertThat(directory.participantAt(own)).contains("stadt-viernheim");
        assertThat(directory.encryptionCertificates(own)).containsExactly(chain.get(0));
        directory.offer(own, issue(CA, "spoof", own.address(), CertificateProfile.SIGNING_AND_ENCRYPTION,
                KeySpec.ec("P-256")));
        assertThat(directory.encryptionCertificates(own)).containsExactly(chain.get(0));
    }

    @Test
    void sharesChannelMemoryThroughTheDatabaseUntilItExpires() {
        ChannelMemory smime = memory.forChannel("smime");
        smime.remember("sent:abc", "signature".getBytes(StandardCharsets.US_ASCII), Duration.ofDays(1));
        smime.remember("sent:gone", new byte[] {1}, Duration.ZERO);

        assertThat(memory.forChannel("smime").recall("sent:abc")).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.US_ASCII)).isEqualTo("signature"));
        assertThat(memory.forChannel("demail").recall("sent:abc")).isEmpty();
        assertThat(smime.recall("sent:gone")).isEmpty();
        smime.remember("sent:abc", new byte[] {2}, Duration.ofDays(1));
        assertThat(smime.recall("sent:abc")).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
    }

    private static CertificateAuthority ca(String name) {
        try {
            return CertificateAuthority.root(name, KeySpec.ec("P-256"), Clock.systemUTC());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> issue(CertificateAuthority ca, String name, String email,
                                               CertificateProfile profile, KeySpec key) {
        try {
            return ca.issue(IssueRequest.named(name).email(email).profile(profile).key(key)).chain();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path pki() {
        try {
            Path dir = Files.createTempDirectory(DATA, "pki");
            Pem.writeCertificate(dir.resolve("ca.pem"), CA.certificate());
            Files.writeString(dir.resolve("keys.secret"), "a password long enough for the test vault");
            try (KeyVault vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"),
                    SecretSource.file(dir.resolve("keys.secret")), AlgorithmPolicy.bsi(), Clock.systemUTC())) {
                TestVault.certifyEvidenceKey(vault, CA, null); // a gateway with a key store needs its evidence key
            }
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("the test PKI could not be written: " + e.getMessage(), e);
        }
    }

    static {
        try {
            Pem.writeCertificate(PKI.resolve("kreis.pem"), KREIS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
