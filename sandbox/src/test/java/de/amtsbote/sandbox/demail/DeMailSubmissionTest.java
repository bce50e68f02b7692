package de.amtsbote.sandbox.demail;

import static de.amtsbote.sandbox.demail.DeMailWorld.CLUB;
import static de.amtsbote.sandbox.demail.DeMailWorld.ERIKA;
import static de.amtsbote.sandbox.demail.DeMailWorld.GATEWAY;
import static de.amtsbote.sandbox.demail.DeMailWorld.PSEUDONYM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Submission over SMTPS (wire contract section 2): every refusal rule with its exact reply. */
class DeMailSubmissionTest {

    @TempDir
    static Path dir;
    static DeMailWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new DeMailWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String submit(GatewayMessage m, String from, String to) throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            return c.send(from, to, m.bytes());
        }
    }

    private static String rcpt(String recipient) throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            c.command("EHLO gateway.test");
            c.command("MAIL FROM:<" + GATEWAY + ">");
            return c.command("RCPT TO:<" + recipient + ">");
        }
    }

    @Test
    void acceptsAWellFormedMessageAndDepositsItInTheRecipientsMailbox() throws Exception {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "Bescheid accepted");
        String reply = submit(m, GATEWAY, ERIKA);
        assertThat(reply).startsWith("250 2.0.0 accepted as <").contains("@dmda-a.de-mail.de>");
        DeMailWorld.await("deposit", () -> world.b().log().stream().anyMatch(e -> e.event().equals("deposited")
                && "Bescheid accepted".equals(e.get("subject"))));
        List<DeMailMessage> inbox = Imap.read(world.b().imapPort(), ERIKA, "erika");
        DeMailMessage got = inbox.stream().filter(x -> x.subject().equals("Bescheid accepted")).findFirst().orElseThrow();
        assertThat(got.header("X-de-mail-private-id")).isEqualTo(m.privateId());
        assertThat(got.messageType()).isEqualTo("normal");
        assertThat(got.header("X-de-mail-originator-provider")).isEqualTo("dmda-a.de-mail.de");
        assertThat(got.header("X-de-mail-version")).isEqualTo("1.7");
        assertThat(got.header("X-de-mail-auth-level")).isEqualTo("high");
        assertThat(got.header("X-de-mail-account-holder")).isEqualTo("Stadt Bad Vilbel");
        assertThat(got.header("X-de-mail-actual-recipient")).isEqualTo("to=" + ERIKA);
        assertThat(new String(got.raw(), java.nio.charset.StandardCharsets.UTF_8)).contains(
                "\r\n\r\nSehr geehrte Frau Mustermann,\r\nanbei der Bescheid.\r\n");
    }

    @Test
    void announcesItsSizeLimitInEhlo() throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.greeting).startsWith("220 dmda-a.de-mail.de");
            assertThat(c.command("EHLO gateway.test")).isEqualTo("250 PIPELINING");
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "Erika.Mustermann@dmda-b.de-mail.de | 553 5.1.3 | upper-case",
        "erika@example.org | 553 5.1.3 | example.org is not a De-Mail domain",
        "erika | 553 5.1.3 | not an addr-spec",
        "a..b@dmda-b.de-mail.de | 553 5.1.3 | dot-atom",
        "Versandbestaetigung@dmda-b.de-mail.de | 553 5.1.3 | upper-case",
        "meldung@dmda-b.de-mail.de | 550 5.1.1 | system address",
        "abholbestaetigung@dmda-b.de-mail.de | 550 5.1.1 | system address",
    })
    void refusesInvalidRecipientsAtRcpt(String recipient, String reply, String reason) throws IOException {
        assertThat(rcpt(recipient)).startsWith(reply + " ").contains(reason);
    }

    @Test
    void refusesALocalPartLongerThan64Characters() throws IOException {
        assertThat(rcpt("a".repeat(65) + "@dmda-b.de-mail.de")).startsWith("553 5.1.3 ").contains("longer than 64");
    }

    @Test
    void refusesADomainLongerThan189Characters() throws IOException {
        String domain = ("x".repeat(60) + ".").repeat(3) + "de-mail.de";
        assertThat(rcpt("a@" + domain)).startsWith("553 5.1.3 ").contains("longer than 189");
    }

    @Test
    void acceptsAnUnservedDeMailDomainAtRcptBecauseItComesBackAsANotification() throws IOException {
        assertThat(rcpt("someone@nowhere.de-mail.de")).startsWith("250 ");
    }

    @Test
    void refusesOneRecipientTooMany() throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            c.command("EHLO gateway.test");
            c.command("MAIL FROM:<" + GATEWAY + ">");
            assertThat(c.command("RCPT TO:<" + ERIKA + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + DeMailWorld.MAX + ">")).startsWith("452 4.5.3");
        }
    }

    @Test
    void refusesAnAnnouncedSizeAboveTheLimitAtMail() throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            c.command("EHLO gateway.test");
            assertThat(c.command("MAIL FROM:<" + GATEWAY + "> SIZE=" + (DeMailWorld.LIMIT + 1)))
                    .startsWith("552 5.3.4 ").contains("larger than the limit");
        }
    }

    @Test
    void refusesAMessageThatGrowsBeyondTheLimitDuringData() throws IOException {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "too big");
        m.body = ("0123456789".repeat(7) + "\r\n").repeat((int) (DeMailWorld.LIMIT / 72 + 10));
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.send(GATEWAY, ERIKA, m.bytes())).startsWith("552 5.3.4 ").contains("larger than the limit");
            // the session goes on
            assertThat(c.transaction(GATEWAY, ERIKA, new GatewayMessage(GATEWAY, ERIKA, "small").bytes()))
                    .startsWith("250 2.0.0");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "x-de-mail-confirmation-of-dispatch | | is missing",
        "x-de-mail-confirmation-of-receipt | Yes | not exactly yes or no",
        "x-de-mail-confirmation-of-retrieve | ja | not exactly yes or no",
        "x-de-mail-authoritative | YES | not exactly yes or no",
        "x-de-mail-private | | is missing",
        "x-de-mail-sender | someone@dmda-a.de-mail.de | is not the MAIL FROM address",
        "x-de-mail-chosen-recipient | to=max.mustermann@dmda-b.de-mail.de | is not to=",
        "x-de-mail-chosen-recipient | to=erika.mustermann@dmda-b.de-mail.de; cc=max.mustermann@dmda-b.de-mail.de | is not to=",
        "x-de-mail-message-type | confirmation of receipt | is set by the provider",
        "X-de-mail-integrity | v=1; a=sha256 | is set by the provider",
        "Message-ID | | the field Message-ID is missing",
    })
    void refusesInvalidFormatAtTheEndOfData(String field, String value, String reason) throws IOException {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "invalid").set(field, value);
        assertThat(submit(m, GATEWAY, ERIKA)).startsWith("554 5.6.0 invalid-format: ").contains(reason);
    }

    @Test
    void refusesAPrivateIdLongerThan1024Characters() throws IOException {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "long id").set("x-de-mail-private-id", "x".repeat(1025));
        assertThat(submit(m, GATEWAY, ERIKA)).startsWith("554 5.6.0 invalid-format: ").contains("1025 characters");
    }

    @Test
    void acceptsAPrivateIdOfExactly1024Characters() throws IOException {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "id 1024").set("x-de-mail-private-id", "x".repeat(1024));
        assertThat(submit(m, GATEWAY, ERIKA)).startsWith("250 ");
    }

    @Test
    void refusesRetrieveWithoutPrivate() throws IOException {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "retrieve").set("x-de-mail-confirmation-of-retrieve", "yes");
        assertThat(submit(m, GATEWAY, ERIKA)).startsWith("554 5.6.0 invalid-format: ").contains("implies persönlich");
    }

    @Test
    void refusesRetrieveFromAnAccountThatIsNotAPublicBody() throws IOException {
        GatewayMessage m = new GatewayMessage(CLUB, ERIKA, "retrieve").set("x-de-mail-confirmation-of-retrieve", "yes")
                .set("x-de-mail-private", "yes");
        try (SmtpsClient c = world.connect("verein")) {
            assertThat(c.send(CLUB, ERIKA, m.bytes())).startsWith("554 5.7.1 ").contains("not a public body");
        }
    }

    @Test
    void refusesAuthoritativeFromAPseudonym() throws IOException {
        GatewayMessage m = new GatewayMessage(PSEUDONYM, ERIKA, "signed").set("x-de-mail-authoritative", "yes");
        assertThat(submit(m, PSEUDONYM, ERIKA)).startsWith("554 5.7.1 ").contains("pseudonym");
    }

    @Test
    void refusesAMailFromThatIsNotAnAddressOfTheAccount() throws IOException {
        try (SmtpsClient c = world.connect("gateway")) {
            c.command("EHLO gateway.test");
            assertThat(c.command("MAIL FROM:<" + CLUB + ">")).startsWith("550 5.7.1 ").contains("amtsbote");
        }
    }

    @Test
    void answersEveryCommandWith530WhenTheCertificateBelongsToNoAccount() throws IOException {
        try (SmtpsClient c = world.connect("stranger")) {
            assertThat(c.command("EHLO gateway.test")).startsWith("250");
            assertThat(c.command("MAIL FROM:<" + GATEWAY + ">")).startsWith("530 5.7.0 ").contains("belongs to no account");
            assertThat(c.command("RCPT TO:<" + ERIKA + ">")).startsWith("530 5.7.0 ");
            assertThat(c.command("DATA")).startsWith("530 5.7.0 ");
            assertThat(c.command("NOOP")).startsWith("530 5.7.0 ");
        }
    }

    @Test
    void refusesATlsHandshakeWithoutClientCertificate() {
        assertThatThrownBy(() -> {
            try (SmtpsClient c = SmtpsClient.connect(world.a().smtpPort(), null, null, world.pki.anchorFile())) {
                c.command("EHLO gateway.test");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void refusesAClientCertificateFromAnotherCa(@TempDir Path other) throws Exception {
        CertificateAuthority foreign = CertificateAuthority.root("Foreign CA", KeySpec.ec("P-256"), Clock.systemUTC());
        IssuedCertificate cert = foreign.issue(IssueRequest.named("gateway").profile(CertificateProfile.TLS_CLIENT)
                .key(KeySpec.ec("P-256")));
        Pem.writeCertificates(other.resolve("c.pem"), cert.chain());
        Pem.writeTestPrivateKey(other.resolve("c.key.pem"), cert.privateKey());
        assertThatThrownBy(() -> {
            try (SmtpsClient c = SmtpsClient.connect(world.a().smtpPort(), other.resolve("c.pem"),
                    other.resolve("c.key.pem"), world.pki.anchorFile())) {
                c.command("EHLO gateway.test");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void answersAResubmittedMessageIdWith250WithoutDeliveringItTwice() throws Exception {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "Bescheid twice");
        String first = submit(m, GATEWAY, ERIKA);
        String second = submit(m, GATEWAY, ERIKA);
        assertThat(first).startsWith("250 2.0.0 accepted as ");
        assertThat(second).startsWith("250 2.0.0 accepted as ").contains(first.substring("250 2.0.0 accepted as ".length(),
                first.indexOf('>') + 1)).contains("already accepted");
        world.demail.settle();
        assertThat(world.b().mailbox(ERIKA).messages().stream().filter(x -> x.subject().equals("Bescheid twice")))
                .hasSize(1);
        assertThat(world.a().log()).anyMatch(e -> e.event().equals("duplicate") && m.messageId().equals(e.get("messageId")));
    }

    @Test
    void injectedTemporaryFailuresAnswer451ForTheNextTransactionsOnly() throws IOException {
        world.a().faults().tempFail(2);
        try (SmtpsClient c = world.connect("gateway")) {
            c.command("EHLO gateway.test");
            assertThat(c.command("MAIL FROM:<" + GATEWAY + ">")).startsWith("451 4.3.0 ");
            assertThat(c.command("MAIL FROM:<" + GATEWAY + ">")).startsWith("451 4.3.0 ");
            assertThat(c.transaction(GATEWAY, ERIKA, new GatewayMessage(GATEWAY, ERIKA, "after busy").bytes()))
                    .startsWith("250 2.0.0");
        }
    }

    @Test
    void aStoppedSmtpRefusesConnectionsAndStartsAgainOnTheSamePort() throws IOException {
        int port = world.a().smtpPort();
        world.a().stopSmtp();
        try {
            assertThatThrownBy(() -> world.connect("gateway").close()).isInstanceOf(IOException.class);
        } finally {
            world.a().startSmtp();
        }
        assertThat(world.a().smtpPort()).isEqualTo(port);
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.command("EHLO gateway.test")).startsWith("250");
        }
    }

    @Test
    void aStoppedImapStartsAgainOnTheSamePortWithTheMailboxesKept() throws Exception {
        int port = world.b().imapPort();
        int before = Imap.read(port, ERIKA, "erika").size();
        world.b().stopImap();
        try {
            assertThatThrownBy(() -> Imap.read(port, ERIKA, "erika")).isInstanceOf(Exception.class);
        } finally {
            world.b().startImap();
        }
        assertThat(world.b().imapPort()).isEqualTo(port);
        assertThat(Imap.read(port, ERIKA, "erika")).hasSizeGreaterThanOrEqualTo(before);
    }

    @Test
    void logsEveryRefusalWithItsReason() throws IOException {
        rcpt("meldung@dmda-b.de-mail.de");
        assertThat(world.a().log()).anyMatch(e -> e.event().equals("refused") && "550 5.1.1".equals(e.get("reply"))
                && e.get("reason").contains("system address"));
    }
}
