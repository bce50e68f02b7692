package de.amtsbote.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.cli.AmtsboteCli;
import de.amtsbote.gateway.console.ConsoleProperties;
import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.ConsoleUsers;
import de.amtsbote.gateway.console.audit.AuditWorld;
import de.amtsbote.gateway.testing.MessagesApi;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import picocli.CommandLine;

/**
 * {@code ./amtsbote} against a running gateway, in process: send, status, evidence-bundle, verify-evidence on the
 * bundle's documents, audit verify fetching the export; each with the failure a user meets first (a bad token, an
 * unknown id). And the entry {@code console-user} prints is one the gateway's console accepts.
 */
class CommandLineAgainstGatewayTest extends AuditWorld {

    private static final Pattern ACCEPTED = Pattern.compile("accepted: (\\S+) \\(Idempotency-Key (\\S+)\\)");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AmtsboteCli()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String api() {
        return base().toString();
    }

    private String send(Path attachment) {
        Run r = run("send", "--api", api(), "--token", BAD_VILBEL_TOKEN, "--from", "stadt-bad-vilbel", "--to",
                "participant:kreis-bergstrasse", "--subject", "Bescheid über Gebühren", "--body", "Guten Tag",
                "--reference", "AZ 4711", "--attach", attachment.toString(), "--unsigned", "--unencrypted",
                "--receipts", "delivery");
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = ACCEPTED.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(r.out()).contains("participant:kreis-bergstrasse via loopback:poststelle@loopback.example: ");
        return m.group(1);
    }

