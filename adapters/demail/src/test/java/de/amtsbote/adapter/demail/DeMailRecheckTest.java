package de.amtsbote.adapter.demail;

import static de.amtsbote.adapter.demail.DeMailWorld.KREIS;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER;
import static de.amtsbote.adapter.demail.DeMailWorld.PARTNER_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.testing.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releasing a quarantined De-Mail: the adapter checks it again with the code that checked it when it was fetched, as
 * if it were found again in the mailbox it came from, and hands the outcome to the sink it is given.
 */
class DeMailRecheckTest {

    private static final Instant ARRIVED = Instant.parse("2026-11-24T08:15:00Z");

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
    void kreisIsAParticipant() {
        world.sink.clear();
        world.directory.participants.put(KREIS_ADDRESS, KREIS);
    }

    /** A De-Mail from the partner to the Kreis as the partner's provider delivers it. */
    private static byte[] fromPartner(String deliveryId, String messageId) throws Exception {
        int before = world.smtp.received.size();
        world.adapter.dispatch(envelope(deliveryId, PARTNER, PARTNER_ADDRESS, KREIS_ADDRESS,
                Set.of(DeliveryOption.DELIVERY_RECEIPT)));
        return world.providerA.accept(world.smtp.received.get(before).data(), messageId, false);
    }

    private static QuarantinedMessage kept(byte[] raw, String transportId, String reason) {
        return new QuarantinedMessage(transportId, reason, ARRIVED, () -> new ByteArrayInputStream(raw),
                List.of(KREIS_ADDRESS));
    }

    @Test
    void aMessageFetchedBeforeItsRecipientWasAParticipantKeepsItsMailboxAndIsAcceptedOnRecheck() throws Exception {
        byte[] mail = fromPartner("re-new-participant", "<m-re-1@dmda-a.de-mail.de>");
        world.directory.participants.remove(KREIS_ADDRESS);
        world.deliverToKreis(mail);
        world.adapter.poll();

        assertThat(world.sink.accepted).isEmpty();
        QuarantinedMessage q = world.sink.quarantined.get(0);
        assertThat(q.reason()).startsWith("not addressed to a participant:").contains(KREIS_ADDRESS);
        assertThat(q.deliveredTo()).as("the mailbox it was fetched from").containsExactly(KREIS_ADDRESS);

        world.directory.participants.put(KREIS_ADDRESS, KREIS);
        RecordingSink recheck = new RecordingSink();
        world.adapter.recheck(kept(mail, q.transportId(), q.reason()), recheck);

        assertThat(recheck.quarantined).isEmpty();
        InboundMessage m = recheck.accepted.get(0);
        assertThat(recheck.accepted).hasSize(1);
        assertThat(m.transportId()).isEqualTo("<m-re-1@dmda-a.de-mail.de>").isEqualTo(q.transportId());
        assertThat(m.to().toString()).isEqualTo("demail:" + KREIS_ADDRESS);
        assertThat(m.from().toString()).isEqualTo("demail:" + PARTNER_ADDRESS);
        assertThat(m.receivedAt()).as("the first arrival").isEqualTo(ARRIVED);
        assertThat(recheck.bodies.get(0)).contains("anbei der Bescheid.");
        assertThat(world.sink.accepted).as("nothing went to the channel's own sink").isEmpty();
        assertThat(world.memory.recall(DeMailInbound.receivedKey(m.transportId())))
                .as("remembered for the confirmations that will quote it").isPresent();
    }

    @Test
    void aMessageChangedAfterItsProviderHashedItStaysQuarantinedWithItsReason() throws Exception {
        byte[] mail = fromPartner("re-tampered", "<m-re-2@dmda-a.de-mail.de>");
        byte[] tampered = new String(mail, StandardCharsets.ISO_8859_1).replace("anbei der Bescheid",
                "anbei die Mahnung").getBytes(StandardCharsets.ISO_8859_1);
        RecordingSink recheck = new RecordingSink();

        world.adapter.recheck(kept(tampered, "<m-re-2@dmda-a.de-mail.de>", "integrity field: body hash: …"), recheck);

        assertThat(recheck.accepted).isEmpty();
        assertThat(recheck.quarantined).singleElement().satisfies(again -> {
            assertThat(again.reason()).startsWith("integrity field: body hash:");
            assertThat(again.transportId()).isEqualTo("<m-re-2@dmda-a.de-mail.de>");
            assertThat(again.receivedAt()).isEqualTo(ARRIVED);
            assertThat(again.deliveredTo()).containsExactly(KREIS_ADDRESS);
        });
        assertThat(world.memory.recall(DeMailInbound.receivedKey("<m-re-2@dmda-a.de-mail.de>"))).isEmpty();
    }

    @Test
    void aMailOverTheSizeLimitStaysQuarantinedAsOversized() throws Exception {
        byte[] head = "Message-ID: <big@x>\r\nX-de-mail-message-type: normal\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long body = DeMailSettings.DEFAULT_MAX_MESSAGE_BYTES + 1;
        RecordingSink recheck = new RecordingSink();

        world.adapter.recheck(new QuarantinedMessage("sha256:abc", "oversized: …", ARRIVED,
                () -> new SequenceInputStream(new ByteArrayInputStream(head), new InputStream() {
                    long left = body;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'x' : -1;
                    }
                }), List.of(KREIS_ADDRESS)), recheck);

        assertThat(recheck.accepted).isEmpty();
        assertThat(recheck.reasons).singleElement().satisfies(r ->
                assertThat(r).startsWith("oversized:").contains("max-message-size"));
    }
}
