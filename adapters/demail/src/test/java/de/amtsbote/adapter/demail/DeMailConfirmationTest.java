package de.amtsbote.adapter.demail;

import static de.amtsbote.adapter.demail.DeMailWorld.ERIKA;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.TransportReceipt;
import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmations and notifications (wire contract section 4): believed only after every check, turned into receipts
 * of the delivery they are about — or, for the recipient's copy of an Eingangs- or Abholbestätigung about a message
 * the gateway received, into a proof kept with that message; anything forged or about another message is quarantined
 * with the failed check.
 */
class DeMailConfirmationTest {

    @TempDir
    static Path dir;
    static DeMailWorld world;
    /** The first delivery as the sender's provider accepted it (with its integrity field). */
    static byte[] first;
    /** A second delivery, accepted too. */
    static byte[] second;
    /** A message to the Kreis asking for an Eingangsbestätigung, as delivered to its mailbox and stored. */
    static byte[] received;

    @BeforeAll
    static void twoDeliveriesSentAndAccepted() throws Exception {
        world = new DeMailWorld(dir);
        world.adapter.dispatch(envelope("d-c1", KREIS, KREIS_ADDRESS, ERIKA, Set.of(DeliveryOption.DISPATCH_RECEIPT,
                DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT)));
        world.adapter.dispatch(envelope("d-c2", KREIS, KREIS_ADDRESS, ERIKA, Set.of(DeliveryOption.DELIVERY_RECEIPT)));
        first = world.providerA.accept(world.smtp.received.get(0).data(), "<m-1@dmda-a.de-mail.de>", false);
        second = world.providerA.accept(world.smtp.received.get(1).data(), "<m-2@dmda-a.de-mail.de>", false);
        received = toKreis("in-c1", "<m-in-1@dmda-a.de-mail.de>");
        poll(received);
        assertThat(world.sink.accepted).singleElement().satisfies(m ->
                assertThat(m.transportId()).isEqualTo("<m-in-1@dmda-a.de-mail.de>"));
    }

    /** A message from the partner to the Kreis as the Kreis's provider puts it into the Kreis's mailbox. */
    private static byte[] toKreis(String deliveryId, String messageId) throws Exception {
        int before = world.smtp.received.size();
        world.adapter.dispatch(envelope(deliveryId, PARTNER, PARTNER_ADDRESS, KREIS_ADDRESS,
                Set.of(DeliveryOption.DELIVERY_RECEIPT)));
        return world.providerA.accept(world.smtp.received.get(before).data(), messageId, false);
    }

    /** An RFC 5322 date this long before now. */
    private static String dateAgo(Duration ago) {
        return new MailDateFormat().format(Date.from(Instant.now().minus(ago)));
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    @BeforeEach
    void emptySink() {
        world.sink.receipts.clear();
        world.sink.proofs.clear();
        world.sink.accepted.clear();
        world.sink.quarantined.clear();
        world.sink.reasons.clear();
    }

    private static TestProvider.Statement about(byte[] original, String type) {
        TestProvider.Statement s = TestProvider.Statement.about(original, KREIS_ADDRESS);
        s.type = type;
        return s;
    }

    private static void poll(byte[] mail) throws Exception {
        world.deliverToKreis(mail);
        world.adapter.poll();
    }

    private static void assertQuarantinedWithoutReceipt(String reasonPart) {
        assertThat(world.sink.receipts).isEmpty();
        assertThat(world.sink.reasons).singleElement().satisfies(r -> assertThat(r).contains(reasonPart));
    }

    @Test
    void aVersandbestaetigungOfTheSendersProviderMarksTheDeliveryDispatched() throws Exception {
        poll(world.providerA.issue(about(first, "confirmation of dispatch")));

        assertThat(world.sink.reasons).isEmpty();
        TransportReceipt r = world.sink.receipts.get(0);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.DISPATCHED);
        assertThat(r.transportReference()).isEqualTo("<d-c1@kreis.de-mail.de>");
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-25T09:31:12Z"));
        assertThat(r.proof().assurance()).isEqualTo(Assurance.PROVIDER_SIGNED);
        assertThat(r.proof().mediaType()).isEqualTo("message/rfc822");
        assertThat(new String(r.proof().content(), StandardCharsets.ISO_8859_1))
                .contains("X-de-mail-integrity:").contains("confirmation.xml").contains("confirmation.pdf");
    }

