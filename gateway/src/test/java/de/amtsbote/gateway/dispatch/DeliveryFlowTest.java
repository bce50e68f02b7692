package de.amtsbote.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.receipts.ReceiptProcessor;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.sandbox.loopback.FaultPlan;
import de.amtsbote.sandbox.loopback.ReceivedMessage;
import de.amtsbote.spi.TransportReceipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A message's way from submission to the peer and back, with the evidence each step leaves. */
class DeliveryFlowTest extends RunningGateway {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PREVIOUS = Pattern.compile("<PreviousEvidence algorithm=\"SHA-256\">([0-9a-f]{64})<");

    @Autowired
    ReceiptProcessor receipts;

    @AfterEach
    void clearFaults() {
        PEER.clearFaults();
    }

    private String submit(String recipient, String receipts, byte[] attachment) {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["%s"], "subject": "Bescheid %s",
                 "body": "Guten Tag", "options": {"sign": false, "encrypt": false, "receipts": [%s]}}
                """.formatted(recipient, Instant.now(), receipts))
                .attachment("bescheid.pdf", "application/pdf", attachment));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private JsonNode message(String id) {
        return badVilbel().get("/api/v1/messages/" + id).json();
    }

    private JsonNode delivery(String id) {
        return message(id).get("deliveries").get(0);
    }

    private String awaitState(String id, String state) {
        await("delivery of " + id + " is " + state, WAIT, () -> delivery(id).get("state").asString().equals(state));
        return delivery(id).get("transportReference").asString();
    }

    private List<String> events(String id) {
        List<String> events = new ArrayList<>();
        message(id).get("evidence").forEach(e -> events.add(e.get("event").asString()));
        return events;
    }

    @Test
    void deliversToThePeerWithTheSubmittedContent() {
        byte[] pdf = "%PDF-1.7 Hundesteuerbescheid".getBytes(StandardCharsets.US_ASCII);
        String id = submit("participant:kreis-bergstrasse", "\"delivery\"", pdf);

        String transportId = awaitState(id, "DELIVERED");

        ReceivedMessage received = PEER.received("poststelle").stream()
                .filter(m -> m.transportId().equals(transportId)).findFirst().orElseThrow();
        assertThat(received.messageId()).isEqualTo(id);
        assertThat(received.parts().get(1).sha256()).isEqualTo(ContentDigester.hexOf(pdf));
        assertThat(events(id)).containsExactly("SubmissionAcceptance", "DispatchAttempt", "DeliveryAcceptance");
    }

    @Test
    void linksEveryEvidenceToThePreviousOneByDigest() {
        String id = submit("participant:kreis-bergstrasse", "\"delivery\"", new byte[] {1, 2, 3});
        awaitState(id, "DELIVERED");

        List<byte[]> documents = new ArrayList<>();
        message(id).get("evidence").forEach(e -> documents.add(
                badVilbel().get("/api/v1/evidence/" + e.get("id").asString()).body()));

        assertThat(documents).hasSize(3);
        assertThat(previousOf(documents.get(0))).isEmpty();
        for (int i = 1; i < documents.size(); i++) {
            assertThat(previousOf(documents.get(i))).contains(ContentDigester.hexOf(documents.get(i - 1)));
        }
        assertThat(new String(documents.get(0), StandardCharsets.UTF_8))
                .contains("<EventType>SubmissionAcceptance</EventType>", "<MessageId>" + id + "</MessageId>");
    }

    @Test
    void reachesRetrievedWhenThePeersRecipientReadsTheMessage() {
        String id = submit("loopback:buergerbuero@loopback.example", "\"retrieval\"", new byte[] {4});
        String transportId = awaitState(id, "DELIVERED");

        PEER.read("buergerbuero", transportId);

        awaitState(id, "RETRIEVED");
        assertThat(events(id)).endsWith("DeliveryAcceptance", "Retrieval");
    }

    @Test
    void retriesATransientFailureAndThenDelivers() {
        PEER.injectFaults(new FaultPlan(2, 503, 0));
        String id = submit("participant:kreis-bergstrasse", "", new byte[] {5});

        awaitState(id, "DELIVERED");

        assertThat(delivery(id).get("attempts").asInt()).isEqualTo(3);
        assertThat(events(id)).containsExactly("SubmissionAcceptance", "DispatchAttempt", "RelayFailure",
                "DispatchAttempt", "RelayFailure", "DispatchAttempt", "DeliveryAcceptance");
    }

    @Test
    void endsAsFailedWithThePeersReasonWhenTheMailboxDoesNotExist() {
        String id = submit("loopback:gibtesnicht@loopback.example", "", new byte[] {6});

        awaitState(id, "FAILED");

        assertThat(delivery(id).get("lastError").asString()).contains("gibtesnicht");
        assertThat(delivery(id).get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void givesUpAfterTheAttemptLimit() {
        PEER.injectFaults(new FaultPlan(3, 500, 0));
        String id = submit("participant:kreis-bergstrasse", "", new byte[] {7});

        awaitState(id, "FAILED");

        assertThat(delivery(id).get("lastError").asString()).startsWith("gave up after 3 attempts");
    }

    @Test
    void aLateReceiptIsKeptAsEvidenceButNeverMovesADeliveryBack() {
        String id = submit("loopback:buergerbuero@loopback.example", "\"retrieval\"", new byte[] {8});
        String transportId = awaitState(id, "DELIVERED");
        PEER.read("buergerbuero", transportId);
        awaitState(id, "RETRIEVED");

        receipts.accept(new TransportReceipt("loopback", transportId, TransportReceipt.Event.DELIVERED, Instant.now(),
                null, null));

        assertThat(delivery(id).get("state").asString()).isEqualTo("RETRIEVED");
        assertThat(events(id)).endsWith("Retrieval", "DeliveryAcceptance");
    }

    @Test
    void appliesAReceiptThatArrivesBeforeItsDeliveryIsKnown() {
        PEER.injectFaults(new FaultPlan(0, 200, 1500));
        String id = submit("loopback:buergerbuero@loopback.example", "\"retrieval\"", new byte[] {9});
        await("the peer received it", WAIT, () -> PEER.received("buergerbuero").stream()
                .anyMatch(m -> id.equals(m.messageId())));
        String transportId = PEER.received("buergerbuero").stream().filter(m -> id.equals(m.messageId()))
                .findFirst().orElseThrow().transportId();

        // the recipient's receipt overtakes the peer's answer to the dispatch
        receipts.accept(new TransportReceipt("loopback", transportId, TransportReceipt.Event.RETRIEVED,
                Instant.now(), null, null));
        PEER.clearFaults();

        awaitState(id, "RETRIEVED");
        assertThat(events(id)).endsWith("DeliveryAcceptance", "Retrieval");
    }

    private static Optional<String> previousOf(byte[] document) {
        Matcher m = PREVIOUS.matcher(new String(document, StandardCharsets.UTF_8));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
