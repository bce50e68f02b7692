package de.amtsbote.gateway.console.trust;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.cli.AmtsboteCli;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The trust anchors for scripting: the REST API and {@code ./amtsbote trust} against the running gateway. */
class TrustApiTest extends TrustGateway {

    private static final String API = "/api/v1/trust-anchors";
    private static final Path FILES = Fleet.temporaryDirectory("amtsbote-trust-cli-");

    @Autowired
    CertificateValidator validator;

    @Test
    void listsTheConfiguredAnchorWithItsFile() {
        JsonNode list = officer().get(API).json();
        JsonNode configured = find(list.get("anchors"), configuredFingerprint());
        assertThat(configured.get("source").asString()).isEqualTo("CONFIGURATION");
        assertThat(configured.get("file").asString()).isEqualTo(ANCHOR.toString());
        assertThat(configured.get("subject").asString()).contains("Amtsbote Console Test Root");
        assertThat(configured.get("daysLeft").asLong()).isGreaterThan(3000);
    }

    @Test
    void addsAndRemovesAnAnchorAuditedAsTheClientSystem() {
        Stranger stranger = Stranger.create("API CA");
        ApiClient.Response added = addPem(stranger.rootPem(), "Ticket 12");

        assertThat(added.status()).isEqualTo(201);
        assertThat(added.location()).endsWith(API + "/" + stranger.fingerprint());
        assertThat(added.json().get("added").get("by").asString()).isEqualTo(OFFICER_CLIENT);
        assertThat(added.json().get("added").get("via").asString()).isEqualTo("API");
        assertThat(added.json().get("pem").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(stranger.validateWith(validator).valid()).isTrue();
        assertThat(audited("trust-anchor.add", stranger.fingerprint())).singleElement().satisfies(e -> assertThat(e)
                .startsWith("CLIENT " + OFFICER_CLIENT + " trust-anchor:" + stranger.fingerprint())
                .contains("Ticket 12"));
        assertThat(officer().get(API + "/" + stranger.fingerprint()).json().get("source").asString())
                .isEqualTo("MANAGED");

        ApiClient.Response removed = officer().send(officer().request(API + "/" + stranger.fingerprint()
                + "?reason=" + enc("Ticket 13")).DELETE().build());

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("removed").get("reason").asString()).isEqualTo("Ticket 13");
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(audited("trust-anchor.remove", stranger.fingerprint())).singleElement()
                .satisfies(e -> assertThat(e).startsWith("CLIENT " + OFFICER_CLIENT));
        assertThat(find(officer().get(API).json().get("removed"), stranger.fingerprint()).get("removed").get("by")
                .asString()).isEqualTo(OFFICER_CLIENT);
    }

    @Test
    void refusalsAreProblemDocumentsNamingTheReason() {
        ApiClient.Response notCa = addPem(endEntityPem(), "x");
        assertThat(notCa.status()).isEqualTo(422);
        assertThat(notCa.contentType()).startsWith("application/problem+json");
        assertThat(notCa.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:trust-anchor-refused");
        assertThat(notCa.json().get("reason").asString()).isEqualTo("NOT_A_CA");
        assertThat(notCa.json().get("detail").asString()).contains("is not a CA certificate");

        ApiClient.Response malformed = addPem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", "x");
        assertThat(malformed.json().get("reason").asString()).isEqualTo("MALFORMED_PEM");

        ApiClient.Response noReason = officer().send(officer().request(API).header("Content-Type",
                "application/x-pem-file").POST(HttpRequest.BodyPublishers.ofString(Stranger.create("R").rootPem()))
                .build());
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("detail").asString()).contains("reason");

        ApiClient.Response configured = officer().send(officer().request(API + "/" + configuredFingerprint()
                + "?reason=x").DELETE().build());
        assertThat(configured.status()).isEqualTo(409);
        assertThat(configured.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:trust-anchor-conflict");
        assertThat(configured.json().get("reason").asString()).isEqualTo("CONFIGURED");
        assertThat(configured.json().get("detail").asString()).contains(ANCHOR.toString());

        ApiClient.Response twice = addPem(de.amtsbote.crypto.pki.Pem.encode(ROOT.certificate()), "x");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("reason").asString()).isEqualTo("ALREADY_TRUSTED");

        ApiClient.Response unknown = officer().send(officer().request(API + "/" + "cd".repeat(32) + "?reason=x")
                .DELETE().build());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:not-found");
    }

