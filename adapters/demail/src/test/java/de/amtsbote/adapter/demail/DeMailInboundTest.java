package de.amtsbote.adapter.demail;

import static de.amtsbote.adapter.demail.DeMailWorld.ERIKA;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound De-Mail (wire contract section 5): integrity checked, end-to-end S/MIME opened, failures quarantined. */
class DeMailInboundTest {

    @TempDir
    static Path dir;
    static DeMailWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new DeMailWorld(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    @BeforeEach
    void emptySink() {
        world.sink.accepted.clear();
        world.sink.bodies.clear();
        world.sink.parts.clear();
        world.sink.quarantined.clear();
        world.sink.reasons.clear();
    }

    /** A De-Mail from the partner to the Kreis as the partner's provider delivers it. */
    private static byte[] fromPartner(String deliveryId, Set<DeliveryOption> options, String messageId, boolean sign)
            throws Exception {
        int before = world.smtp.received.size();
        world.adapter.dispatch(envelope(deliveryId, PARTNER, PARTNER_ADDRESS, KREIS_ADDRESS, options));
        return world.providerA.accept(world.smtp.received.get(before).data(), messageId, sign);
    }

    private static void poll(byte[] mail) throws Exception {
        world.deliverToKreis(mail);
        world.adapter.poll();
    }

    /** The test PKI has no CRL or OCSP, so the validator flags every result; nothing else may be flagged. */
    private static void assertValidBesidesTheTestPkisMissingRevocation(SignatureCheck check) {
        assertThat(check.status()).isIn(SignatureCheck.Status.VALID, SignatureCheck.Status.VALID_WITH_WARNINGS);
        assertThat(check.warnings()).allSatisfy(w -> assertThat(w.toLowerCase()).contains("revocation"));
    }

    @Test
    void anEndToEndEncryptedMessageIsOpenedWithTheParticipantsKeyAndAccepted() throws Exception {
        poll(fromPartner("in-e2e", Set.of(DeliveryOption.ENCRYPT), "<m-e2e@dmda-a.de-mail.de>", false));

        assertThat(world.sink.reasons).isEmpty();
        InboundMessage m = world.sink.accepted.get(0);
        assertThat(m.transportId()).isEqualTo("<m-e2e@dmda-a.de-mail.de>");
        assertThat(m.from().toString()).isEqualTo("demail:" + PARTNER_ADDRESS);
        assertThat(m.to().toString()).isEqualTo("demail:" + KREIS_ADDRESS);
        assertThat(m.subject()).isEqualTo("Bescheid über Ihren Antrag");
        assertValidBesidesTheTestPkisMissingRevocation(m.signature());
        assertThat(m.signature().signer()).contains("CN=" + PARTNER);
        assertThat(world.sink.bodies.get(0)).contains("anbei der Bescheid.");
        assertThat(new String(world.sink.parts.get(0).get("bescheid.pdf"), StandardCharsets.US_ASCII))
                .startsWith("%PDF-1.7");
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }

    @Test
    void aPlainMessageOnlyHashedByItsProviderIsAcceptedAsUnsigned() throws Exception {
        poll(fromPartner("in-plain", Set.of(DeliveryOption.RETRIEVAL_RECEIPT), "<m-plain@dmda-a.de-mail.de>", false));

        assertThat(world.sink.reasons).isEmpty();
        InboundMessage m = world.sink.accepted.get(0);
        assertThat(m.signature().status()).isEqualTo(SignatureCheck.Status.UNSIGNED);
        assertThat(m.retrievalReceiptWanted()).isTrue();
        assertThat(world.sink.parts.get(0)).containsKey("bescheid.pdf");
    }

    @Test
    void aStoredMessageIsRememberedWithItsIntegrityFieldForTheConfirmationsQuotingIt() throws Exception {
        byte[] mail = fromPartner("in-remember", Set.of(DeliveryOption.DELIVERY_RECEIPT),
                "<m-remember@dmda-a.de-mail.de>", false);
        poll(mail);

        assertThat(world.sink.accepted).hasSize(1);
        assertThat(world.memory.recall(DeMailInbound.receivedKey("<m-remember@dmda-a.de-mail.de>")))
                .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(
                        TestProvider.value(new String(mail, StandardCharsets.ISO_8859_1), "X-de-mail-integrity")));
    }

