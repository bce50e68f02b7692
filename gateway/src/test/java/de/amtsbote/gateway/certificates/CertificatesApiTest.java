package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.cli.AmtsboteCli;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.gateway.console.certificates.CertificatesGateway;
import de.amtsbote.gateway.testing.ApiClient.Response;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The certificate API for scripts, and {@code ./amtsbote certificates} on top of it. */
class CertificatesApiTest extends CertificatesGateway {

    @Test
    void onlySecurityOfficerClientsReadTheInventoryAndItHoldsNoKeyMaterial() {
        assertThat(client(null).get("/api/v1/certificates").status()).isEqualTo(401);
        assertThat(badVilbel().get("/api/v1/certificates").status()).isEqualTo(403);

        Response r = client(OFFICER_TOKEN).get("/api/v1/certificates");

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("expiryWarningDays").asLong()).isEqualTo(30);
        assertThat(StreamSupport.stream(body.get("ownKeys").spliterator(), false))
                .anySatisfy(k -> {
                    assertThat(k.get("owner").asString()).isEqualTo("gateway");
                    assertThat(k.get("purpose").asString()).isEqualTo("EVIDENCE");
                    assertThat(k.get("state").asString()).isEqualTo("ACTIVE");
                    assertThat(k.get("status").asString()).isEqualTo("VALID");
                    assertThat(k.get("notAfter").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                });
        assertThat(StreamSupport.stream(body.get("partnerCertificates").spliterator(), false))
                .anySatisfy(p -> {
                    assertThat(p.get("address").asString()).isEqualTo("smime:poststelle@kreis-bergstrasse.example");
                    assertThat(p.get("source").asString()).isEqualTo("CONFIGURED");
                });
        assertThat(r.text()).doesNotContain("PRIVATE", "BEGIN");
    }

    @Test
    void expiringListsOnlyWhatIsInUseAndEndsWithinTheWarning() throws Exception {
        Response imported = importPartner(OFFICER_TOKEN, "smime:drei-tage@partner.example",
                pem(partnerCertificate("Drei Tage", "drei-tage@partner.example", CertificateProfile.ENCRYPTION,
                        Duration.ofDays(3))));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);

        JsonNode body = client(OFFICER_TOKEN).get("/api/v1/certificates?expiring=true").json();

