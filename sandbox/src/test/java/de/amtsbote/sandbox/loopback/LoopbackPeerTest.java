package de.amtsbote.sandbox.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.content.ContentDigester;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class LoopbackPeerTest {

    private static final String PDF = "application/pdf";

    @TempDir
    Path dataDir;

    private LoopbackPeer peer;
    private PeerClient client;

    @BeforeEach
    void startPeer() throws Exception {
        start(LoopbackPeer.builder(dataDir).mailboxes("poststelle", "buergerbuero"));
    }

    @AfterEach
    void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    // --- deliveries

    @Test
    void acceptsNewDeliveryAndAnswersDigestOfEachPart() {
        HttpResponse<String> response = client.delivery("poststelle", "d-1")
                .body("Sehr geehrte Damen und Herren")
                .part(PeerClient.Part.of("bescheid.pdf", PDF, "%PDF-1.7 bescheid"))
                .send();

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode answer = PeerClient.json(response);
        assertThat(answer.get("transportId").stringValue()).isNotBlank();
        assertThat(Instant.parse(answer.get("receivedAt").stringValue())).isNotNull();
        assertThat(answer.get("duplicate").booleanValue()).isFalse();
        assertThat(answer.get("parts")).hasSize(2);
        assertThat(answer.get("parts").get(0).get("sha256").stringValue())
                .isEqualTo(sha256("Sehr geehrte Damen und Herren"));
        assertThat(answer.get("parts").get(1).get("name").stringValue()).isEqualTo("bescheid.pdf");
        assertThat(answer.get("parts").get(1).get("size").longValue()).isEqualTo(17);
        assertThat(answer.get("parts").get(1).get("sha256").stringValue()).isEqualTo(sha256("%PDF-1.7 bescheid"));
    }

    @Test
    void storesReceivedPartsInTheMailboxDirectory() throws Exception {
        HttpResponse<String> response = client.delivery("poststelle", "d-1")
                .body("Text")
                .part(PeerClient.Part.of("../../etc/passwd", PDF, "content"))
                .send();

        String transportId = PeerClient.json(response).get("transportId").stringValue();
        Path directory = peer.contentDirectory("poststelle", transportId);
        assertThat(directory).isDirectory();
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("00-body.txt", "01-_.._etc_passwd");
        }
        assertThat(Files.readString(directory.resolve("01-_.._etc_passwd"))).isEqualTo("content");
    }

    @Test
    void answersRedeliveryWithTheSameTransportIdAndCountsItAsDuplicate() {
        String first = PeerClient.json(client.delivery("poststelle", "d-1").body("Text").send())
                .get("transportId").stringValue();

        HttpResponse<String> again = client.delivery("poststelle", "d-1").header("X-Attempt", "2")
                .header("X-Node", "node-b").body("Text").send();

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(PeerClient.json(again).get("transportId").stringValue()).isEqualTo(first);
        assertThat(PeerClient.json(again).get("duplicate").booleanValue()).isTrue();
        assertThat(peer.received("poststelle")).hasSize(1);
        PeerStats stats = peer.stats();
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.unique()).isEqualTo(1);
        assertThat(stats.duplicates()).isEqualTo(1);
    }

    @Test
    void takesConcurrentDeliveriesOfOneDeliveryIdOnlyOnce() throws Exception {
        int senders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch ready = new CountDownLatch(senders);
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String node = "node-" + i;
                calls.add(() -> {
                    ready.countDown();
                    ready.await();
                    return client.delivery("poststelle", "d-1").header("X-Node", node).body("Text").send();
                });
            }
            List<Integer> statuses = new ArrayList<>();
            Set<String> transportIds = new HashSet<>();
            for (Future<HttpResponse<String>> response : pool.invokeAll(calls)) {
                statuses.add(response.get().statusCode());
                transportIds.add(PeerClient.json(response.get()).get("transportId").stringValue());
            }

            assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 200);
            assertThat(transportIds).hasSize(1);
            assertThat(peer.received("poststelle")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsDeliveryToUnknownMailboxWith404() {
        HttpResponse<String> response = client.delivery("nobody", "d-1").body("Text").send();

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(PeerClient.json(response).get("error").stringValue()).isEqualTo("unknown mailbox nobody");
    }

    @Test
    void rejectsBodyShorterThanDeclaredParts() {
        HttpResponse<String> response = client.delivery("poststelle", "d-1")
                .body("Text")
                .part(PeerClient.Part.of("a.pdf", PDF, "0123456789"))
                .actualBodyBytes(8)
                .send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PeerClient.json(response).get("error").stringValue()).contains("shorter than X-Parts");
        assertThat(peer.received("poststelle")).isEmpty();
    }

    @Test
    void rejectsBodyLongerThanDeclaredParts() {
        HttpResponse<String> response = client.delivery("poststelle", "d-1").body("Text").actualBodyBytes(20).send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PeerClient.json(response).get("error").stringValue()).contains("longer than X-Parts");
        assertThat(peer.received("poststelle")).isEmpty();
    }

    @Test
    void rejectsDeliveryWithoutDeliveryId() {
        HttpResponse<String> response = client.delivery("poststelle", "d-1").header("X-Delivery-Id", null)
                .body("Text").send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PeerClient.json(response).get("error").stringValue()).isEqualTo("header X-Delivery-Id is missing");
    }

    @Test
    void rejectsMalformedPercentEncodingInSubject() {
        HttpResponse<String> response = client.delivery("poststelle", "d-1").header("X-Subject", "Bad%ZZ")
                .body("Text").send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PeerClient.json(response).get("error").stringValue()).contains("X-Subject");
    }

    @Test
    void decodesPercentEncodedSubjectReferenceAndPartNames() {
        client.delivery("poststelle", "d-1")
                .header("X-Subject", PeerClient.encode("Anhörung + Frist; 1,5 Tage"))
                .header("X-Reference", PeerClient.encode("AZ 12/ä-3"))
                .body("Text")
                .part(PeerClient.Part.of("Straßenplan;v2,final.pdf", PDF, "x"))
                .send();

        ReceivedMessage message = peer.received("poststelle").get(0);
        assertThat(message.subject()).isEqualTo("Anhörung + Frist; 1,5 Tage");
        assertThat(message.reference()).isEqualTo("AZ 12/ä-3");
        assertThat(message.parts().get(1).name()).isEqualTo("Straßenplan;v2,final.pdf");
    }

    @Test
    void listsWhatAMailboxReceived() {
        client.delivery("buergerbuero", "d-1").body("Text").send();

        JsonNode listing = PeerClient.json(client.get("/mailboxes/buergerbuero/messages"));

        assertThat(listing.get("messages")).hasSize(1);
        JsonNode message = listing.get("messages").get(0);
        assertThat(message.get("deliveryId").stringValue()).isEqualTo("d-1");
        assertThat(message.get("subject").stringValue()).isEqualTo("Bescheid");
        assertThat(message.get("sender").stringValue()).isEqualTo("stadt-bad-vilbel@gateway");
        assertThat(message.get("parts")).hasSize(1);
    }

    // --- faults, log and statistics

    @Test
    void answersInjectedFaultsThenRecovers() {
        client.post("/control/faults", "{\"failNext\":2,\"status\":503}");

        HttpResponse<String> first = client.delivery("poststelle", "d-1").body("Text").send();
        HttpResponse<String> second = client.delivery("poststelle", "d-1").body("Text").send();
        HttpResponse<String> third = client.delivery("poststelle", "d-1").body("Text").send();

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(201);
        PeerStats stats = peer.stats();
        assertThat(stats.faults()).isEqualTo(2);
        assertThat(stats.requests()).isEqualTo(3);
        assertThat(stats.unique()).isEqualTo(1);
        assertThat(stats.duplicates()).isZero();
    }

    @Test
    void clearedFaultsNoLongerFailDeliveries() {
        client.post("/control/faults", "{\"failNext\":5,\"status\":500}");
        client.delete("/control/faults");

        assertThat(client.delivery("poststelle", "d-1").body("Text").send().statusCode()).isEqualTo(201);
    }

    @Test
    void holdsBackAnswersWhileADelayIsInjected() {
        client.post("/control/faults", "{\"delayMillis\":300}");

        long started = System.nanoTime();
        HttpResponse<String> response = client.delivery("poststelle", "d-1").body("Text").send();

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void logsEveryDeliveryWithStartAndEndBeforeAnswering() throws Exception {
        client.delivery("poststelle", "d-1").body("Text").send();
        client.delivery("poststelle", "d-1").header("X-Node", "node-b").header("X-Attempt", "2").body("Text").send();

        List<PeerLogEntry> log = peer.log();

        assertThat(log).hasSize(2);
        PeerLogEntry first = log.get(0);
        assertThat(first.deliveryId()).isEqualTo("d-1");
        assertThat(first.messageId()).isEqualTo("msg-d-1");
        assertThat(first.node()).isEqualTo("node-a");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.mailbox()).isEqualTo("poststelle");
        assertThat(first.bytes()).isEqualTo(4);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.duplicate()).isFalse();
        assertThat(first.end()).isAfterOrEqualTo(first.start());
        PeerLogEntry second = log.get(1);
        assertThat(second.node()).isEqualTo("node-b");
        assertThat(second.duplicate()).isTrue();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.start()).isAfterOrEqualTo(first.end());
        List<String> lines = Files.readAllLines(dataDir.resolve("peer-log.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches(".*\"start\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z\".*");
    }

    @Test
    void logsADeliveryWhoseConnectionBrokeOffWithStatusZero() throws Exception {
        PeerClient.Part broken = new PeerClient.Part("plan.pdf", PDF, 1 << 20, () -> new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 1000) {
                    return 'x';
                }
                throw new IOException("sender crashed");
            }
        });

        assertThatThrownBy(() -> client.delivery("poststelle", "d-1").body("Text").part(broken).send())
                .isInstanceOf(UncheckedIOException.class);

        awaitTrue(() -> !peer.log().isEmpty(), "the broken delivery was logged");
        PeerLogEntry entry = peer.log().get(0);
        assertThat(entry.status()).isZero();
        assertThat(entry.deliveryId()).isEqualTo("d-1");
        assertThat(peer.received("poststelle")).isEmpty();
        try (var leftovers = Files.list(dataDir.resolve("mailboxes").resolve("poststelle"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void reportsRequestsPerNodeInStatistics() {
        client.delivery("poststelle", "d-1").header("X-Node", "node-a").body("Text").send();
        client.delivery("poststelle", "d-2").header("X-Node", "node-b").body("Text").send();
        client.delivery("poststelle", "d-2").header("X-Node", "node-a").body("Text").send();

        JsonNode stats = PeerClient.json(client.get("/control/stats"));

        assertThat(stats.get("requests").longValue()).isEqualTo(3);
        assertThat(stats.get("unique").longValue()).isEqualTo(2);
        assertThat(stats.get("duplicates").longValue()).isEqualTo(1);
        assertThat(stats.get("faults").longValue()).isZero();
        assertThat(stats.get("byNode").get("node-a").longValue()).isEqualTo(2);
        assertThat(stats.get("byNode").get("node-b").longValue()).isEqualTo(1);
        assertThat(peer.stats().byNode()).containsEntry("node-a", 2L).containsEntry("node-b", 1L);
    }

    @Test
    void stillRecognisesRedeliveryAfterRestart() throws Exception {
        String first = PeerClient.json(client.delivery("poststelle", "d-1").body("Text").send())
                .get("transportId").stringValue();
        peer.close();
        start(LoopbackPeer.builder(dataDir).mailboxes("poststelle", "buergerbuero"));

        HttpResponse<String> again = client.delivery("poststelle", "d-1").header("X-Attempt", "2").body("Text").send();

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(PeerClient.json(again).get("transportId").stringValue()).isEqualTo(first);
        assertThat(peer.stats().unique()).isEqualTo(1);
        assertThat(peer.stats().duplicates()).isEqualTo(1);
        assertThat(peer.log()).hasSize(2);
    }

    @Test
    void startsOnAJournalWhoseLastLineACrashCutOff() throws Exception {
        client.delivery("poststelle", "d-1").body("Text").send();
        peer.close();
        Files.writeString(dataDir.resolve("journal.jsonl"), "{\"type\":\"rece", StandardOpenOption.APPEND);

        start(LoopbackPeer.builder(dataDir).mailboxes("poststelle", "buergerbuero"));

        assertThat(client.delivery("poststelle", "d-1").body("Text").send().statusCode()).isEqualTo(200);
        assertThat(client.delivery("poststelle", "d-2").body("Text").send().statusCode()).isEqualTo(201);
    }

    // --- the outbound queue

    @Test
    void offersOutboundMessageOnEveryFetchUntilDeleted() {
        String id = sendLetter("{\"to\":\"stadt-bad-vilbel@gateway\",\"subject\":\"Antrag\",\"body\":\"Hallo\","
                + "\"receiptWanted\":true}");

        JsonNode first = PeerClient.json(client.get("/outbound?limit=10")).get("items");
        JsonNode second = PeerClient.json(client.get("/outbound?limit=10")).get("items");
        HttpResponse<String> deleted = client.delete("/outbound/" + id);
        JsonNode third = PeerClient.json(client.get("/outbound?limit=10")).get("items");

        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("id").stringValue()).isEqualTo(id);
        assertThat(first.get(0).get("kind").stringValue()).isEqualTo("message");
        assertThat(first.get(0).get("from").stringValue()).isEqualTo("poststelle@loopback.example");
        assertThat(first.get(0).get("to").stringValue()).isEqualTo("stadt-bad-vilbel@gateway");
        assertThat(first.get(0).get("receiptWanted").booleanValue()).isTrue();
        assertThat(second).isEqualTo(first);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(third).isEmpty();
        assertThat(peer.outgoing("poststelle", id).acknowledged()).isTrue();
    }

    @Test
    void deletingAnOutboundItemTwiceIsHarmless() {
        String id = sendLetter("{\"to\":\"stadt-bad-vilbel@gateway\",\"subject\":\"Antrag\",\"body\":\"Hallo\"}");

        assertThat(client.delete("/outbound/" + id).statusCode()).isEqualTo(204);
        assertThat(client.delete("/outbound/" + id).statusCode()).isEqualTo(204);
        assertThat(peer.pendingOutbound()).isEmpty();
    }

    @Test
    void returnsAtMostTheRequestedNumberOfItemsOldestFirst() {
        String first = sendLetter("{\"to\":\"a@gateway\",\"subject\":\"1\",\"body\":\"\"}");
        String second = sendLetter("{\"to\":\"a@gateway\",\"subject\":\"2\",\"body\":\"\"}");
        sendLetter("{\"to\":\"a@gateway\",\"subject\":\"3\",\"body\":\"\"}");

        JsonNode items = PeerClient.json(client.get("/outbound?limit=2")).get("items");

        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("id").stringValue()).isEqualTo(first);
        assertThat(items.get(1).get("id").stringValue()).isEqualTo(second);
    }

    @Test
    void servesEachPartOfAnOutboundMessage() {
        byte[] pdf = "%PDF-1.7 antrag".getBytes(StandardCharsets.UTF_8);
        String id = sendLetter("{\"to\":\"stadt-bad-vilbel@gateway\",\"subject\":\"Antrag\",\"body\":\"Grüße\","
                + "\"attachments\":[{\"name\":\"antrag.pdf\",\"mediaType\":\"application/pdf\",\"contentBase64\":\""
                + Base64.getEncoder().encodeToString(pdf) + "\"}]}");

        JsonNode parts = PeerClient.json(client.get("/outbound")).get("items").get(0).get("parts");
        HttpResponse<byte[]> body = client.getBytes("/outbound/" + id + "/parts/0");
        HttpResponse<byte[]> attachment = client.getBytes("/outbound/" + id + "/parts/1");

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("mediaType").stringValue()).startsWith("text/plain");
        assertThat(parts.get(1).get("name").stringValue()).isEqualTo("antrag.pdf");
        assertThat(parts.get(1).get("sha256").stringValue()).isEqualTo(ContentDigester.hexOf(pdf));
        assertThat(new String(body.body(), StandardCharsets.UTF_8)).isEqualTo("Grüße");
        assertThat(attachment.body()).isEqualTo(pdf);
        assertThat(client.getBytes("/outbound/" + id + "/parts/2").statusCode()).isEqualTo(404);
    }

    @Test
    void keepsTheOutboundQueueAcrossRestart() throws Exception {
        String kept = sendLetter("{\"to\":\"a@gateway\",\"subject\":\"1\",\"body\":\"x\"}");
        String deleted = sendLetter("{\"to\":\"a@gateway\",\"subject\":\"2\",\"body\":\"y\"}");
        client.delete("/outbound/" + deleted);
        peer.close();

        start(LoopbackPeer.builder(dataDir).mailboxes("poststelle", "buergerbuero"));

        assertThat(peer.pendingOutbound()).containsExactly(kept);
        assertThat(new String(client.getBytes("/outbound/" + kept + "/parts/0").body(), StandardCharsets.UTF_8))
                .isEqualTo("x");
    }

    @Test
    void refusesLetterFromUnknownMailbox() {
        HttpResponse<String> response = client.post("/mailboxes/nobody/outgoing",
                "{\"to\":\"a@gateway\",\"subject\":\"1\",\"body\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    // --- receipts

    @Test
    void readingAMessageQueuesARetrievedReceipt() {
        String transportId = deliver("d-1");

        HttpResponse<String> read = client.post("/mailboxes/poststelle/messages/" + transportId + "/read", "");

        assertThat(read.statusCode()).isEqualTo(202);
        JsonNode receipt = PeerClient.json(client.get("/outbound")).get("items").get(0);
        assertThat(receipt.get("kind").stringValue()).isEqualTo("receipt");
        assertThat(receipt.get("transportId").stringValue()).isEqualTo(transportId);
        assertThat(receipt.get("event").stringValue()).isEqualTo("RETRIEVED");
        assertThat(Instant.parse(receipt.get("at").stringValue())).isNotNull();
        assertThat(peer.received("poststelle").get(0).readAt()).isNotNull();
    }

    @Test
    void rejectingAMessageQueuesAFailedReceiptWithTheReason() {
        String transportId = deliver("d-1");

        client.post("/mailboxes/poststelle/messages/" + transportId + "/reject",
                "{\"reason\":\"Anhang nicht lesbar\"}");

        JsonNode receipt = PeerClient.json(client.get("/outbound")).get("items").get(0);
        assertThat(receipt.get("event").stringValue()).isEqualTo("FAILED");
        assertThat(receipt.get("reason").stringValue()).isEqualTo("Anhang nicht lesbar");
    }

    @Test
    void readsAMessageOnlyOnce() {
        String transportId = deliver("d-1");
        client.post("/mailboxes/poststelle/messages/" + transportId + "/read", "");

        HttpResponse<String> again = client.post("/mailboxes/poststelle/messages/" + transportId + "/read", "");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(peer.pendingOutbound()).hasSize(1);
    }

    @Test
    void readsNewMessagesByItselfAfterTheConfiguredDelay() throws Exception {
        peer.close();
        start(LoopbackPeer.builder(dataDir).mailboxes("poststelle").readAfter(Duration.ofMillis(50)));

        String transportId = deliver("d-1");

        awaitTrue(() -> !peer.pendingOutbound().isEmpty(), "a receipt was queued");
        JsonNode receipt = PeerClient.json(client.get("/outbound")).get("items").get(0);
        assertThat(receipt.get("transportId").stringValue()).isEqualTo(transportId);
        assertThat(receipt.get("event").stringValue()).isEqualTo("RETRIEVED");
    }

    @Test
    void recordsTheGatewaysRetrievalReceipt() {
        String id = sendLetter("{\"to\":\"stadt-bad-vilbel@gateway\",\"subject\":\"Antrag\",\"body\":\"Hallo\","
                + "\"receiptWanted\":true}");
        assertThat(PeerClient.json(client.get("/mailboxes/poststelle/outgoing/" + id)).get("retrievedAt").isNull())
                .isTrue();

        HttpResponse<String> receipt = client.post("/receipts", "{\"transportId\":\"" + id + "\","
                + "\"from\":\"stadt-bad-vilbel@gateway\",\"to\":\"poststelle@loopback.example\","
                + "\"retrievedAt\":\"2026-05-04T09:00:00Z\"}");

        assertThat(receipt.statusCode()).isEqualTo(204);
        JsonNode outgoing = PeerClient.json(client.get("/mailboxes/poststelle/outgoing/" + id));
        assertThat(Instant.parse(outgoing.get("retrievedAt").stringValue()))
                .isEqualTo(Instant.parse("2026-05-04T09:00:00Z"));
    }

    @Test
    void refusesRetrievalReceiptForAMessageItNeverSent() {
        HttpResponse<String> receipt = client.post("/receipts",
                "{\"transportId\":\"nope\",\"retrievedAt\":\"2026-05-04T09:00:00Z\"}");

        assertThat(receipt.statusCode()).isEqualTo(404);
    }

    @Test
    void refusesToStartWithAnInvalidMailboxName() {
        assertThatThrownBy(() -> LoopbackPeer.builder(dataDir).mailboxes("Poststelle").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Poststelle");
    }

    // --- helpers

    private void start(LoopbackPeer.Builder builder) throws Exception {
        peer = builder.build().start();
        client = new PeerClient(peer.baseUri());
    }

    private String deliver(String deliveryId) {
        HttpResponse<String> response = client.delivery("poststelle", deliveryId).body("Text").send();
        assertThat(response.statusCode()).isEqualTo(201);
        return PeerClient.json(response).get("transportId").stringValue();
    }

    private String sendLetter(String json) {
        HttpResponse<String> response = client.post("/mailboxes/poststelle/outgoing", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return PeerClient.json(response).get("id").stringValue();
    }

    private static String sha256(String text) {
        return ContentDigester.hexOf(text.getBytes(StandardCharsets.UTF_8));
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
