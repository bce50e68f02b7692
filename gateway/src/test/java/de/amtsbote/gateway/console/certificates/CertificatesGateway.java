package de.amtsbote.gateway.console.certificates;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ConsoleGateway;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestVault;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console gateway for the certificate tests, in a world of its own (database, key store), so that keys generated
 * here do not show up in other areas' tests: a PKI whose partner CA publishes OCSP (its issuer, the root, too), a
 * configured partner certificate that the CA has revoked and one that has expired, GreenMail as the SMTP server for expiry alert mails, a
 * client system with the role SECURITY_OFFICER, and own participants {@code amt-eins}, {@code amt-zwei},
 * {@code amt-drei} so that each test class generates keys for an owner of its own.
 */
public abstract class CertificatesGateway extends ConsoleGateway {

    protected static final String OFFICER_TOKEN = "so-" + UUID.randomUUID();
    protected static final String OFFICER_MAIL = "officer@bad-vilbel.example";
    protected static final Path CERT_WORLD = Fleet.temporaryDirectory("amtsbote-certificates-");
    protected static final TestVault CERT_VAULT;
    /** Answers OCSP for the root (about the partner CA) and for the partner CA (about partner certificates). */
    protected static final RevocationResponder ROOT_OCSP;
    protected static final RevocationResponder PARTNER_OCSP;
    /** A CA below the root whose certificates and own certificate carry OCSP addresses that answer. */
    protected static final CertificateAuthority PARTNER_CA;
    /** Kreis Bergstraße's configured S/MIME certificate, revoked by its CA a day ago. */
    protected static final X509Certificate KREIS_REVOKED;
    protected static final GreenMail SMTP;
    /** The configured certificate of partner {@code verband-alt}, which ended three days ago. */
    protected static final List<X509Certificate> EXPIRED_PARTNER;

    static {
        try {
            ROOT_OCSP = RevocationResponder.start(ROOT, Clock.systemUTC());
            PARTNER_CA = ROOT.intermediate(IssueRequest.named("Amtsbote Partner Test CA").key(KeySpec.ec("P-256"))
                    .validFor(Duration.ofDays(1825)).ocsp(ROOT_OCSP.ocspUrl()));
            PARTNER_OCSP = RevocationResponder.start(PARTNER_CA, Clock.systemUTC());
            List<X509Certificate> kreis = partnerCertificate("Kreis Bergstrasse",
                    "poststelle@kreis-bergstrasse.example", CertificateProfile.SIGNING_AND_ENCRYPTION,
                    Duration.ofDays(365));
            KREIS_REVOKED = kreis.get(0);
            PARTNER_OCSP.revoke(KREIS_REVOKED, Instant.now().minus(Duration.ofDays(1)));
            Pem.writeCertificates(CERT_WORLD.resolve("kreis.pem"), kreis);

            Instant now = Instant.now();
            EXPIRED_PARTNER = PARTNER_CA.issue(IssueRequest.named("Verband alt").email("poststelle@verband-alt.example")
                    .profile(CertificateProfile.ENCRYPTION).key(KeySpec.ec("P-256"))
                    .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(3)))
                    .ocsp(PARTNER_OCSP.ocspUrl())).chain();
            Pem.writeCertificates(CERT_WORLD.resolve("verband-alt.pem"), EXPIRED_PARTNER);

            CERT_VAULT = TestVault.createIn(CERT_WORLD);
            try (KeyVault keys = CERT_VAULT.open()) {
                TestVault.certify(keys, keys.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("P-256")), CA,
                        null, CertificateProfile.EVIDENCE, new CsrSubject("Amtsbote Test", "Amtsbote evidence",
                                List.of()));
            }
            SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            SMTP.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the certificates test world", e);
        }
    }

    @DynamicPropertySource
    static void certificatesWorld(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", () -> CERT_WORLD.resolve("data").toString());
        CERT_VAULT.properties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.participants[2].certificates.smime", () -> CERT_WORLD.resolve("kreis.pem").toString());
        ownParticipant(p, 4, "amt-eins");
        ownParticipant(p, 5, "amt-zwei");
        ownParticipant(p, 6, "amt-drei");
        p.add("amtsbote.participants[7].id", () -> "verband-alt");
        p.add("amtsbote.participants[7].addresses[0]", () -> "smime:poststelle@verband-alt.example");
        p.add("amtsbote.participants[7].certificates.smime", () -> CERT_WORLD.resolve("verband-alt.pem").toString());
        p.add("amtsbote.clients[3].id", () -> "sicherheit");
        p.add("amtsbote.clients[3].token-sha256", () -> ClientRegistry.digestOf(OFFICER_TOKEN));
        p.add("amtsbote.clients[3].roles[0]", () -> "SECURITY_OFFICER");
        p.add("amtsbote.certificates.alert-mail.host", () -> "127.0.0.1");
        p.add("amtsbote.certificates.alert-mail.port", () -> Integer.toString(SMTP.getSmtp().getPort()));
        p.add("amtsbote.certificates.alert-mail.from", () -> "amtsbote@bad-vilbel.example");
        p.add("amtsbote.console.users[0].email", () -> OFFICER_MAIL);
    }

    private static void ownParticipant(DynamicPropertyRegistry p, int i, String id) {
        p.add("amtsbote.participants[" + i + "].id", () -> id);
        p.add("amtsbote.participants[" + i + "].name", () -> "Test-Amt " + id);
        p.add("amtsbote.participants[" + i + "].own", () -> "true");
        p.add("amtsbote.participants[" + i + "].addresses[0]", () -> "loopback:" + id + "@gateway");
    }

    /** A partner certificate from the partner CA with a working OCSP address, valid from now for {@code validity}. */
    protected static List<X509Certificate> partnerCertificate(String name, String email, CertificateProfile profile,
                                                              Duration validity) throws Exception {
        return PARTNER_CA.issue(IssueRequest.named(name).organization("Partner " + name).email(email)
                .profile(profile).key(KeySpec.ec("P-256")).validFor(validity).ocsp(PARTNER_OCSP.ocspUrl())).chain();
    }

    /** The PEM text of a certificate chain, as an officer would paste it. */
    protected static String pem(List<X509Certificate> chain) {
        return Pem.encode(chain.toArray());
    }

    /**
     * Certifies a certificate request (PEM) with the console test CA, as a certification authority would, for the
     * given profile and validity, and returns the chain to import (certificate, intermediate CA, root).
     */
    protected static List<X509Certificate> issueFor(String csrPem, CertificateProfile profile, Duration validity)
            throws Exception {
        return CA.certify(Pem.readCsr(new StringReader(csrPem)), IssueRequest.named("unused").profile(profile)
                .validFor(validity)).chain();
    }

    /** Counts the audit entries of an action (optionally: whose subjects contain a text). */
    protected long audited(String action, String subjectContains) {
        return jdbc.sql("select count(*) from audit_entry where action = :a and subjects like :s")
                .param("a", action).param("s", "%" + subjectContains + "%").query(Long.class).single();
    }
}
