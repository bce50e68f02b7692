package de.amtsbote.gateway.testing;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A {@link RunningGateway} for the console, with a database of its own: a PKCS#12 key store with the gateway's evidence key, certified by a test
 * CA that is the trust anchor, and three people, one per role, plus one who holds two roles. Console test classes
 * extending this share one Spring context. Passwords are hashed with bcrypt at a low cost, so logins are quick.
 */
public abstract class ConsoleGateway extends RunningGateway {

    public static final String OFFICER = "s.officer";
    public static final String OPERATOR = "o.operator";
    public static final String AUDITOR = "a.auditor";
    public static final String PASSWORD = "correct horse battery staple";

    protected static final Path WORLD = Fleet.temporaryDirectory("amtsbote-console-");
    protected static final Path ANCHOR = WORLD.resolve("ca.pem");
    /** The root CA (the trust anchor) and the CA that issues the gateway's and the partners' certificates. */
    protected static final CertificateAuthority ROOT;
    protected static final CertificateAuthority CA;
    protected static final TestVault VAULT;

    static {
        try {
            ROOT = CertificateAuthority.root("Amtsbote Console Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
            CA = ROOT.intermediate("Amtsbote Console Test CA", KeySpec.ec("P-256"));
            Pem.writeCertificate(ANCHOR, ROOT.certificate());
            VAULT = TestVault.createIn(WORLD);
            try (KeyVault keys = VAULT.open()) {
                TestVault.certify(keys, keys.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("P-256")), CA,
                        URI.create("http://127.0.0.1:1/ocsp"), CertificateProfile.EVIDENCE,
                        new CsrSubject("Amtsbote Test", "Amtsbote evidence", List.of()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the console test world", e);
        }
    }

    @DynamicPropertySource
    static void console(DynamicPropertyRegistry p) {
        // a database of its own: gateways without a key store write unsigned audit checkpoints, which the auditor's
        // chain verification rightly reports
        p.add("amtsbote.storage.directory", () -> WORLD.resolve("data").toString());
        VAULT.properties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.crypto.trust-anchors[0]", ANCHOR::toString);
        p.add("amtsbote.crypto.revocation.soft-fail", () -> "true");
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
        user(p, 0, OFFICER, hash, "SECURITY_OFFICER");
        user(p, 1, OPERATOR, hash, "OPERATOR");
        user(p, 2, AUDITOR, hash, "AUDITOR");
        user(p, 3, "o.both", hash, "OPERATOR", "AUDITOR");
        p.add("amtsbote.console.users[0].email", () -> "officer@bad-vilbel.example");
        p.add("amtsbote.console.max-failed-logins", () -> "3");
    }

    private static void user(DynamicPropertyRegistry p, int i, String name, String hash, String... roles) {
        p.add("amtsbote.console.users[" + i + "].name", () -> name);
        p.add("amtsbote.console.users[" + i + "].password-hash", () -> hash);
        for (int r = 0; r < roles.length; r++) {
            String role = roles[r];
            p.add("amtsbote.console.users[" + i + "].roles[" + r + "]", () -> role);
        }
    }

    protected URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A logged-in HTTP session of the person, without a browser. */
    protected ConsoleSession session(String user) {
        return ConsoleSession.login(base(), user, PASSWORD);
    }
}