    @Test
    void aQuarantinedMessageIsNotRememberedForConfirmations() throws Exception {
        byte[] mail = fromPartner("in-forget", Set.of(), "<m-forget@dmda-a.de-mail.de>", false);
        poll(new String(mail, StandardCharsets.ISO_8859_1).replace("anbei der Bescheid", "anbei die Mahnung")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(world.sink.quarantined).hasSize(1);
        assertThat(world.memory.recall(DeMailInbound.receivedKey("<m-forget@dmda-a.de-mail.de>"))).isEmpty();
    }

    @Test
    void anAbsenderbestaetigtMessageShowsTheProvidersSignature() throws Exception {
        poll(fromPartner("in-signed", Set.of(DeliveryOption.SIGN), "<m-signed@dmda-a.de-mail.de>", true));

        assertThat(world.sink.reasons).isEmpty();
        SignatureCheck check = world.sink.accepted.get(0).signature();
        assertValidBesidesTheTestPkisMissingRevocation(check);
        assertThat(check.signer()).startsWith("De-Mail provider signature (absenderbestätigt) by CN=dmda-a.de-mail.de");
    }

    @Test
    void anAbsenderbestaetigtMessageThatIsOnlyHashedIsQuarantined() throws Exception {
        poll(fromPartner("in-unsigned", Set.of(DeliveryOption.SIGN), "<m-unsigned@dmda-a.de-mail.de>", false));

        assertThat(world.sink.accepted).isEmpty();
        assertThat(world.sink.reasons).singleElement().satisfies(r ->
                assertThat(r).startsWith("integrity field: not signed:"));
    }

    @Test
    void aMessageChangedAfterItsProviderHashedItIsQuarantined() throws Exception {
        byte[] mail = fromPartner("in-tampered", Set.of(), "<m-tampered@dmda-a.de-mail.de>", false);
        String text = new String(mail, StandardCharsets.ISO_8859_1).replace("anbei der Bescheid", "anbei die Mahnung");
        poll(text.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(world.sink.accepted).isEmpty();
        assertThat(world.sink.quarantined).singleElement().satisfies(q -> {
            assertThat(q.reason()).startsWith("integrity field: body hash:");
            assertThat(q.transportId()).isEqualTo("<m-tampered@dmda-a.de-mail.de>");
        });
        assertThat(world.greenMail.getReceivedMessagesForDomain(KREIS_ADDRESS)).isEmpty();
    }

    @Test
    void aMessageWithAChangedSignedHeaderIsQuarantined() throws Exception {
        byte[] mail = fromPartner("in-header", Set.of(), "<m-header@dmda-a.de-mail.de>", false);
        String text = new String(mail, StandardCharsets.ISO_8859_1).replace("x-de-mail-sender: " + PARTNER_ADDRESS,
                "x-de-mail-sender: " + ERIKA);
        poll(text.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(world.sink.accepted).isEmpty();
        assertThat(world.sink.reasons).singleElement().satisfies(r ->
                assertThat(r).startsWith("integrity field: header hash:"));
    }

    @Test
    void aMailWithoutIntegrityFieldIsQuarantined() throws Exception {
        int before = world.smtp.received.size();
        world.adapter.dispatch(envelope("in-raw", PARTNER, PARTNER_ADDRESS, KREIS_ADDRESS, Set.of()));
        String raw = world.smtp.received.get(before).text();
        String typed = raw.replaceFirst("\r\n\r\n", "\r\nX-de-mail-message-type: normal\r\n\r\n");
        poll(typed.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(world.sink.reasons).singleElement().satisfies(r -> assertThat(r).startsWith("integrity field:"
                + " missing:"));
    }
}
