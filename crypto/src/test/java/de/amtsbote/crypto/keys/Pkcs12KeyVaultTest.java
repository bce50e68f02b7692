package de.amtsbote.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to the PKCS#12 vault: how the file protects keys (checked with OpenSSL), files readable by their
 * owner only, password handling, and a second process's changes.
 */
class Pkcs12KeyVaultTest {

    private static final String PASSWORD = "a long random vault password for tests";
    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static CertificateAuthority ca;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void certificationAuthority() throws Exception {
        ca = CertificateAuthority.root("Amtsbote Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
    }

    @Test
    void keysAreProtectedWithAes256UnderPbkdf2HmacSha256AndTheFileWithASha256Mac() throws Exception {
        Path file = dir.resolve("keys.p12");
        try (Pkcs12KeyVault vault = Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock)) {
            activate(vault, "stadt-a", KeyPurpose.SIGNING);
        }

        String info = openssl("pkcs12", "-in", file.toString(), "-info", "-noout", "-passin",
                "file:" + dir.resolve("password"));

        assertThat(info).contains("MAC: sha256, Iteration 10000")
                .contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256")
                .doesNotContain("3DES", "RC2", "sha1");
    }

    @Test
    void refusesAFileWhoseKeysAreProtectedWithLegacyAlgorithms() throws Exception {
        Path file = dir.resolve("legacy.p12");
        Files.writeString(dir.resolve("password"), PASSWORD);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-subj", "/CN=legacy",
                "-days", "1");
        openssl("pkcs12", "-export", "-in", dir.resolve("cert.pem").toString(), "-inkey",
                dir.resolve("key.pem").toString(), "-out", file.toString(), "-passout",
                "file:" + dir.resolve("password"), "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES",
                "-macalg", "sha1");

        assertThatThrownBy(() -> Pkcs12KeyVault.open(file, SecretSource.file(dir.resolve("password")), POLICY, clock))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WEAK_STORE_PROTECTION);
                    assertThat(e.getMessage()).contains(file.toString(), "integrity MAC");
                });
    }

    @Test
    void refusesToWriteWeakerProtectionWhenTheJdkIsToldToUseLegacyPkcs12() throws Exception {
        Path file = dir.resolve("keys.p12");
        String before = System.getProperty("keystore.pkcs12.legacy");
        System.setProperty("keystore.pkcs12.legacy", "true");
        try {
            assertThatThrownBy(() -> Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock))
                    .isInstanceOfSatisfying(KeyVaultException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WEAK_STORE_PROTECTION));
        } finally {
            if (before == null) {
                System.clearProperty("keystore.pkcs12.legacy");
            } else {
                System.setProperty("keystore.pkcs12.legacy", before);
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void storeAndLedgerAreReadableByTheirOwnerOnly() throws Exception {
        Path file = dir.resolve("keys.p12");
        try (Pkcs12KeyVault vault = Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock)) {
            vault.generate("stadt-a", KeyPurpose.EVIDENCE, KeySpec.ec("P-256"));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Pkcs12KeyVault.ledgerFile(file))))
                .isEqualTo("rw-------");
    }

    @Test
    void aWrongPasswordIsRefusedWithAClearError() throws Exception {
        Path file = dir.resolve("keys.p12");
        Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock).close();
        Path wrong = dir.resolve("wrong-password");
        Files.writeString(wrong, "not the vault password at all");

        assertThatThrownBy(() -> Pkcs12KeyVault.open(file, SecretSource.file(wrong), POLICY, clock))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WRONG_SECRET);
                    assertThat(e.getMessage()).contains("secret file " + wrong, file.toString())
                            .doesNotContain("not the vault password");
                });
    }

    @Test
    void aNewVaultNeedsALongPassword() {
        assertThatThrownBy(() -> Pkcs12KeyVault.create(dir.resolve("keys.p12"), password("short-password"), POLICY,
                clock))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WEAK_SECRET));
        assertThat(dir.resolve("keys.p12")).doesNotExist();
    }

    @Test
    void opensOnlyAnExistingFileAndCreatesOnlyANewOne() throws Exception {
        Path file = dir.resolve("keys.p12");

        assertThatThrownBy(() -> Pkcs12KeyVault.open(file, password(PASSWORD), POLICY, clock))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.STORE_UNAVAILABLE));
        Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock).close();
        assertThatThrownBy(() -> Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.getMessage()).contains("exists already"));
    }

    @Test
    void readsThePasswordFromAnEnvironmentVariable() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AMTSBOTE_TEST_VAULT_PASSWORD") != null,
                "surefire sets AMTSBOTE_TEST_VAULT_PASSWORD");
        Path file = dir.resolve("keys.p12");
        Pkcs12KeyVault.create(file, SecretSource.environment("AMTSBOTE_TEST_VAULT_PASSWORD"), POLICY, clock).close();

        try (Pkcs12KeyVault vault = Pkcs12KeyVault.open(file, SecretSource.environment("AMTSBOTE_TEST_VAULT_PASSWORD"),
                POLICY, clock)) {
            assertThat(vault.list()).isEmpty();
        }
        assertThatThrownBy(() -> Pkcs12KeyVault.open(file, password(PASSWORD), POLICY, clock))
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WRONG_SECRET));
    }

    @Test
    void aChangeMadeByAnotherProcessIsSeenByTheNextCall() throws Exception {
        Path file = dir.resolve("keys.p12");
        try (Pkcs12KeyVault gateway = Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock);
             Pkcs12KeyVault cli = Pkcs12KeyVault.open(file, password(PASSWORD), POLICY, clock)) {
            assertThat(gateway.list()).isEmpty();

            KeyRef ref = activate(cli, "stadt-a", KeyPurpose.SIGNING);

            assertThat(gateway.list()).extracting(KeyInfo::ref).containsExactly(ref);
            assertThat(gateway.signingKey("stadt-a", KeyPurpose.SIGNING).ref()).isEqualTo(ref);
            KeyRef second = gateway.generate("stadt-b", KeyPurpose.SIGNING, KeySpec.ec("P-256"));
            assertThat(cli.list()).extracting(KeyInfo::ref).containsExactly(ref, second);
        }
    }

    @Test
    void namesAndListsShowNoKeyMaterial() throws Exception {
        Path file = dir.resolve("keys.p12");
        try (Pkcs12KeyVault vault = Pkcs12KeyVault.create(file, password(PASSWORD), POLICY, clock)) {
            activate(vault, "stadt-a", KeyPurpose.SIGNING);
            PrivateKeyHandle handle = vault.signingKey("stadt-a", KeyPurpose.SIGNING);
            java.math.BigInteger secret = ((ECPrivateKey) handle.jcaKey()).getS();

            List<String> shown = new ArrayList<>(List.of(handle.toString(), vault.toString()));
            vault.list().forEach(i -> shown.add(i.toString()));

            assertThat(shown).allSatisfy(text -> assertThat(text)
                    .doesNotContain(secret.toString(16), secret.toString(), PASSWORD));
            assertThat(handle.toString()).contains(handle.ref().id());
        }
    }

    private SecretSource password(String password) throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, password + "\n");
        return SecretSource.file(file);
    }

    private static KeyRef activate(KeyVault vault, String owner, KeyPurpose purpose) throws Exception {
        KeyRef ref = vault.generate(owner, purpose, KeySpec.ec("brainpoolP256r1"));
        vault.importCertificate(ref, ca.certify(Pem.readCsr(new StringReader(vault.csr(ref,
                CsrSubject.of("Stadt")))), IssueRequest.named(owner).profile(CertificateProfile.SIGNING)).chain());
        return ref;
    }

    private String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
