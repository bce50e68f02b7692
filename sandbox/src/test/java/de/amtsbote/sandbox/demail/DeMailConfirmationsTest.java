package de.amtsbote.sandbox.demail;

import static de.amtsbote.sandbox.demail.DeMailWorld.CLOSED;
import static de.amtsbote.sandbox.demail.DeMailWorld.ERIKA;
import static de.amtsbote.sandbox.demail.DeMailWorld.GATEWAY;
import static de.amtsbote.sandbox.demail.DeMailWorld.MAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Confirmations and notifications (wire contract section 4), read over IMAP as the gateway reads them. */
class DeMailConfirmationsTest {

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

    private static GatewayMessage submit(String to, String subject, String... options) throws Exception {
        GatewayMessage m = new GatewayMessage(GATEWAY, to, subject);
        for (String o : options) {
            m.set(o, "yes");
        }
        try (SmtpsClient c = world.connect("gateway")) {
            assertThat(c.send(GATEWAY, to, m.bytes())).startsWith("250 ");
        }
        return m;
    }

    private static List<DeMailMessage> about(int imapPort, String address, String password, GatewayMessage m,
                                             String type) throws Exception {
        return Imap.read(imapPort, address, password).stream().filter(x -> type.equals(x.messageType())
                && m.privateId().equals(x.header("X-de-mail-private-id"))).toList();
    }

    private static DeMailMessage awaitOne(DeMailProvider at, String address, String password, GatewayMessage m,
                                          String type) throws Exception {
        DeMailWorld.await(type + " for " + address, () -> at.mailbox(address).messages().stream()
                .anyMatch(x -> type.equals(x.messageType()) && m.privateId().equals(x.header("X-de-mail-private-id"))));
        List<DeMailMessage> found = about(at.imapPort(), address, password, m, type);
        assertThat(found).as(type + " in " + address).hasSize(1);
        return found.get(0);
    }

    private static VerifiedXml verifyXml(ConfirmationParts parts) throws Exception {
        PkixCertificateValidator validator = PkixCertificateValidator.builder()
                .trustAnchorsFrom(world.pki.anchorFile()).revocation(RevocationSources.NONE).build();
        return XmlSignatureVerifier.withValidator(AlgorithmPolicy.bsi(), validator, CertificateUsage.EVIDENCE_SIGNATURE)
                .verify(parts.document(), SignatureExpectation.documentElement());
    }

