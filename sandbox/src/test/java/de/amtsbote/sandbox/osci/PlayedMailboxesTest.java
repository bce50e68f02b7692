package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.OsciTestWorld.AGENCY;
import static de.amtsbote.sandbox.osci.OsciTestWorld.COURT;
import static de.amtsbote.sandbox.osci.OsciTestWorld.PARTICIPANT;
import static de.amtsbote.sandbox.osci.SoapTestClient.OSCI;
import static de.amtsbote.sandbox.osci.SoapTestClient.child;
import static de.amtsbote.sandbox.osci.SoapTestClient.el;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.XmlDecryptor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;

/** Played mailboxes sending, fetching, checking, logging and acknowledging; the directory over HTTP. */
class PlayedMailboxesTest {

    @TempDir
    Path dir;
    OsciTestWorld world;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        world = OsciTestWorld.start(dir, b -> { });
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void twoPlayedMailboxesExchangeADeliveryWithAnAttachment() throws Exception {
        Path plan = dir.resolve("plan.pdf");
        Files.write(plan, "%PDF-1.7 Bebauungsplan".repeat(2000).getBytes());
        SentDelivery sent = world.osci.mailbox(AGENCY).send(OutgoingDelivery.to(COURT).subject("Klage in Sachen X")
                .body("Sehr geehrte Damen und Herren,\nanbei die Klage.").reference("AZ 2026-0815").attach(plan)
                .build());
        assertThat(sent.processCardBundle()).contains("<osci:Creation>");
        assertThat(world.justiz().pendingDeliveries()).isEqualTo(1);

        // the court's poller is off in the tests: the HTTP trigger makes it fetch now
        HttpResponse<String> trigger = http.send(HttpRequest.newBuilder(world.osci.baseUri()
                .resolve("/osci/mailboxes/" + COURT + "/fetch")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(200);
        assertThat(trigger.body()).contains(sent.messageId());

        OsciEvent received = world.osci.mailbox(COURT).log().stream().filter(e -> e.event().equals("received"))
                .findFirst().orElseThrow();
        assertThat(received.get("messageId")).isEqualTo(sent.messageId());
        assertThat(received.get("originator")).isEqualTo(AGENCY);
        assertThat(received.get("valid")).as(received.document().toString()).isEqualTo("true");
        assertThat(received.get("signer")).contains("VHN " + AGENCY); // the beBPo's origin certificate
        JsonNode attachment = received.document().get("attachments").get(0);
        assertThat(attachment.get("name").asString()).isEqualTo("plan.pdf");
        assertThat(attachment.get("size").asLong()).isEqualTo(Files.size(plan));
        assertThat(attachment.get("intact").asBoolean()).isTrue();
        assertThat(world.osci.mailbox(COURT).log()).anyMatch(e -> e.event().equals("acknowledged"));
        assertThat(world.justiz().pendingDeliveries()).isZero();
        assertThat(world.osci.mailbox(AGENCY).log()).anyMatch(e -> e.event().equals("sent")
                && sent.messageId().equals(e.get("messageId")));
    }

    @Test
    void aPlayedMailboxSendsToAnExternalParticipantWhoFetchesItself() throws Exception {
        SentDelivery sent = world.osci.mailbox(COURT).send(OutgoingDelivery.to(PARTICIPANT).subject("Ladung")
                .body("Termin am 1.12.").build());
        SoapTestClient.Answer fetched = world.client.send(world.behoerden().url(), world.request("fetchDelivery",
                PARTICIPANT, world.signing(PARTICIPANT)).body(b -> el(el(b, "FetchDelivery", null), "Addressee",
                PARTICIPANT)));
        fetched.assertOk();
        Element sd = new XmlDecryptor(AlgorithmPolicy.bsi()).decrypt(child(fetched.payload(),
                "http://www.w3.org/2001/04/xmlenc#", "EncryptedData"), world.encryption(PARTICIPANT)).element();
        assertThat(child(sd, OSCI, "MessageId").getTextContent()).isEqualTo(sent.messageId());
        assertThat(child(sd, OSCI, "Subject").getTextContent()).isEqualTo("Ladung");
    }

    @Test
    void aMailboxThatNeverAcknowledgesKeepsItsDeliveryFetchedButUnacknowledged() throws Exception {
        String id = "DE.Justiz.silent-1";
        world.osci.register(OsciMailboxConfig.played(id, "justiz").acknowledge(AckMode.NEVER).build());
        SentDelivery sent = world.osci.mailbox(COURT).send(OutgoingDelivery.to(id).subject("Akte").build());
        assertThat(world.osci.mailbox(id).fetchNow()).extracting(ReceivedDelivery::messageId)
                .containsExactly(sent.messageId());
        assertThat(world.osci.mailbox(id).fetchNow()).isEmpty(); // the same one again: nothing new
        assertThat(world.justiz().pendingDeliveries()).isEqualTo(1);
        world.osci.mailbox(id).acknowledge(sent.messageId());
        assertThat(world.justiz().pendingDeliveries()).isZero();
    }

    @Test
    void aDelayedAcknowledgementComesAfterItsDelay() throws Exception {
        String id = "DE.Justiz.slow-1";
        world.osci.register(OsciMailboxConfig.played(id, "justiz").acknowledge(AckMode.parse("after:300ms")).build());
        world.osci.mailbox(COURT).send(OutgoingDelivery.to(id).subject("Akte").build());
        world.osci.mailbox(id).fetchNow();
        assertThat(world.justiz().pendingDeliveries()).isEqualTo(1);
        Instant deadline = Instant.now().plusSeconds(10);
        while (world.justiz().pendingDeliveries() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(world.justiz().pendingDeliveries()).isZero();
    }

    @Test
    void sendingToAnUnknownMailboxFailsAtTheDirectory() {
        assertThatThrownBy(() -> world.osci.mailbox(COURT).send(OutgoingDelivery.to("DE.Nowhere.x").subject("s")
                .build())).hasMessageContaining("knows no mailbox DE.Nowhere.x");
    }

    @Test
    void aRefusedSendIsThrownAndLogged() {
        world.osci.faults("behoerden").unavailable(1);
        assertThatThrownBy(() -> world.osci.mailbox(COURT).send(OutgoingDelivery.to(PARTICIPANT).subject("s")
                .build())).isInstanceOfSatisfying(OsciFaultException.class,
                        f -> assertThat(f.subcode()).isEqualTo(OsciFaultException.Subcode.Unavailable));
        assertThat(world.osci.mailbox(COURT).log()).anyMatch(e -> e.event().equals("send-refused")
                && "Unavailable".equals(e.get("subcode")));
    }

    @Test
    void theDirectoryServesEntriesAsTheContractShowsThem() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(world.osci.directoryUri()
                .resolve("/safe/mailboxes/" + AGENCY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode e = OsciLog.JSON.readTree(r.body());
        assertThat(e.properties().stream().map(java.util.Map.Entry::getKey).toList()).containsExactly("id", "name",
                "bebpo", "intermediary", "intermediaryCertificate", "encryptionCertificate", "signatureCertificate",
                "originCertificate");
        assertThat(e.get("bebpo").asBoolean()).isTrue();
        assertThat(e.get("intermediary").asString()).isEqualTo(world.behoerden().url().toString());
        assertThat(e.get("originCertificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        HttpResponse<String> court = http.send(HttpRequest.newBuilder(world.osci.directoryUri()
                .resolve("/safe/mailboxes/" + COURT)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(OsciLog.JSON.readTree(court.body()).get("originCertificate").isNull()).isTrue();
        assertThat(http.send(HttpRequest.newBuilder(world.osci.directoryUri().resolve("/safe/mailboxes/DE.No.x"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        HttpResponse<String> search = http.send(HttpRequest.newBuilder(world.osci.directoryUri()
                .resolve("/safe/mailboxes?name=Amtsgericht")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(OsciLog.JSON.readTree(search.body()).size()).isEqualTo(1);
    }

    @Test
    void theJsonConfigurationStartsTheSameWorld() throws Exception {
        Path file = dir.resolve("osci.json");
        Files.writeString(file, """
                {"data-dir": "json-data", "pki-dir": "json-pki", "poll-interval": "200ms",
                 "intermediaries": [{"name": "justiz", "max-bytes": 10485760}],
                 "mailboxes": [
                   {"id": "DE.Justiz.a-1", "name": "Amtsgericht A", "intermediary": "justiz"},
                   {"id": "DE.BehoerdeBPo.b-1", "intermediary": "justiz", "bebpo": true, "acknowledge": "after:1s"}
                 ]}""");
        try (OsciIntermediaries osci = OsciIntermediaries.start(OsciConfig.read(file))) {
            assertThat(osci.intermediary("justiz").maxBytes()).isEqualTo(10485760);
            SentDelivery sent = osci.mailbox("DE.BehoerdeBPo.b-1").send(OutgoingDelivery.to("DE.Justiz.a-1")
                    .subject("Hallo").build());
            Instant deadline = Instant.now().plusSeconds(10);
            while (osci.mailbox("DE.Justiz.a-1").log().stream().noneMatch(e -> e.event().equals("acknowledged"))
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(osci.mailbox("DE.Justiz.a-1").log()).anyMatch(e -> e.event().equals("received")
                    && sent.messageId().equals(e.get("messageId")) && "true".equals(e.get("valid")));
        }
        Files.writeString(file, "{\"intermediaries\": [{\"name\": \"x\", \"colour\": \"red\"}]}");
        assertThatThrownBy(() -> OsciConfig.read(file)).hasMessageContaining("unknown key 'colour'");
    }

    @Test
    void theSandboxEntryPointStartsTheOsciWorldWithItsOption() throws Exception {
        Path file = dir.resolve("osci-entry.json");
        Files.writeString(file, """
                {"data-dir": "entry-data", "pki-dir": "entry-pki", "poll-interval": "0s",
                 "intermediaries": [{"name": "justiz"}],
                 "mailboxes": [{"id": "DE.Justiz.entry-1", "intermediary": "justiz", "acknowledge": "never"}]}""");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (de.amtsbote.sandbox.Sandbox sandbox = de.amtsbote.sandbox.Sandbox.start(List.of("--loopback=false",
                "--osci=" + file), new java.io.PrintStream(printed, true))) {
            String out = printed.toString();
            assertThat(out).contains("osci intermediary justiz " + sandbox.osci().intermediary("justiz").url())
                    .contains("osci mailbox DE.Justiz.entry-1 acknowledge never").endsWith("sandbox ready\n");
            assertThat(sandbox.osci().mailbox("DE.Justiz.entry-1").fetchNow()).isEmpty();
        }
    }
}
