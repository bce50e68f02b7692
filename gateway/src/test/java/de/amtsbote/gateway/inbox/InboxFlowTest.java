package de.amtsbote.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.sandbox.loopback.OutgoingLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Messages from outside parties: into the inbox, read by the client system, acknowledged with a receipt. */
class InboxFlowTest extends RunningGateway {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Optional<JsonNode> inboxEntry(String subject) {
        JsonNode page = badVilbel().get("/api/v1/inbox?limit=200").json();
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(m -> m.get("subject").asString().equals(subject)).findFirst();
    }

    private String sendFromOutside(String to, String subject, byte[] attachment) {
        return PEER.send("poststelle", new OutgoingLetter(to, subject, "Sehr geehrte Damen und Herren", true,
                List.of(new OutgoingLetter.Attachment("Antrag Müller.pdf", "application/pdf", attachment))));
    }

    @Test
    void receivesAMessageIntoTheAddressedParticipantsInbox() {
        String subject = "Antrag auf Akteneinsicht " + UUID.randomUUID();
        byte[] pdf = "%PDF-1.7 Antrag".getBytes(StandardCharsets.US_ASCII);
        sendFromOutside("stadt-bad-vilbel@gateway", subject, pdf);

        await("the message is in the inbox", WAIT, () -> inboxEntry(subject).isPresent());
        JsonNode m = inboxEntry(subject).orElseThrow();

        assertThat(m.get("participant").asString()).isEqualTo("stadt-bad-vilbel");
        assertThat(m.get("from").asString()).isEqualTo("loopback:poststelle@loopback.example");
        assertThat(m.get("signature").get("status").asString()).isEqualTo("UNSIGNED");
        assertThat(m.get("attachments").get(0).get("fileName").asString()).isEqualTo("Antrag Müller.pdf");
        String id = m.get("id").asString();
        assertThat(badVilbel().get("/api/v1/inbox/" + id + "/body").text()).isEqualTo("Sehr geehrte Damen und Herren");
    }

    @Test
    void servesAnAttachmentDecryptedWithItsDigest() throws Exception {
        String subject = "Unterlagen " + UUID.randomUUID();
        byte[] pdf = new byte[300_000];
        new java.util.Random(3).nextBytes(pdf);
        sendFromOutside("stadt-bad-vilbel@gateway", subject, pdf);
        await("the message is in the inbox", WAIT, () -> inboxEntry(subject).isPresent());
        String id = inboxEntry(subject).orElseThrow().get("id").asString();

        var response = java.net.http.HttpClient.newHttpClient().send(
                badVilbel().request("/api/v1/inbox/" + id + "/attachments/0").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(pdf);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(response.headers().firstValue("Repr-Digest")).contains("sha-256=:" + Base64.getEncoder()
                .encodeToString(HexFormat.of().parseHex(ContentDigester.hexOf(pdf))) + ":");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).contains("filename*=UTF-8''");
    }

    @Test
    void acknowledgingSendsTheRetrievalReceiptOnceAndOnlyOnce() {
        String subject = "Widerspruch " + UUID.randomUUID();
        String outgoingId = sendFromOutside("stadt-bad-vilbel@gateway", subject, new byte[] {1});
        await("the message is in the inbox", WAIT, () -> inboxEntry(subject).isPresent());
        String id = inboxEntry(subject).orElseThrow().get("id").asString();

        Response first = badVilbel().post("/api/v1/inbox/" + id + "/ack");
        Response again = badVilbel().post("/api/v1/inbox/" + id + "/ack");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("acknowledgedAt").asString()).isEqualTo(first.json().get("acknowledgedAt").asString());
        await("the sender got the retrieval receipt", WAIT,
                () -> PEER.outgoing("poststelle", outgoingId).retrievedAt() != null);
        assertThat(jdbc.sql("select count(*) from evidence where message_id = :id and event = 'Retrieval'")
                .param("id", id).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anotherAuthorityCannotSeeOrAcknowledgeTheMessage() {
        String subject = "Vertraulich " + UUID.randomUUID();
        sendFromOutside("stadt-bad-vilbel@gateway", subject, new byte[] {2});
        await("the message is in the inbox", WAIT, () -> inboxEntry(subject).isPresent());
        String id = inboxEntry(subject).orElseThrow().get("id").asString();

        assertThat(client(VIERNHEIM_TOKEN).get("/api/v1/inbox/" + id).status()).isEqualTo(404);
        assertThat(client(VIERNHEIM_TOKEN).post("/api/v1/inbox/" + id + "/ack").status()).isEqualTo(404);
        assertThat(client(VIERNHEIM_TOKEN).get("/api/v1/inbox?limit=200").text()).doesNotContain(subject);
    }

    @Test
    void quarantinesAMessageForSomeoneTheGatewayDoesNotServe() {
        long before = jdbc.sql("select count(*) from quarantine").query(Long.class).single();
        sendFromOutside("stadt-unbekannt@gateway", "Irrläufer", new byte[] {3});

        await("the message is quarantined", WAIT,
                () -> jdbc.sql("select count(*) from quarantine").query(Long.class).single() == before + 1);
        assertThat(jdbc.sql("select reason from quarantine order by received_at desc limit 1").query(String.class)
                .single()).contains("stadt-unbekannt@gateway", "no participant");
    }

    @Test
    void pagesTheInboxNewestFirst() {
        for (int i = 0; i < 3; i++) {
            sendFromOutside("stadt-bad-vilbel@gateway", "Seite " + i + " " + UUID.randomUUID(), new byte[] {(byte) i});
        }
        await("three more messages arrived", WAIT,
                () -> badVilbel().get("/api/v1/inbox?limit=200").json().get("items").size() >= 3);

        JsonNode first = badVilbel().get("/api/v1/inbox?limit=2").json();
        JsonNode second = badVilbel().get(first.get("next").asString()).json();

        assertThat(first.get("items")).hasSize(2);
        assertThat(second.get("items").get(0).get("receivedAt").asString())
                .isLessThanOrEqualTo(first.get("items").get(1).get("receivedAt").asString());
        assertThat(second.get("items").get(0).get("id").asString())
                .isNotEqualTo(first.get("items").get(1).get("id").asString());
    }
}
