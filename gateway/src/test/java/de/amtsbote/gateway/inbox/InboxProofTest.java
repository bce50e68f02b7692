package de.amtsbote.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.sandbox.loopback.OutgoingLetter;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransportProof;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Transports' proofs about received messages (De-Mail: the recipient's copy of the Eingangs- and
 * Abholbestätigung): kept with the message, shown with it, served verbatim, once, and only to its participant's
 * clients. Handed in as the adapter does, through the channel's sink.
 */
class InboxProofTest extends RunningGateway {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant IN_MAILBOX = Instant.parse("2026-11-25T09:31:12Z");
    private static final Instant TAKEN = Instant.parse("2026-11-26T08:00:05Z");

    @Autowired
    InboxService inbox;

    private InboundSink loopback() {
        return inbox.forChannel("loopback");
    }

    private static InboundProof proof(String transportId, InboundProof.Event event, Instant at, String text) {
        return new InboundProof(transportId, event, at, new TransportProof("message/rfc822",
                text.getBytes(StandardCharsets.UTF_8), Assurance.PROVIDER_SIGNED));
    }

    private Optional<JsonNode> inboxEntry(String subject) {
        JsonNode page = badVilbel().get("/api/v1/inbox?limit=200").json();
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(m -> m.get("subject").asString().equals(subject)).findFirst();
    }

    /** A message from outside over the loopback peer, as stored: its inbox id and its transport id. */
    private String[] received(String subject) {
        PEER.send("poststelle", new OutgoingLetter("stadt-bad-vilbel@gateway", subject, "Guten Tag", false,
                List.of()));
        await("the message is in the inbox", WAIT, () -> inboxEntry(subject).isPresent());
        String id = inboxEntry(subject).orElseThrow().get("id").asString();
        String transportId = jdbc.sql("select transport_id from inbox_message where id = :id").param("id", id)
                .query(String.class).single();
        return new String[] {id, transportId};
    }

    private long keptProofs(String transportId) {
        return jdbc.sql("select count(*) from inbound_proof where transport_id = :t").param("t", transportId)
                .query(Long.class).single();
    }

    @Test
    void aProofIsShownWithItsMessageAndServedVerbatimWithItsMediaType() {
        String[] m = received("Antrag " + UUID.randomUUID());
        String mail = "From: Eingangsbestaetigung@dmda-b.de-mail.de\r\n\r\nsigned confirmation " + UUID.randomUUID();

        loopback().inboundProof(proof(m[1], InboundProof.Event.DELIVERED, IN_MAILBOX, mail));

        JsonNode proofs = badVilbel().get("/api/v1/inbox/" + m[0]).json().get("proofs");
        assertThat(proofs).hasSize(1);
        assertThat(proofs.get(0).get("index").asInt()).isZero();
        assertThat(proofs.get(0).get("event").asString()).isEqualTo("DELIVERED");
        assertThat(Instant.parse(proofs.get(0).get("time").asString())).isEqualTo(IN_MAILBOX);
        assertThat(proofs.get(0).get("assurance").asString()).isEqualTo("PROVIDER_SIGNED");
        assertThat(proofs.get(0).get("mediaType").asString()).isEqualTo("message/rfc822");
        Response served = badVilbel().get("/api/v1/inbox/" + m[0] + "/proofs/0");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.contentType()).startsWith("message/rfc822");
        assertThat(served.body()).isEqualTo(mail.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameProofHandedInTwiceIsKeptOnceAndAnotherEventIsKeptBesideIt() {
        String[] m = received("Widerspruch " + UUID.randomUUID());
        InboundProof delivered = proof(m[1], InboundProof.Event.DELIVERED, IN_MAILBOX, "Eingangsbestätigung");

        loopback().inboundProof(delivered);
        loopback().inboundProof(delivered);
        loopback().inboundProof(proof(m[1], InboundProof.Event.RETRIEVED, TAKEN, "Abholbestätigung"));

        assertThat(keptProofs(m[1])).isEqualTo(2);
        JsonNode proofs = badVilbel().get("/api/v1/inbox/" + m[0]).json().get("proofs");
        assertThat(proofs).hasSize(2);
        assertThat(proofs.get(0).get("event").asString()).isEqualTo("DELIVERED");
        assertThat(proofs.get(1).get("event").asString()).isEqualTo("RETRIEVED");
        assertThat(Instant.parse(proofs.get(1).get("time").asString())).isEqualTo(TAKEN);
        assertThat(badVilbel().get("/api/v1/inbox/" + m[0] + "/proofs/1").text()).isEqualTo("Abholbestätigung");
    }

    @Test
    void aProofKeptBeforeItsMessageIsShownOnceTheMessageIsStoredAndOnlyOnItsOwnChannel() {
        String transportId = "<early-" + UUID.randomUUID() + "@loopback.example>";
        String subject = "Frühe Bestätigung " + UUID.randomUUID();
        loopback().inboundProof(proof(transportId, InboundProof.Event.DELIVERED, IN_MAILBOX, "came first"));
        // the same transport id on another channel is another message
        inbox.forChannel("demail").inboundProof(proof(transportId, InboundProof.Event.RETRIEVED, TAKEN, "elsewhere"));
        assertThat(keptProofs(transportId)).isEqualTo(2);

        byte[] body = "Guten Tag".getBytes(StandardCharsets.UTF_8);
        assertThat(loopback().accept(new InboundMessage(transportId,
                ChannelAddress.parse("loopback:poststelle@loopback.example"),
                ChannelAddress.parse("loopback:stadt-bad-vilbel@gateway"), subject,
                () -> new ByteArrayInputStream(body), Instant.now(), false, SignatureCheck.unsigned(), List.of())))
                .isEqualTo(InboundSink.Stored.NEW);

        JsonNode proofs = inboxEntry(subject).orElseThrow().get("proofs");
        assertThat(proofs).singleElement().satisfies(p -> assertThat(p.get("event").asString())
                .isEqualTo("DELIVERED"));
        String id = inboxEntry(subject).orElseThrow().get("id").asString();
        assertThat(badVilbel().get("/api/v1/inbox/" + id + "/proofs/0").text()).isEqualTo("came first");
    }

    @Test
    void aMessageWithoutProofsShowsAnEmptyListAndNoProofToFetch() {
        String[] m = received("Ohne Bestätigung " + UUID.randomUUID());

        assertThat(badVilbel().get("/api/v1/inbox/" + m[0]).json().get("proofs")).isEmpty();
        Response missing = badVilbel().get("/api/v1/inbox/" + m[0] + "/proofs/0");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).contains("has no proof 0");
        assertThat(badVilbel().get("/api/v1/inbox/" + m[0] + "/proofs/-1").status()).isEqualTo(404);
    }

    @Test
    void anotherAuthorityCanNeitherSeeNorFetchTheProofs() {
        String[] m = received("Vertraulich " + UUID.randomUUID());
        loopback().inboundProof(proof(m[1], InboundProof.Event.DELIVERED, IN_MAILBOX, "only for Bad Vilbel"));

        Response entry = client(VIERNHEIM_TOKEN).get("/api/v1/inbox/" + m[0]);
        Response proof = client(VIERNHEIM_TOKEN).get("/api/v1/inbox/" + m[0] + "/proofs/0");

        assertThat(entry.status()).isEqualTo(404);
        assertThat(proof.status()).isEqualTo(404);
        assertThat(proof.text()).doesNotContain("only for Bad Vilbel");
        assertThat(badVilbel().get("/api/v1/inbox/" + m[0] + "/proofs/0").status()).isEqualTo(200);
    }
}