    @Test
    void aClientWithoutTheRoleCannotReadOrChangeTheAnchors() {
        long generation = rows("select generation from trust_anchor_generation");
        ApiClient clerk = badVilbel();
        assertThat(clerk.get(API).status()).isEqualTo(403);
        ApiClient.Response post = clerk.send(clerk.request(API + "?reason=x").header("Content-Type",
                "application/x-pem-file").POST(HttpRequest.BodyPublishers.ofString(Stranger.create("Clerk CA")
                .rootPem())).build());
        assertThat(post.status()).isEqualTo(403);
        assertThat(rows("select generation from trust_anchor_generation")).isEqualTo(generation);
    }

    @Test
    void theCliListsAddsAndRemoves() throws Exception {
        Stranger stranger = Stranger.create("CLI CA");
        Path pem = Files.writeString(FILES.resolve("cli-ca.pem"), stranger.rootPem());

        Run add = cli("trust", "add", pem.toString(), "--reason", "per Skript aufgenommen");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("trust anchor added", stranger.fingerprint(), "CLI CA");
        assertThat(stranger.validateWith(validator).valid()).isTrue();

        Run list = cli("trust", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(configuredFingerprint(), "configured in " + ANCHOR, stranger.fingerprint(),
                "added by " + OFFICER_CLIENT + " via API", "per Skript aufgenommen");

        Run remove = cli("trust", "remove", stranger.fingerprint(), "--reason", "per Skript entfernt");
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(remove.out()).contains("trust anchor removed", "removed by " + OFFICER_CLIENT);
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(audited("trust-anchor.remove", stranger.fingerprint())).singleElement()
                .satisfies(e -> assertThat(e).contains("per Skript entfernt"));
    }

    @Test
    void theCliNamesRefusalsWithExitCodes() throws Exception {
        Path leaf = Files.writeString(FILES.resolve("leaf.pem"), endEntityPem());
        Run notCa = cli("trust", "add", leaf.toString(), "--reason", "x");
        assertThat(notCa.exit()).isEqualTo(1);
        assertThat(notCa.err()).contains("422", "is not a CA certificate", "[NOT_A_CA]");

        Run configured = cli("trust", "remove", configuredFingerprint(), "--reason", "x");
        assertThat(configured.exit()).isEqualTo(1);
        assertThat(configured.err()).contains("can only be removed there", "[CONFIGURED]");

        Run unknown = cli("trust", "remove", "ef".repeat(32), "--reason", "x");
        assertThat(unknown.exit()).isEqualTo(3);

        Run missing = cli("trust", "add", FILES.resolve("nicht-da.pem").toString(), "--reason", "x");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");

        Run wrongToken = cliWithToken(BAD_VILBEL_TOKEN, "trust", "list");
        assertThat(wrongToken.exit()).isEqualTo(2);
        assertThat(wrongToken.err()).contains("403");
    }

    private ApiClient officer() {
        return client(OFFICER_TOKEN);
    }

    private ApiClient.Response addPem(String pem, String reason) {
        ApiClient officer = officer();
        return officer.send(officer.request(API + "?reason=" + enc(reason)).header("Content-Type",
                "application/x-pem-file").POST(HttpRequest.BodyPublishers.ofString(pem)).build());
    }

    private static JsonNode find(JsonNode anchors, String fingerprint) {
        for (JsonNode a : anchors) {
            if (a.get("fingerprint").asString().equals(fingerprint)) {
                return a;
            }
        }
        throw new AssertionError("no anchor " + fingerprint + " in " + anchors);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        return cliWithToken(OFFICER_TOKEN, args);
    }

    private Run cliWithToken(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AmtsboteCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--api";
        all[args.length + 1] = base().toString();
        all[args.length + 2] = "--token";
        all[args.length + 3] = token;
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }
}