    private static String text(Element root, String name) {
        NodeList l = root.getElementsByTagNameNS("urn:de-mail", name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    @Test
    void fullFlowWithAllThreeConfirmationsAndSecureLogin() throws Exception {
        GatewayMessage m = submit(ERIKA, "Bescheid über Grundsteuer", "x-de-mail-confirmation-of-dispatch",
                "x-de-mail-confirmation-of-receipt", "x-de-mail-confirmation-of-retrieve", "x-de-mail-private");
        int a = world.a().imapPort();

        DeMailMessage dispatch = awaitOne(world.a(), GATEWAY, "demo", m, "confirmation of dispatch");
        assertThat(dispatch.header("From")).isEqualTo("Versandbestaetigung@dmda-a.de-mail.de");
        assertThat(dispatch.subject()).isEqualTo("*Versandbestätigung* Bescheid über Grundsteuer");
        assertThat(dispatch.header("X-de-mail-private")).isEqualTo("yes");
        assertThat(dispatch.header("X-de-mail-confirmation-of-receipt")).isNull();
        IntegrityCheck integrity = IntegrityCheck.verify(dispatch.raw());
        assertThat(integrity.tags.get("d")).isEqualTo("dmda-a.de-mail.de");
        assertThat(integrity.certificate.getSubjectX500Principal().getName()).startsWith("CN=dmda-a.de-mail.de,");

        DeMailMessage receiptToSender = awaitOne(world.a(), GATEWAY, "demo", m, "confirmation of receipt");
        DeMailMessage receiptToRecipient = awaitOne(world.b(), ERIKA, "erika", m, "confirmation of receipt");
        assertThat(receiptToSender.header("From")).isEqualTo("Eingangsbestaetigung@dmda-b.de-mail.de");
        assertThat(receiptToRecipient.header("To")).isEqualTo("<" + ERIKA + ">");
        assertThat(IntegrityCheck.verify(receiptToSender.raw()).tags.get("d")).isEqualTo("dmda-b.de-mail.de");

        ConfirmationParts parts = ConfirmationParts.of(receiptToSender);
        assertThat(parts.xmlContentType()).startsWith("application/xml; name=\"confirmation.xml\"");
        assertThat(parts.pdfContentType()).startsWith("application/pdf; name=\"confirmation.pdf\"");
        VerifiedXml verified = verifyXml(parts);
        assertThat(verified.signer()).isEqualTo(world.b().signingCertificate());
        Element root = verified.documentElement();
        assertThat(root.getLocalName()).isEqualTo("Confirmation");
        assertThat(root.getAttribute("Type")).isEqualTo("confirmation of receipt");
        assertThat(text(root, "Sender")).isEqualTo("Eingangsbestaetigung@dmda-b.de-mail.de");
        assertThat(text(root, "Subject")).isEqualTo("*Eingangsbestätigung* Bescheid über Grundsteuer");
        assertThat(text(root, "DeliveryTime")).isNull();
        assertThat(text(root, "Time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        String originalIntegrity = world.b().mailbox(ERIKA).messages().stream()
                .filter(x -> "normal".equals(x.messageType()) && m.privateId().equals(x.header("X-de-mail-private-id")))
                .findFirst().orElseThrow().header("X-de-mail-integrity");
        assertThat(text(root, "Hash")).isEqualTo(originalIntegrity);
        NodeList metadata = root.getElementsByTagNameNS("urn:de-mail", "Metadate");
        assertThat(metadata.getLength()).isEqualTo(20);
        assertThat(text((Element) metadata.item(0), "Name")).isEqualTo("From");
        Element last = (Element) metadata.item(metadata.getLength() - 1);
        assertThat(text(last, "Name")).isEqualTo("X-de-mail-actual-recipient");
        assertThat(text(last, "Value")).isEqualTo("to=" + ERIKA);
        boolean privateIdFound = false;
        for (int i = 0; i < metadata.getLength(); i++) {
            Element e = (Element) metadata.item(i);
            if ("X-de-mail-private-id".equals(text(e, "Name"))) {
                privateIdFound = true;
                assertThat(text(e, "Value")).isEqualTo(m.privateId());
                assertThat(text(e, "OriginalHeader")).isEqualTo("x-de-mail-private-id: " + m.privateId());
            }
        }
        assertThat(privateIdFound).isTrue();
        assertThat(parts.pdfText()).contains("*Eingangsbestätigung* Bescheid über Grundsteuer")
                .contains("in das Postfach von " + ERIKA + " eingelegt").contains(m.privateId());

        // no Abholbestätigung before the recipient's secure login
        world.demail.settle();
        assertThat(about(a, GATEWAY, "demo", m, "confirmation of retrieve")).isEmpty();
        assertThat(world.b().mailbox(ERIKA).secureLogin()).isEqualTo(1);
        DeMailMessage retrieveToSender = awaitOne(world.a(), GATEWAY, "demo", m, "confirmation of retrieve");
        awaitOne(world.b(), ERIKA, "erika", m, "confirmation of retrieve");
        ConfirmationParts retrieve = ConfirmationParts.of(retrieveToSender);
        Element r = verifyXml(retrieve).documentElement();
        assertThat(r.getAttribute("Type")).isEqualTo("confirmation of retrieve");
        assertThat(text(r, "Sender")).isEqualTo("Abholbestaetigung@dmda-b.de-mail.de");
        assertThat(text(r, "DeliveryTime")).isNotNull();
        assertThat(text(r, "Text")).contains("sicher angemeldet");
        assertThat(retrieve.pdfText()).contains("Abholbestätigung").contains("Empfänger hat sich");
        // a second login confirms nothing again
        assertThat(world.b().mailbox(ERIKA).secureLogin()).isZero();
    }

    @Test
    void noConfirmationIsIssuedThatWasNotAskedFor() throws Exception {
        GatewayMessage m = submit(ERIKA, "ohne Bestätigung");
        DeMailWorld.await("deposit", () -> world.b().mailbox(ERIKA).messages().stream()
                .anyMatch(x -> m.privateId().equals(x.header("X-de-mail-private-id"))));
        world.demail.settle();
        assertThat(world.a().mailbox(GATEWAY).messages()).noneMatch(x -> m.privateId().equals(x.header("X-de-mail-private-id")));
    }

    @Test
    void aMailboxWithASecureLoginTimerConfirmsRetrievalByItself() throws Exception {
        GatewayMessage m = submit(MAX, "Zustellung", "x-de-mail-confirmation-of-retrieve", "x-de-mail-private");
        DeMailMessage confirmation = awaitOne(world.a(), GATEWAY, "demo", m, "confirmation of retrieve");
        assertThat(confirmation.header("From")).isEqualTo("Abholbestaetigung@dmda-b.de-mail.de");
        assertThat(world.b().log()).anyMatch(e -> e.event().equals("secure-login") && MAX.equals(e.get("mailbox")));
    }

    @Test
    void anUnknownLocalPartComesBackAsUnknownRecipientNotificationFromTheRecipientsDmda() throws Exception {
        GatewayMessage m = submit("niemand@dmda-b.de-mail.de", "an niemand");
        DeMailMessage n = awaitOne(world.a(), GATEWAY, "demo", m, "notification");
        assertThat(n.notificationType()).isEqualTo("unknown-recipient");
        assertThat(n.header("From")).isEqualTo("Meldung@dmda-b.de-mail.de");
        assertThat(n.subject()).isEqualTo("*Meldung* an niemand");
        Element root = verifyXml(ConfirmationParts.of(n)).documentElement();
        assertThat(root.getLocalName()).isEqualTo("Notification");
        assertThat(root.getAttribute("Type")).isEqualTo("unknown-recipient");
        assertThat(text(root, "Text")).contains("kein De-Mail-Konto");
        IntegrityCheck.verify(n.raw());
    }

    @Test
    void aDomainNoProviderServesComesBackFromTheSendersDmda() throws Exception {
        GatewayMessage m = submit("jemand@unbekannt.de-mail.de", "an unbekannt");
        DeMailMessage n = awaitOne(world.a(), GATEWAY, "demo", m, "notification");
        assertThat(n.notificationType()).isEqualTo("unknown-recipient");
        assertThat(n.header("From")).isEqualTo("Meldung@dmda-a.de-mail.de");
        assertThat(IntegrityCheck.verify(n.raw()).tags.get("d")).isEqualTo("dmda-a.de-mail.de");
    }

    @Test
    void aClosedAccountComesBackAsClosedAccountNotification() throws Exception {
        GatewayMessage m = submit(CLOSED, "an geschlossen", "x-de-mail-confirmation-of-receipt");
        DeMailMessage n = awaitOne(world.a(), GATEWAY, "demo", m, "notification");
        assertThat(n.notificationType()).isEqualTo("closed-account");
        assertThat(ConfirmationParts.of(n).pdfText()).contains("geschlossen");
        assertThat(about(world.a().imapPort(), GATEWAY, "demo", m, "confirmation of receipt")).isEmpty();
    }

    @Test
    void xmlsec1VerifiesAConfirmationWithTheDeMailRootOnly() throws Exception {
        Path xmlsec1 = Path.of("/usr/bin/xmlsec1");
        assumeTrue(Files.isExecutable(xmlsec1), "xmlsec1 is not installed at /usr/bin/xmlsec1");
        GatewayMessage m = submit(ERIKA, "für xmlsec1", "x-de-mail-confirmation-of-dispatch");
        DeMailMessage d = awaitOne(world.a(), GATEWAY, "demo", m, "confirmation of dispatch");
        Path xml = dir.resolve("confirmation-" + m.privateId() + ".xml");
        Files.write(xml, ConfirmationParts.of(d).xml());
        Process p = new ProcessBuilder(xmlsec1.toString(), "--verify", "--trusted-pem",
                world.pki.anchorFile().toString(), xml.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("OK");
    }

    @Test
    void twoDmdasDeliverToEachOtherWithConfirmations() throws Exception {
        String id = world.b().mailbox(ERIKA).send(OutgoingDeMail.to(GATEWAY).subject("Antrag von Erika")
                .body("Hiermit beantrage ich …").privateId("erika-1").receiptConfirmation().dispatchConfirmation()
                .build());
        assertThat(id).endsWith("@dmda-b.de-mail.de>");
        DeMailWorld.await("Erika's message at the gateway", () -> world.a().mailbox(GATEWAY).messages().stream()
                .anyMatch(x -> "Antrag von Erika".equals(x.subject())));
        DeMailMessage got = Imap.read(world.a().imapPort(), GATEWAY, "demo").stream()
                .filter(x -> "Antrag von Erika".equals(x.subject())).findFirst().orElseThrow();
        assertThat(got.header("X-de-mail-message-id")).isEqualTo(id);
        assertThat(got.header("X-de-mail-account-holder")).isEqualTo("Erika Mustermann");
        assertThat(IntegrityCheck.verify(got.raw()).tags.get("d")).isEqualTo("dmda-b.de-mail.de");
        DeMailWorld.await("Erika's confirmations", () -> world.b().mailbox(ERIKA).messages().stream()
                .filter(x -> "erika-1".equals(x.header("X-de-mail-private-id"))).map(DeMailMessage::messageType)
                .toList().containsAll(List.of("confirmation of dispatch", "confirmation of receipt")));
        assertThat(world.a().log()).anyMatch(e -> e.event().equals("confirmation-issued")
                && "confirmation of receipt".equals(e.get("type")) && ERIKA.equals(e.get("to")));
    }

    @Test
    void aSandboxMailboxSendsEndToEndEncryptedAndTheRecipientOpensIt() throws Exception {
        String id = world.b().mailbox(ERIKA).send(OutgoingDeMail.to(MAX).subject("vertraulich").body("geheim")
                .encryptFor(world.e2e.certificateFile("max")).build());
        DeMailWorld.await("e2e opened", () -> world.b().log().stream().anyMatch(e -> e.event().equals("e2e-opened")
                && id.equals(e.get("demailMessageId"))));
        assertThat(world.b().log()).anyMatch(e -> e.event().equals("e2e-opened") && id.equals(e.get("demailMessageId"))
                && "true".equals(e.get("valid")));
        DeMailMessage got = world.b().mailbox(MAX).messages().stream().filter(x -> id.equals(x.header("X-de-mail-message-id")))
                .findFirst().orElseThrow();
        assertThat(got.header("Content-Type")).startsWith("application/pkcs7-mime");
        assertThat(new String(got.raw(), StandardCharsets.UTF_8)).doesNotContain("geheim");
        IntegrityCheck.verify(got.raw());
    }

    @Test
    void aSandboxMailboxIsRefusedByTheSameRulesAsASubmission() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.b().mailbox(ERIKA).send(OutgoingDeMail.to(GATEWAY)
                .subject("Zustellung").retrieveConfirmation().build()))
                .isInstanceOf(DeMailRefusedException.class).hasMessageStartingWith("554 5.7.1 ");
    }
}
