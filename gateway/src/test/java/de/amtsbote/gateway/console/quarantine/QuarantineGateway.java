package de.amtsbote.gateway.console.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.certificates.TrustAnchor;
import de.amtsbote.gateway.certificates.TrustAnchors;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ConsoleSession;
import de.amtsbote.gateway.testing.Eventually;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestVault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.subethamail.smtp.client.SMTPException;
import org.subethamail.smtp.client.SmartClient;

/**
 * A gateway with the S/MIME channel listening for mail, console users per role, and a partner whose CA the gateway
 * does not trust (yet): the world of the quarantine tests. Mail is made by the real {@code openssl cms} (signed by the
 * partner, encrypted for our participant) and sent over SMTP to the gateway's listener, as a partner's mail server
 * would. Test classes extending this share one Spring context.
 *
 * <p>How the partner's CA becomes trusted: as in production, the security officer adds it as a trust anchor in the
 * console ({@link #trustThePartnersCa()}); the gateway's one validator sees it at once. The quarantine's operator then
 * releases the message, and the channel's unchanged checks pass.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class QuarantineGateway {

    static final String OPERATOR = "o.operator";
    static final String AUDITOR = "a.auditor";
    static final String OFFICER = "s.officer";
    static final String PASSWORD = "correct horse battery staple";
    static final String OWN = "stadt-bad-vilbel";
    static final String OWN_ADDRESS = "poststelle@bad-vilbel.example";
    static final String LORSCH = "buergerbuero@lorsch.example";
    static final String TOKEN = "bv-" + UUID.randomUUID();
    static final Duration WAIT = Duration.ofSeconds(30);

    static final Path WORLD = Fleet.temporaryDirectory("amtsbote-quarantine-");
    /** The gateway's CA (trusted) and the partner's (not trusted until {@link #trustThePartnersCa()}). */
    static final CertificateAuthority CA;
    static final CertificateAuthority PARTNER_CA;
    static final RevocationResponder OCSP;
    static final RevocationResponder PARTNER_OCSP;
    static final Path ANCHOR;
    static final Path OWN_ENCRYPTION_PEM;
    static final Path LORSCH_CERT;
    static final Path LORSCH_KEY;
    static final TestVault VAULT;
    static final int SMTP_PORT;

    static {
        try {
            Clock clock = Clock.systemUTC();
            CA = CertificateAuthority.root("Amtsbote Quarantäne Test-CA", KeySpec.ec("P-256"), clock);
            OCSP = RevocationResponder.start(CA, clock);
            ANCHOR = WORLD.resolve("ca.pem");
            Pem.writeCertificate(ANCHOR, CA.certificate());
            VAULT = TestVault.createIn(WORLD);
            try (KeyVault keys = VAULT.open()) {
                CsrSubject subject = new CsrSubject("Magistrat der Stadt Bad Vilbel", "Poststelle",
                        List.of(OWN_ADDRESS));
                TestVault.certify(keys, keys.generate(OWN, KeyPurpose.SIGNING, KeySpec.ec("P-256")), CA,
                        OCSP.ocspUrl(), CertificateProfile.SIGNING, subject);
                List<X509Certificate> encryption = TestVault.certify(keys, keys.generate(OWN,
                        KeyPurpose.ENCRYPTION, KeySpec.rsaDefault()), CA, OCSP.ocspUrl(),
                        CertificateProfile.ENCRYPTION, subject);
                OWN_ENCRYPTION_PEM = WORLD.resolve("bad-vilbel-encryption.pem");
                Pem.writeCertificate(OWN_ENCRYPTION_PEM, encryption.get(0));
                TestVault.certifyEvidenceKey(keys, CA, OCSP.ocspUrl());
            }
            PARTNER_CA = CertificateAuthority.root("Kommunale Partner-CA Lorsch", KeySpec.ec("P-256"), clock);
            PARTNER_OCSP = RevocationResponder.start(PARTNER_CA, clock);
            IssuedCertificate lorsch = PARTNER_CA.issue(IssueRequest.named("Stadt Lorsch, Bürgerbüro")
                    .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256")).email(LORSCH)
                    .ocsp(PARTNER_OCSP.ocspUrl()));
            LORSCH_CERT = WORLD.resolve("lorsch.pem");
            LORSCH_KEY = WORLD.resolve("lorsch.key");
            Pem.writeCertificate(LORSCH_CERT, lorsch.certificate());
            Pem.writeTestPrivateKey(LORSCH_KEY, lorsch.privateKey());
            try (ServerSocket s = new ServerSocket(0)) {
                SMTP_PORT = s.getLocalPort();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the quarantine test world", e);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TrustAnchors anchors;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", () -> WORLD.resolve("gateway").toString());
        p.add("amtsbote.node-id", () -> "quarantine-test");
        VAULT.properties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.crypto.trust-anchors[0]", ANCHOR::toString);
        p.add("amtsbote.participants[0].id", () -> OWN);
        p.add("amtsbote.participants[0].name", () -> "Magistrat der Stadt Bad Vilbel");
        p.add("amtsbote.participants[0].own", () -> "true");
        p.add("amtsbote.participants[0].addresses[0]", () -> "smime:" + OWN_ADDRESS);
        p.add("amtsbote.clients[0].id", () -> "fachverfahren-bad-vilbel");
        p.add("amtsbote.clients[0].token-sha256", () -> ClientRegistry.digestOf(TOKEN));
        p.add("amtsbote.clients[0].participants[0]", () -> OWN);
        p.add("amtsbote.channels.smime.listen.port", () -> Integer.toString(SMTP_PORT));
        p.add("amtsbote.channels.smime.spool-dir", () -> WORLD.resolve("spool").toString());
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
        user(p, 0, OFFICER, hash, "SECURITY_OFFICER");
        user(p, 1, OPERATOR, hash, "OPERATOR");
        user(p, 2, AUDITOR, hash, "AUDITOR");
    }

    private static void user(DynamicPropertyRegistry p, int i, String name, String hash, String role) {
        p.add("amtsbote.console.users[" + i + "].name", () -> name);
        p.add("amtsbote.console.users[" + i + "].password-hash", () -> hash);
        p.add("amtsbote.console.users[" + i + "].roles[0]", () -> role);
    }

    // ------------------------------------------------------------------ the cure

    /** The security officer adds the partner's CA as a trust anchor in the console. */
    void trustThePartnersCa() {
        var r = session(OFFICER).post("/console/certificates/trust", java.util.Map.of(
                "pem", Pem.encode(PARTNER_CA.certificate()), "reason", "Partnerschaft mit der Stadt Lorsch"));
        if (r.statusCode() != 302 || partnerAnchor().isEmpty()) {
            throw new AssertionError("the officer could not add the partner's CA: " + r.statusCode() + " " + r.body());
        }
    }

    /** The officer removes it again, so that each story starts with an untrusted partner. */
    void distrustThePartnersCa() {
        partnerAnchor().ifPresent(a -> session(OFFICER).post("/console/certificates/trust/" + a.fingerprint()
                + "/remove", java.util.Map.of("reason", "Ende des Tests")));
        if (partnerAnchor().isPresent()) {
            throw new AssertionError("the partner's CA is still trusted");
        }
    }

    private java.util.Optional<TrustAnchor> partnerAnchor() {
        return anchors.inForce().stream().filter(a -> a.certificate().equals(PARTNER_CA.certificate())).findFirst();
    }

    // ------------------------------------------------------------------ helpers

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    ConsoleSession session(String user) {
        return ConsoleSession.login(base(), user, PASSWORD);
    }

    ApiClient api() {
        return new ApiClient(base(), TOKEN);
    }

    /** A mail from Lorsch as its mail server sends it: signed by its certificate, encrypted for our participant. */
    record SentMail(String messageId, String subject) {
    }

    /** Makes and sends a mail from Lorsch to our participant; the subject header is written as given. */
    SentMail sendFromLorsch(String subjectHeader, String subject) throws Exception {
        Path dir = Files.createTempDirectory(WORLD, "mail");
        Files.writeString(dir.resolve("entity.txt"), "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nSehr geehrte Damen und Herren,\r\nanbei unser Antrag auf"
                + " Akteneinsicht.\r\n", StandardCharsets.UTF_8);
        openssl(dir, "cms", "-sign", "-md", "sha256", "-in", "entity.txt", "-signer", LORSCH_CERT.toString(),
                "-inkey", LORSCH_KEY.toString(), "-out", "signed.eml");
        openssl(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "signed.eml", "-out", "encrypted.eml",
                "-recip", OWN_ENCRYPTION_PEM.toString(), "-keyopt", "rsa_padding_mode:oaep",
                "-keyopt", "rsa_oaep_md:sha256");
        String messageId = "<" + UUID.randomUUID() + "@lorsch.example>";
        String entity = Files.readString(dir.resolve("encrypted.eml"), StandardCharsets.US_ASCII)
                .replace("\r\n", "\n").replace("\n", "\r\n");
        if (entity.startsWith("MIME-Version: 1.0\r\n")) {
            entity = entity.substring("MIME-Version: 1.0\r\n".length());
        }
        String mail = "From: Stadt Lorsch <" + LORSCH + ">\r\n"
                + "To: " + OWN_ADDRESS + "\r\n"
                + "Subject: " + subjectHeader + "\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n" + entity;
        send(mail.getBytes(StandardCharsets.ISO_8859_1));
        return new SentMail(messageId, subject);
    }

    SentMail sendFromLorsch(String subject) throws Exception {
        return sendFromLorsch(subject, subject);
    }

    /** Sends raw bytes to the gateway's SMTP listener, for our participant; the reply must be 250. */
    void send(byte[] mail) throws IOException {
        SmartClient client = SmartClient.createAndConnect("127.0.0.1", SMTP_PORT, Optional.empty(), "lorsch.example",
                Optional.empty(), Optional.empty());
        try {
            client.from(LORSCH);
            client.to(OWN_ADDRESS);
            client.dataStart();
            client.dataWrite(mail);
            client.dataEnd();
        } catch (SMTPException e) {
            throw new AssertionError("the gateway refused the mail: " + e.getResponse(), e);
        } finally {
            client.quit();
        }
    }

    /** Waits until the mail is quarantined and returns its entry's id. */
    String awaitQuarantined(SentMail mail) {
        Eventually.await(mail.messageId() + " is quarantined", WAIT, () -> quarantineId(mail).isPresent());
        return quarantineId(mail).orElseThrow();
    }

    Optional<String> quarantineId(SentMail mail) {
        return jdbc.sql("select id from quarantine where channel = 'smime' and transport_id = :t")
                .param("t", mail.messageId()).query(String.class).optional();
    }

    String column(String id, String column) {
        return jdbc.sql("select " + column + " from quarantine where id = :id").param("id", id)
                .query(String.class).single();
    }

    /** The inbox entries (GET /api/v1/inbox) with this subject. */
    List<String> inboxIdsWithSubject(String subject) {
        List<String> ids = new ArrayList<>();
        api().get("/api/v1/inbox?limit=200").json().get("items").forEach(m -> {
            if (m.get("subject").asString().equals(subject)) {
                ids.add(m.get("id").asString());
            }
        });
        return ids;
    }

    /** The audit entries of a person's action on this item: action and detail, oldest first. */
    List<String> audit(String action, String id) {
        return jdbc.sql("""
                        select actor_kind, actor_id, detail from audit_entry
                        where action = :action and subjects = :subjects order by seq
                        """)
                .param("action", action).param("subjects", "quarantine:" + id)
                .query((rs, i) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)).list();
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