        assertThat(StreamSupport.stream(body.get("partnerCertificates").spliterator(), false)
                .map(p -> p.get("address").asString())).contains("smime:drei-tage@partner.example",
                "smime:poststelle@verband-alt.example").doesNotContain("smime:poststelle@kreis-bergstrasse.example");
        assertThat(StreamSupport.stream(body.get("partnerCertificates").spliterator(), false)
                .map(p -> p.get("status").asString())).allMatch(s -> s.equals("EXPIRING") || s.equals("EXPIRED"));
        assertThat(body.get("counts").get("expired").asLong()).isPositive();
    }

    @Test
    void refusedImportsAreProblemsNamingTheReasonAndStoreNothing() throws Exception {
        long rows = rows();
        long audits = audited("partner-certificate.import", "");
        CertificateAuthority stranger = CertificateAuthority.root("Stranger", KeySpec.ec("P-256"), Clock.systemUTC());
        String unknownCa = pem(stranger.issue(IssueRequest.named("x").email("x@stranger.example")
                .profile(CertificateProfile.ENCRYPTION).key(KeySpec.ec("P-256"))).chain());

        Response malformed = importPartner(OFFICER_TOKEN, "smime:a@partner.example", "no certificate here");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:malformed-request");
        assertThat(malformed.json().get("reason").asString()).isEqualTo("MALFORMED_PEM");

        Response untrusted = importPartner(OFFICER_TOKEN, "smime:x@stranger.example", unknownCa);
        assertThat(untrusted.status()).isEqualTo(422);
        assertThat(untrusted.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:certificate-refused");
        assertThat(untrusted.json().get("reason").asString()).isEqualTo("UNKNOWN_CA");
        assertThat(untrusted.json().get("detail").asString()).contains("CN=x");

        Response noAddress = importPartner(OFFICER_TOKEN, "", unknownCa);
        assertThat(noAddress.json().get("reason").asString()).isEqualTo("MALFORMED_ADDRESS");
        assertThat(importPartner(BAD_VILBEL_TOKEN, "smime:x@stranger.example", unknownCa).status()).isEqualTo(403);

        assertThat(rows()).isEqualTo(rows);
        assertThat(audited("partner-certificate.import", "")).isEqualTo(audits);
    }

    @Test
    void anImportIsAuditedAsTheClientSystem() throws Exception {
        Response r = importPartner(OFFICER_TOKEN, "smime:api@partner.example", pem(partnerCertificate("Api",
                "api@partner.example", CertificateProfile.ENCRYPTION, Duration.ofDays(200))));

        assertThat(r.status()).isEqualTo(201);
        JsonNode p = r.json();
        assertThat(p.get("source").asString()).isEqualTo("IMPORTED");
        assertThat(p.get("current").asBoolean()).isTrue();
        assertThat(p.get("importedBy").asString()).isEqualTo("sicherheit");
        String fingerprint = p.get("fingerprint").asString();
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'partner-certificate.import'"
                        + " and actor_kind = 'CLIENT' and actor_id = 'sicherheit' and subjects = :s")
                .param("s", "certificate:" + fingerprint).query(Long.class).single()).isOne();
        assertThat(client(OFFICER_TOKEN).get("/api/v1/certificates/partners/" + fingerprint).json().get(0)
                .get("address").asString()).isEqualTo("smime:api@partner.example");
        assertThat(client(OFFICER_TOKEN).get("/api/v1/certificates/partners/00ff").status()).isEqualTo(404);
    }

    @Test
    void theCommandLineListsAndImportsThroughTheApi() throws Exception {
        Path dir = Files.createTempDirectory(CERT_WORLD, "cli-");
        Path good = dir.resolve("good.pem");
        Files.writeString(good, pem(partnerCertificate("Cli", "cli@partner.example", CertificateProfile.ENCRYPTION,
                Duration.ofDays(200))));
        Path signing = dir.resolve("signing.pem");
        Files.writeString(signing, pem(partnerCertificate("Cli Signer", "cli-signer@partner.example",
                CertificateProfile.SIGNING, Duration.ofDays(200))));

        Cli imported = cli("certificates", "import-partner", "--address", "smime:cli@partner.example",
                good.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported CN=Cli", "for smime:cli@partner.example");

        Cli refused = cli("certificates", "import-partner", "--address", "smime:cli-signer@partner.example",
                signing.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("refused (WRONG_KEY_USAGE)");

        Cli list = cli("certificates", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("KIND\tOWNER/ADDRESS", "own\tgateway\tEVIDENCE\tACTIVE\tVALID",
                "partner\tsmime:cli@partner.example\tIMPORTED\tIN_USE\tVALID");

        Cli expiring = cli("certificates", "list", "--expiring");
        assertThat(expiring.exit()).as("verband-alt's configured certificate has expired").isEqualTo(1);
        assertThat(expiring.out()).contains("smime:poststelle@verband-alt.example\tCONFIGURED\tIN_USE\tEXPIRED")
                .doesNotContain("smime:cli@partner.example");

        Cli missing = cli("certificates", "import-partner", "--address", "smime:x@partner.example",
                dir.resolve("missing.pem").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Cli notAllowed = new Cli(BAD_VILBEL_TOKEN).run("certificates", "list");
        assertThat(notAllowed.exit()).isEqualTo(2);
        assertThat(notAllowed.err()).contains("may not use /api/v1/certificates");
    }

    private Cli cli(String... args) {
        return new Cli(OFFICER_TOKEN).run(args);
    }

    /** The CLI run in-process against this gateway with a token. */
    private final class Cli {
        private final String token;
        private int exit;
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();

        Cli(String token) {
            this.token = token;
        }

        Cli run(String... args) {
            String[] all = new String[args.length + 4];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--api";
            all[args.length + 1] = "http://127.0.0.1:" + port;
            all[args.length + 2] = "--token";
            all[args.length + 3] = token;
            exit = new CommandLine(new AmtsboteCli()).setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true)).execute(all);
            return this;
        }

        int exit() {
            return exit;
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }
    }

    private Response importPartner(String token, String address, String pem) {
        return client(token).send(client(token).request("/api/v1/certificates/partners?address="
                        + URLEncoder.encode(address, StandardCharsets.UTF_8))
                .header("Content-Type", "application/pem-certificate-chain")
                .POST(HttpRequest.BodyPublishers.ofString(pem)).build());
    }

    private long rows() {
        return jdbc.sql("select count(*) from partner_certificate").query(Long.class).single();
    }
}
