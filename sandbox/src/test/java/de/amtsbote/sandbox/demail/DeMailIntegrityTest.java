package de.amtsbote.sandbox.demail;

import static de.amtsbote.sandbox.demail.DeMailWorld.ERIKA;
import static de.amtsbote.sandbox.demail.DeMailWorld.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's X-de-mail-integrity (wire contract section 3), checked independently of its code. */
class DeMailIntegrityTest {

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

    private static DeMailMessage deliver(GatewayMessage m) throws Exception {
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.send(GATEWAY, ERIKA, m.bytes())).startsWith("250 ");
        }
        String subject = m.fields.get("Subject");
        DeMailWorld.await("deposit of " + subject, () -> world.b().mailbox(ERIKA).messages().stream()
                .anyMatch(x -> x.subject().equals(subject)));
        return Imap.read(world.b().imapPort(), ERIKA, "erika").stream().filter(x -> x.subject().equals(subject))
                .findFirst().orElseThrow();
    }

    @Test
    void aNormalMessageIsOnlyHashedWithSha256() throws Exception {
        DeMailMessage got = deliver(new GatewayMessage(GATEWAY, ERIKA, "hashed only"));
        IntegrityCheck check = IntegrityCheck.verify(got.raw());
        assertThat(check.tags.get("a")).isEqualTo("sha256");
        assertThat(check.tags.get("d")).isEqualTo("dmda-a.de-mail.de");
        assertThat(check.tags.get("h")).isEqualTo("From:Date:Message-ID:Subject:X-de-mail-confirmation-of-dispatch:"
                + "X-de-mail-confirmation-of-receipt:X-de-mail-confirmation-of-retrieve:X-de-mail-authoritative:"
                + "X-de-mail-private:X-de-mail-sender:X-de-mail-chosen-recipient:X-de-mail-auth-mechanism:"
                + "X-de-mail-auth-level:X-de-mail-originator-provider:X-de-mail-message-type:X-de-mail-version:"
                + "X-de-mail-private-id:X-de-mail-message-id:X-de-mail-account-holder");
        assertThat(got.header("X-de-mail-signature-certificate")).isNull();
    }

    @Test
    void anAuthoritativeMessageIsSignedWithEcdsaByTheSendersDmda() throws Exception {
        DeMailMessage got = deliver(new GatewayMessage(GATEWAY, ERIKA, "absenderbestaetigt")
                .set("Reply-To", "<" + GATEWAY + ">").set("x-de-mail-authoritative", "yes"));
        IntegrityCheck check = IntegrityCheck.verify(got.raw());
        assertThat(check.tags.get("a")).isEqualTo("sha256/ec-dsa");
        assertThat(check.tags.get("h")).startsWith("From:Date:Message-ID:Subject:Reply-To:");
        X509Certificate cert = check.certificate;
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=dmda-a.de-mail.de,OU=De-Mail,O=Bund,C=DE");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[1]).as("contentCommitment").isTrue();
        cert.verify(Pem.readCertificates(world.pki.anchorFile()).get(0).getPublicKey());
    }

    @Test
    void theBodyIsDeliveredUnchangedAndAnAlteredBodyNoLongerMatches() throws Exception {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "altered");
        m.body = "line one\r\n.starts with a dot\r\n\r\n\r\n";
        DeMailMessage got = deliver(m);
        String raw = new String(got.raw(), StandardCharsets.ISO_8859_1);
        assertThat(raw).endsWith("\r\n\r\nline one\r\n.starts with a dot\r\n\r\n\r\n");
        IntegrityCheck.verify(got.raw());
        byte[] altered = raw.replace("line one", "line 0ne").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> IntegrityCheck.verify(altered)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("bh=");
    }

    @Test
    void aChangedSignedFieldBreaksTheHash() throws Exception {
        DeMailMessage got = deliver(new GatewayMessage(GATEWAY, ERIKA, "changed field"));
        byte[] altered = new String(got.raw(), StandardCharsets.ISO_8859_1)
                .replace("x-de-mail-confirmation-of-receipt: no", "x-de-mail-confirmation-of-receipt: yes")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> IntegrityCheck.verify(altered)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("hash of the header input");
    }

    @Test
    void theFirstOfTwoFieldsOfTheSameNameIsSigned() throws Exception {
        GatewayMessage m = new GatewayMessage(GATEWAY, ERIKA, "two subjects");
        m.body = "text\r\n";
        byte[] bytes = new String(m.bytes(), StandardCharsets.ISO_8859_1)
                .replace("\r\n\r\ntext", "\r\nSubject: second\r\n\r\ntext").getBytes(StandardCharsets.ISO_8859_1);
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.send(GATEWAY, ERIKA, bytes)).startsWith("250 ");
        }
        DeMailWorld.await("deposit", () -> world.b().mailbox(ERIKA).messages().stream()
                .anyMatch(x -> x.subject().equals("two subjects")));
        List<DeMailMessage> inbox = Imap.read(world.b().imapPort(), ERIKA, "erika");
        IntegrityCheck.verify(inbox.stream().filter(x -> x.subject().equals("two subjects")).findFirst().orElseThrow()
                .raw());
    }
}