    @Test
    void anEingangsbestaetigungOfTheRecipientsProviderMarksItDelivered() throws Exception {
        poll(world.providerB.issue(about(first, "confirmation of receipt")));

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.receipts).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(TransportReceipt.Event.DELIVERED);
            assertThat(r.transportReference()).isEqualTo("<d-c1@kreis.de-mail.de>");
        });
    }

    @Test
    void anAbholbestaetigungMarksItRetrievedAtTheRecipientsSecureLogin() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of retrieve");
        s.time = "2026-11-26T08:00:05Z";
        s.deliveryTime = "2026-11-25T09:31:12Z";
        poll(world.providerB.issue(s));

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.receipts).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
            assertThat(r.at()).isEqualTo(Instant.parse("2026-11-26T08:00:05Z"));
        });
    }

    @Test
    void aNotificationFailsTheDeliveryWithItsTypeAndText() throws Exception {
        TestProvider.Statement s = about(second, "notification");
        s.notificationType = "unknown-recipient";
        s.text = "Die Adresse erika.mustermann@dmda-b.de-mail.de ist unbekannt.";
        poll(world.providerB.issue(s));

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.receipts).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(TransportReceipt.Event.FAILED);
            assertThat(r.transportReference()).isEqualTo("<d-c2@kreis.de-mail.de>");
            assertThat(r.reason()).isEqualTo("unknown-recipient: Die Adresse erika.mustermann@dmda-b.de-mail.de"
                    + " ist unbekannt.");
            assertThat(r.proof().assurance()).isEqualTo(Assurance.PROVIDER_SIGNED);
        });
    }

    @Test
    void aConfirmationAboutAnAlteredMessageIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of receipt");
        // the hash of another body: what the provider confirms is not what the gateway wrote
        s.hash = TestProvider.value(new String(second, StandardCharsets.ISO_8859_1), "X-de-mail-integrity");
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("confirmation rejected: it is about another message (private id d-c1, hash");
    }

    @Test
    void aConfirmationReplayedForAnotherDeliveryIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of receipt");
        // d-c1's confirmation, re-labelled as one about d-c2
        s.metadata.put("X-de-mail-private-id", "d-c2");
        s.privateIdHeader = "d-c2";
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("confirmation rejected: it is about another message (private id d-c2");
    }

    @Test
    void aConfirmationWithoutProviderSignatureIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of dispatch");
        s.signIntegrity = false;
        poll(world.providerA.issue(s));

        assertQuarantinedWithoutReceipt("confirmation rejected: integrity field: not signed");
    }

    @Test
    void aConfirmationSignedByAnotherProviderThanItsSenderIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of dispatch");
        s.systemAddress = "Versandbestaetigung@dmda-a.de-mail.de";
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("confirmation rejected: signed by CN=dmda-b.de-mail.de,");
        assertThat(world.sink.reasons.get(0)).endsWith("which is not the issuing provider dmda-a.de-mail.de");
    }

    @Test
    void anXmlSignedByAnotherProviderThanTheIntegrityFieldIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of receipt");
        s.xmlKey = world.providerA.key;
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("not by the provider certificate of the integrity field");
    }

    @Test
    void anXmlSignedOutsideTheDeMailPkiIsQuarantinedAsAnInvalidXmlSignature() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.root("Stranger Root", KeySpec.ec("P-256"),
                Clock.systemUTC());
        IssuedCertificate c = stranger.issue(IssueRequest.named("dmda-b.de-mail.de")
                .profile(CertificateProfile.PROVIDER).key(KeySpec.ec("P-256")));
        TestProvider.Statement s = about(first, "confirmation of receipt");
        s.xmlKey = new SoftwareKeyHandle(new KeyRef("stranger", KeyPurpose.EVIDENCE, "1"), c.privateKey(), c.chain());
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("confirmation rejected: XML signature invalid:");
    }

    @Test
    void anXmlWhoseTypeIsNotTheHeadersIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of receipt");
        s.xmlType = "confirmation of retrieve";
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("the XML says Type 'confirmation of retrieve', the header"
                + " 'confirmation of receipt'");
    }

    @Test
    void aConfirmationAboutAMessageTheGatewayNeverSentIsQuarantined() throws Exception {
        TestProvider.Statement s = about(first, "confirmation of receipt");
        s.metadata.put("X-de-mail-private-id", "d-unknown");
        s.privateIdHeader = "d-unknown";
        poll(world.providerB.issue(s));

        assertQuarantinedWithoutReceipt("a message the gateway did not send or no longer remembers (private id"
                + " d-unknown)");
    }

    // ------------------------------------------------------------------ the recipient's copy (TR 01201)

    @Test
    void theRecipientsCopyOfAnEingangsbestaetigungIsKeptAsProofOfTheReceivedMessage() throws Exception {
        byte[] confirmation = world.providerA.issue(about(received, "confirmation of receipt"));
        poll(confirmation);

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.receipts).isEmpty();
        assertThat(world.sink.proofs).singleElement().satisfies(p -> {
            assertThat(p.transportId()).isEqualTo("<m-in-1@dmda-a.de-mail.de>");
            assertThat(p.event()).isEqualTo(InboundProof.Event.DELIVERED);
            assertThat(p.at()).isEqualTo(Instant.parse("2026-11-25T09:31:12Z"));
            assertThat(p.proof().mediaType()).isEqualTo("message/rfc822");
            assertThat(p.proof().assurance()).isEqualTo(Assurance.PROVIDER_SIGNED);
            assertThat(new String(p.proof().content(), StandardCharsets.ISO_8859_1))
                    .contains("X-de-mail-integrity:").contains("confirmation.xml").contains("confirmation.pdf");
        });
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }

    @Test
    void theRecipientsCopyOfAnAbholbestaetigungIsKeptAsRetrievedAtTheSecureLogin() throws Exception {
        TestProvider.Statement s = about(received, "confirmation of retrieve");
        s.time = "2026-11-26T08:00:05Z";
        s.deliveryTime = "2026-11-25T09:31:12Z";
        poll(world.providerA.issue(s));

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.proofs).singleElement().satisfies(p -> {
            assertThat(p.event()).isEqualTo(InboundProof.Event.RETRIEVED);
            assertThat(p.at()).isEqualTo(Instant.parse("2026-11-26T08:00:05Z"));
        });
    }

    @Test
    void aRecipientsCopyReadBeforeItsMessageStaysInTheMailboxUntilTheMessageIsStored() throws Exception {
        byte[] message = toKreis("in-c2", "<m-in-2@dmda-a.de-mail.de>");
        TestProvider.Statement s = about(message, "confirmation of receipt");
        s.date = dateAgo(Duration.ofMinutes(5));
        poll(world.providerA.issue(s));

        assertThat(world.sink.proofs).isEmpty();
        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).hasSize(1);

        poll(message); // the confirmation, still first in the mailbox, waits once more; then the message is stored
        world.adapter.poll();

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.accepted).singleElement().satisfies(m ->
                assertThat(m.transportId()).isEqualTo("<m-in-2@dmda-a.de-mail.de>"));
        assertThat(world.sink.proofs).singleElement().satisfies(p ->
                assertThat(p.transportId()).isEqualTo("<m-in-2@dmda-a.de-mail.de>"));
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }

    @Test
    void aRecipientsCopyWhoseMessageNeverArrivedIsQuarantinedOnceConfirmationWaitIsOver() throws Exception {
        TestProvider.Statement s = about(received, "confirmation of receipt");
        s.metadata.put("X-de-mail-message-id", "<m-never@dmda-a.de-mail.de>");
        s.date = dateAgo(Duration.ofMinutes(61));
        poll(world.providerA.issue(s));

        assertThat(world.sink.proofs).isEmpty();
        assertQuarantinedWithoutReceipt("confirmation rejected: it is about a message the gateway has not received"
                + " (X-de-mail-message-id <m-never@dmda-a.de-mail.de> to " + KREIS_ADDRESS + ")");
        assertThat(world.sink.reasons.get(0)).endsWith("longer than confirmation-wait (PT1H)");
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }

    @Test
    void aRecipientsCopyWhoseHashIsNotWhatTheGatewayReceivedIsQuarantined() throws Exception {
        TestProvider.Statement s = about(received, "confirmation of receipt");
        // the provider vouches for a message other than the one in the gateway's inbox
        s.hash = TestProvider.value(new String(second, StandardCharsets.ISO_8859_1), "X-de-mail-integrity");
        poll(world.providerA.issue(s));

        assertThat(world.sink.proofs).isEmpty();
        assertQuarantinedWithoutReceipt("confirmation rejected: it is about another message (X-de-mail-message-id"
                + " <m-in-1@dmda-a.de-mail.de>: its Hash is not the integrity field of the message as the gateway"
                + " received it)");
    }

    @Test
    void aRecipientsCopyWithAForeignXmlSignatureIsQuarantinedAsItWouldBeForTheSender() throws Exception {
        TestProvider.Statement s = about(received, "confirmation of receipt");
        s.xmlKey = world.providerB.key;
        poll(world.providerA.issue(s));

        assertThat(world.sink.proofs).isEmpty();
        assertQuarantinedWithoutReceipt("not by the provider certificate of the integrity field");
    }

    @Test
    void aVersandbestaetigungAboutAReceivedMessageIsNoProofOfIt() throws Exception {
        // only the Eingangs- and Abholbestätigung go to the recipient; a Versandbestätigung is the sender's (here
        // the gateway's too: the partner's message left through it)
        poll(world.providerA.issue(about(received, "confirmation of dispatch")));

        assertThat(world.sink.proofs).isEmpty();
        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.receipts).singleElement().satisfies(r ->
                assertThat(r.event()).isEqualTo(TransportReceipt.Event.DISPATCHED));
    }

    @Test
    void theMailboxIsEmptiedOnlyOnceTheOutcomeIsStored() throws Exception {
        poll(world.providerA.issue(about(first, "confirmation of dispatch")));

        assertThat(world.sink.receipts).hasSize(1);
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }
}