    private Path attachment() throws Exception {
        Path file = WORLD.resolve("bescheid-" + UUID.randomUUID() + ".pdf");
        Files.write(file, "%PDF-1.7 Gebührenbescheid".getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void sendThenStatusShowTheDeliveryAndItsEvidence() throws Exception {
        String id = send(attachment());
        new MessagesApi(badVilbel(), Duration.ofSeconds(30)).awaitState(id, "DELIVERED");

        Run status = run("status", id, "--api", api(), "--token", BAD_VILBEL_TOKEN);

        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains(id + "  \"Bescheid über Gebühren\"  from stadt-bad-vilbel, accepted ",
                "  DELIVERED  loopback:poststelle@loopback.example  attempts 1", "evidence:", "SubmissionAcceptance",
                "DeliveryAcceptance");
    }

    @Test
    void sendingAgainWithTheSameIdempotencyKeyNamesTheEarlierMessage() throws Exception {
        Path file = attachment();
        Run first = run("send", "--api", api(), "--token", BAD_VILBEL_TOKEN, "--from", "stadt-bad-vilbel", "--to",
                "participant:kreis-bergstrasse", "--subject", "Wiederholt", "--attach", file.toString(), "--unsigned",
                "--unencrypted", "--idempotency-key", "cli-test-" + UUID.randomUUID());
        Matcher m = ACCEPTED.matcher(first.out());
        assertThat(m.find()).as(first.out() + first.err()).isTrue();

        Run again = run("send", "--api", api(), "--token", BAD_VILBEL_TOKEN, "--from", "stadt-bad-vilbel", "--to",
                "participant:kreis-bergstrasse", "--subject", "Wiederholt", "--attach", file.toString(), "--unsigned",
                "--unencrypted", "--idempotency-key", m.group(2));

        assertThat(again.exit()).isZero();
        assertThat(again.out()).startsWith("already accepted earlier: " + m.group(1));
    }

    @Test
    void sendWithABadTokenExitsTwoAndSaysWhy() throws Exception {
        long before = jdbc.sql("select count(*) from message").query(Long.class).single();

        Run r = run("send", "--api", api(), "--token", "not-a-token", "--from", "stadt-bad-vilbel", "--to",
                "participant:kreis-bergstrasse", "--subject", "x", "--attach", attachment().toString(), "--unsigned",
                "--unencrypted");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("refused: the bearer token is not valid");
        assertThat(jdbc.sql("select count(*) from message").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void sendForAParticipantTheClientMayNotActForIsRefused() throws Exception {
        Run r = run("send", "--api", api(), "--token", BAD_VILBEL_TOKEN, "--from", "stadt-viernheim", "--to",
                "participant:kreis-bergstrasse", "--subject", "x", "--attach", attachment().toString(), "--unsigned",
                "--unencrypted");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("refused: ").contains("stadt-viernheim");
    }

    @Test
    void statusOfAnUnknownMessageExitsThreeAndABadTokenTwo() {
        Run unknown = run("status", "0190-no-such-message", "--api", api(), "--token", BAD_VILBEL_TOKEN);
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("no message 0190-no-such-message");

        Run badToken = run("status", "0190-no-such-message", "--api", api(), "--token", "not-a-token");
        assertThat(badToken.exit()).isEqualTo(2);
        assertThat(badToken.err()).contains("the bearer token is not valid");
    }

    @Test
    void theEvidenceBundleOfASentMessageHoldsDocumentsThatVerifyEvidenceAccepts() throws Exception {
        String id = send(attachment());
        new MessagesApi(badVilbel(), Duration.ofSeconds(30)).awaitState(id, "DELIVERED");
        Path zip = WORLD.resolve("bundle-" + id + ".zip");

        Run bundle = run("evidence-bundle", id, "-o", zip.toString(), "--api", api(), "--token", BAD_VILBEL_TOKEN);

        assertThat(bundle.exit()).as(bundle.err()).isZero();
        assertThat(bundle.out()).contains("wrote " + zip);
        List<Path> documents = new ArrayList<>();
        Path dir = Files.createDirectories(WORLD.resolve("bundle-" + id));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().startsWith("evidence/") && e.getName().endsWith(".xml")) {
                    Path file = dir.resolve(e.getName().substring("evidence/".length()));
                    Files.copy(in, file);
                    documents.add(file);
                }
            }
        }
        assertThat(documents).hasSizeGreaterThanOrEqualTo(3);
        List<String> args = new ArrayList<>(List.of("verify-evidence"));
        documents.stream().sorted().forEach(p -> args.add(p.toString()));
        args.addAll(List.of("--trust", ANCHOR.toString()));

        Run verified = run(args.toArray(String[]::new));

        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("VALID", "event:    SubmissionAcceptance", "message:  " + id,
                "chain: " + documents.size() + " documents of message " + id);

        Run noTrust = run("verify-evidence", documents.get(0).toString(), "--trust", WORLD.resolve("missing.pem")
                .toString());
        assertThat(noTrust.exit()).isEqualTo(2);
        assertThat(noTrust.err()).contains("cannot use --trust");
    }

    @Test
    void theEvidenceBundleOfAnUnknownMessageExitsThree() {
        Path zip = WORLD.resolve("bundle-missing-" + UUID.randomUUID() + ".zip");

        Run r = run("evidence-bundle", "0190-no-such-message", "-o", zip.toString(), "--api", api(), "--token",
                BAD_VILBEL_TOKEN);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("no evidence bundle for 0190-no-such-message: no message 0190-no-such-message");
        assertThat(zip).doesNotExist();
    }

    @Test
    void auditVerifyFetchesTheExportWithTheAuditorsTokenAndFindsItIntact() {
        Run r = run("audit", "verify", "--api", api(), "--token", AUDITOR_TOKEN, "--trust", ANCHOR.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("audit trail intact").containsPattern("\\d+ entries, \\d+ checkpoints");
    }

    @Test
    void auditVerifyWithAClientTokenWithoutTheAuditorRoleExitsTwo() {
        Run r = run("audit", "verify", "--api", api(), "--token", BAD_VILBEL_TOKEN, "--trust", ANCHOR.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("the gateway answered 403 for the audit export");
    }

    @Test
    void theConsoleUserEntryIsOneTheConsoleAcceptsAndLogsInWith() {
        String password = "Pruefung-Bad-Vilbel-2026";
        InputStream stdin = System.in;
        Run r;
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            r = run("console-user", "r.pruefer", "--role", "AUDITOR", "--password-stdin");
        } finally {
            System.setIn(stdin);
        }
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher hash = Pattern.compile("password-hash: \"(\\{bcrypt}[^\"]+)\"").matcher(r.out());
        assertThat(hash.find()).isTrue();

        ConsoleUsers users = new ConsoleUsers(new ConsoleProperties(true, List.of(new ConsoleProperties.User(
                "r.pruefer", hash.group(1), List.of(ConsoleRole.AUDITOR), null)), 5, Duration.ofMinutes(5),
                new ConsoleProperties.Oidc(null, "roles", "preferred_username", Map.of())),
                Clock.systemUTC());
        DaoAuthenticationProvider login = new DaoAuthenticationProvider(users);
        login.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        Authentication person = login.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("r.pruefer",
                password));
        assertThat(person.isAuthenticated()).isTrue();
        assertThat(person.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ROLE_AUDITOR")
                .doesNotContain("ROLE_OPERATOR", "ROLE_SECURITY_OFFICER");
    }
}
