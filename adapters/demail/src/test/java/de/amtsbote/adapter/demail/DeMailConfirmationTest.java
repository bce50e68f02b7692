package de.amtsbote.adapter.demail;

import static de.amtsbote.adapter.demail.DeMailWorld.ERIKA;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS_ADDRESS;
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
import de.amtsbote.spi.TransportReceipt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmations and notifications (wire contract section 4): believed only after every check, turned into receipts
 * of the delivery they are about; anything forged or about another message is quarantined with the failed check.
 */
class DeMailConfirmationTest {

    @TempDir
    static Path dir;
    static DeMailWorld world;
    /** The first delivery as the sender's provider accepted it (with its integrity field). */
    static byte[] first;
    /** A second delivery, accepted too. */
    static byte[] second;

    @BeforeAll
    static void twoDeliveriesSentAndAccepted() throws Exception {
        world = new DeMailWorld(dir);
        world.adapter.dispatch(envelope("d-c1", KREIS, KREIS_ADDRESS, ERIKA, Set.of(DeliveryOption.DISPATCH_RECEIPT,
                DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT)));
        world.adapter.dispatch(envelope("d-c2", KREIS, KREIS_ADDRESS, ERIKA, Set.of(DeliveryOption.DELIVERY_RECEIPT)));
        first = world.providerA.accept(world.smtp.received.get(0).data(), "<m-1@dmda-a.de-mail.de>", false);
        second = world.providerA.accept(world.smtp.received.get(1).data(), "<m-2@dmda-a.de-mail.de>", false);
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    @BeforeEach
    void emptySink() {
        world.sink.receipts.clear();
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

    @Test
    void theMailboxIsEmptiedOnlyOnceTheOutcomeIsStored() throws Exception {
        poll(world.providerA.issue(about(first, "confirmation of dispatch")));

        assertThat(world.sink.receipts).hasSize(1);
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }
}
