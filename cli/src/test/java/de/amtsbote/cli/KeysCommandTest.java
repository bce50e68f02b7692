package de.amtsbote.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./amtsbote keys ...} on a real PKCS#12 key store in a temporary directory; the certificate requests are
 * certified by a CA generated for the test, as a security officer would have them certified by the real one.
 */
class KeysCommandTest {

    private static CertificateAuthority ca;

    @TempDir
    Path dir;

    private Path store;
    private Path password;
    private final Terminal terminal = new Terminal();

    @BeforeAll
    static void makeCa() throws Exception {
        CertificateAuthority root = CertificateAuthority.root("Keys Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        ca = root.intermediate("Keys Test Issuing CA", KeySpec.ec("P-256"));
    }

    @BeforeEach
    void createStore() throws Exception {
        store = dir.resolve("keys.p12");
        password = dir.resolve("password");
        Files.writeString(password, "correct-horse-battery-staple-42\n");
        assertThat(run("keys", "create", "--key-store", store.toString(), "--password-file", password.toString()))
                .as(terminal.err()).isZero();
        assertThat(Files.exists(store)).isTrue();
    }

    @Test
    void aGeneratedKeyIsCertifiedThroughItsCsrAndListedActiveWithDaysLeft() throws Exception {
        String ref = generate("stadt-bad-vilbel", "SIGNING", "ec:P-256");
        assertThat(list()).contains(ref, "PENDING");

        Path csr = dir.resolve("signing.csr");
        assertThat(run(vault("keys", "csr", "--key", ref, "--organisation", "Stadt Bad Vilbel",
                "--common-name", "Poststelle", "--email", "poststelle@bad-vilbel.de", "-o", csr.toString())))
                .as(terminal.err()).isZero();
        assertThat(Files.readString(csr)).startsWith("-----BEGIN CERTIFICATE REQUEST-----");

        Path chain = certify(csr, CertificateProfile.SIGNING, Duration.ofDays(365));
        assertThat(run(vault("keys", "import", "--key", ref, "--chain", chain.toString()))).as(terminal.err())
                .isZero();
        assertThat(terminal.out()).contains("ACTIVE");

        String listing = list();
        String line = lineOf(listing, ref);
        assertThat(line).contains("stadt-bad-vilbel", "SIGNING", "ACTIVE", "EC P-256", "CN=Poststelle",
                "O=Stadt Bad Vilbel");
        // validity from a minute ago for 365 days: 364 whole days left
        assertThat(line).endsWith("\t364");
        assertThat(run(vault("keys", "list", "--expiring", "30"))).isZero();
        assertThat(terminal.out()).contains("no key in use expires within 30 days");
    }

    @Test
    void expiringFindsAShortLivedCertificateAndExitsOne() throws Exception {
        String shortLived = activate("gateway", "EVIDENCE", CertificateProfile.EVIDENCE, Duration.ofDays(5));
        String longLived = activate("stadt-bad-vilbel", "SIGNING", CertificateProfile.SIGNING, Duration.ofDays(400));

        assertThat(run(vault("keys", "list", "--expiring", "30"))).isEqualTo(1);
        assertThat(terminal.out()).contains(shortLived).doesNotContain(longLived);
        assertThat(lineOf(terminal.out(), shortLived)).endsWith("\t4");

        assertThat(run(vault("keys", "list", "--expiring", "3"))).isZero();
    }

    @Test
    void aRetiredKeyIsListedRetiredAndNoLongerExpiring() throws Exception {
        String ref = activate("gateway", "EVIDENCE", CertificateProfile.EVIDENCE, Duration.ofDays(5));
        assertThat(run(vault("keys", "retire", "--key", ref))).as(terminal.err()).isZero();
        assertThat(lineOf(list(), ref)).contains("RETIRED");
        assertThat(run(vault("keys", "list", "--expiring", "30"))).isZero();
    }

    @Test
    void aWrongPasswordFileIsAnErrorNamingIt() throws Exception {
        Path wrong = dir.resolve("wrong-password");
        Files.writeString(wrong, "not-the-password-of-this-store");
        assertThat(run("keys", "list", "--key-store", store.toString(), "--password-file", wrong.toString()))
                .isEqualTo(2);
        assertThat(terminal.err()).contains("wrong secret");

        assertThat(run("keys", "list", "--key-store", store.toString(), "--password-file",
                dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("secret file", "does not exist");
    }

    @Test
    void aMissingKeyStoreIsAnErrorNamingTheFile() {
        Path missing = dir.resolve("nowhere.p12");
        assertThat(run("keys", "list", "--key-store", missing.toString(), "--password-file", password.toString()))
                .isEqualTo(2);
        assertThat(terminal.err()).contains("store unavailable", "nowhere.p12", "does not exist");
    }

    @Test
    void aKeyThePolicyRefusesIsNotGenerated() throws Exception {
        assertThat(run(vault("keys", "generate", "--owner", "stadt-bad-vilbel", "--purpose", "SIGNING",
                "--key", "rsa:2048"))).isEqualTo(1);
        assertThat(terminal.err()).contains("refused by the algorithm policy", "KEY_TOO_SHORT");
        assertThat(list()).contains("no keys in");

        assertThat(run(vault("keys", "generate", "--owner", "x", "--purpose", "SIGNING", "--key", "dsa"))).isEqualTo(2);
        assertThat(terminal.err()).contains("not a key specification");
    }

    @Test
    void aCertificateForAnotherKeyIsRefusedAndTheKeyStaysPending() throws Exception {
        String ref = generate("stadt-bad-vilbel", "SIGNING", "ec:P-256");
        IssuedCertificate other = ca.issue(IssueRequest.named("Someone Else").key(KeySpec.ec("P-256"))
                .profile(CertificateProfile.SIGNING));
        Path chain = dir.resolve("other.pem");
        Pem.writeCertificates(chain, other.chain());

        assertThat(run(vault("keys", "import", "--key", ref, "--chain", chain.toString()))).isEqualTo(1);
        assertThat(terminal.err()).contains("key mismatch");
        assertThat(lineOf(list(), ref)).contains("PENDING");
    }

    @Test
    void anUnknownKeyReferenceIsAnError() {
        assertThat(run(vault("keys", "retire", "--key", "no-such-key"))).isEqualTo(2);
        assertThat(terminal.err()).contains("no key 'no-such-key'");
    }

    @Test
    void aRotatedKeyTakesOverAndTheOldOneStaysInOverlapUntilTheGivenTime() throws Exception {
        String old = activate("stadt-bad-vilbel", "ENCRYPTION", CertificateProfile.ENCRYPTION, Duration.ofDays(400));

        assertThat(run(vault("keys", "rotate", "stadt-bad-vilbel", "ENCRYPTION", "--overlap", "30d", "--key-spec",
                "ec:P-256"))).as(terminal.err()).isZero();
        String successor = terminal.out().strip();
        assertThat(successor).isNotEqualTo(old).contains("stadt-bad-vilbel");
        String pending = list();
        assertThat(lineOf(pending, successor)).contains("PENDING");
        assertThat(lineOf(pending, old)).as("the active key works on until the successor's import").contains("ACTIVE");

        Path csr = dir.resolve("successor.csr");
        assertThat(run(vault("keys", "csr", "--key", successor, "--organisation", "Stadt Bad Vilbel", "--common-name",
                "Poststelle", "-o", csr.toString()))).as(terminal.err()).isZero();
        Instant imported = Instant.now();
        assertThat(run(vault("keys", "import", "--key", successor, "--chain",
                certify(csr, CertificateProfile.ENCRYPTION, Duration.ofDays(365)).toString()))).as(terminal.err())
                .isZero();

        String listing = list();
        assertThat(lineOf(listing, successor)).contains("\tACTIVE\t", "EC P-256");
        String oldLine = lineOf(listing, old);
        assertThat(oldLine).contains("OVERLAP until ");
        Instant until = Instant.parse(oldLine.replaceAll(".*OVERLAP until (\\S+).*", "$1"));
        assertThat(until).isBetween(imported.plus(Duration.ofDays(30)).minusSeconds(5),
                Instant.now().plus(Duration.ofDays(30)));
    }

    @Test
    void rotateWithoutAnActiveKeyIsRefusedAndPointsToGenerate() {
        assertThat(run(vault("keys", "rotate", "stadt-bad-vilbel", "SIGNING", "--overlap", "30d"))).isEqualTo(1);
        assertThat(terminal.err()).contains("keys rotate: no active key:",
                "stadt-bad-vilbel has no active SIGNING key to rotate", "'keys generate'");
        assertThat(list()).contains("no keys in");
    }

    @Test
    void rotateRefusesAnOverlapThatIsNoDurationBeforeTouchingTheStore() throws Exception {
        String old = activate("gateway", "EVIDENCE", CertificateProfile.EVIDENCE, Duration.ofDays(100));

        assertThat(run(vault("keys", "rotate", "gateway", "EVIDENCE", "--overlap", "dreißig Tage"))).isEqualTo(2);
        assertThat(terminal.err()).contains("--overlap 'dreißig Tage' is not a duration");
        assertThat(run(vault("keys", "rotate", "gateway", "EVIDENCE", "--overlap", "-5d"))).isEqualTo(2);
        assertThat(run(vault("keys", "rotate", "gateway", "EVIDENCE"))).as("--overlap is required").isEqualTo(2);
        assertThat(terminal.err()).contains("Missing required option: '--overlap=DURATION'");
        assertThat(list().lines().filter(l -> l.startsWith("gateway")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains(old, "ACTIVE"));
    }

    @Test
    void overlapsAreReadInDaysHoursMinutesOrIso() {
        assertThat(KeysCommand.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(KeysCommand.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(KeysCommand.parseDuration("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(KeysCommand.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(KeysCommand.parseDuration("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(KeysCommand.parseDuration("pt36h")).isEqualTo(Duration.ofHours(36));
    }

    // ------------------------------------------------------------------ helpers

    /** Generates, requests and imports: the reference of an active key whose certificate is valid for so long. */
    private String activate(String owner, String purpose, CertificateProfile profile, Duration validity)
            throws Exception {
        String ref = generate(owner, purpose, "ec:P-256");
        Path csr = dir.resolve(ref + ".csr");
        assertThat(run(vault("keys", "csr", "--key", ref, "--organisation", "Amtsbote Test", "--common-name", owner,
                "-o", csr.toString()))).as(terminal.err()).isZero();
        assertThat(run(vault("keys", "import", "--key", ref, "--chain", certify(csr, profile, validity).toString())))
                .as(terminal.err()).isZero();
        return ref;
    }

    private String generate(String owner, String purpose, String key) {
        assertThat(run(vault("keys", "generate", "--owner", owner, "--purpose", purpose, "--key", key)))
                .as(terminal.err()).isZero();
        return terminal.out().strip();
    }

    private Path certify(Path csrFile, CertificateProfile profile, Duration validity) throws Exception {
        PKCS10CertificationRequest csr;
        try (Reader reader = Files.newBufferedReader(csrFile, UTF_8)) {
            csr = Pem.readCsr(reader);
        }
        IssuedCertificate issued = ca.certify(csr, IssueRequest.named("ignored").profile(profile).validFor(validity));
        Path chain = dir.resolve(csrFile.getFileName() + ".chain.pem");
        Pem.writeCertificates(chain, issued.chain());
        return chain;
    }

    private String list() {
        assertThat(run(vault("keys", "list"))).as(terminal.err()).isZero();
        return terminal.out();
    }

    private static String lineOf(String listing, String ref) {
        return listing.lines().filter(l -> l.contains(ref)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + ref + " in:\n" + listing));
    }

    private String[] vault(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--key-store", store.toString(), "--password-file", password.toString()));
        return all.toArray(String[]::new);
    }

    private int run(String... args) {
        terminal.clear();
        return terminal.run(args);
    }
}
