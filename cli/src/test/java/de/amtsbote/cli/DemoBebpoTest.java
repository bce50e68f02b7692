package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.osci.OsciEvent;
import de.amtsbote.sandbox.osci.OutgoingDelivery;
import de.amtsbote.sandbox.osci.SentDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The beBPo part of {@code ./amtsbote demo}, wired as the demo wires it (PKI, the gateway's key store, the sandbox
 * intermediary with its directory and played mailboxes, the gateway's configuration and endpoints.json) on free
 * ports; the gateway process itself is not started here.
 */
class DemoBebpoTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path demo;

    private static DemoMail startMail(Path demo) throws Exception {
        int gatewaySmtp;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            gatewaySmtp = free.getLocalPort(); // only written into the configuration; nothing listens here
        }
        return DemoMail.start(demo, DemoBebpo.addTo(DemoDeMail.addTo(DemoMail.plan())), 0, 0, 0, gatewaySmtp);
    }

    @Test
    void theDirectoryListsTheOwnMailboxesWithTheParticipantsSigningCertificateAsSignatureAndOriginFromTheKeyStore()
            throws Exception {
        try (DemoMail mail = startMail(demo); DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0);
             KeyVault vault = mail.openVault()) {
            for (DemoBebpo.Own own : DemoBebpo.OWN) {
                JsonNode entry = get(bebpo.directoryUrl() + "/mailboxes/" + own.mailbox());
                var signing = vault.signingKey(own.id(), KeyPurpose.SIGNING).chain().get(0);
                var encryption = vault.decryptionKeys(own.id()).get(0).chain().get(0);
                assertThat(entry.get("bebpo").asBoolean()).as(own.id()).isTrue();
                assertThat(entry.get("intermediary").asString()).isEqualTo(bebpo.intermediaryUrl());
                assertThat(Pem.readCertificate(entry.get("signatureCertificate").asString())).isEqualTo(signing);
                assertThat(Pem.readCertificate(entry.get("originCertificate").asString())).isEqualTo(signing);
                assertThat(Pem.readCertificate(entry.get("encryptionCertificate").asString())).isEqualTo(encryption);
            }
            JsonNode court = get(bebpo.directoryUrl() + "/mailboxes/" + DemoBebpo.COURT.mailbox());
            assertThat(court.get("bebpo").asBoolean()).isFalse();
            assertThat(court.get("originCertificate").isNull()).isTrue();
            JsonNode kreis = get(bebpo.directoryUrl() + "/mailboxes/" + DemoBebpo.KREIS.mailbox());
            assertThat(kreis.get("bebpo").asBoolean()).isTrue();
            assertThat(Pem.readCertificate(kreis.get("originCertificate").asString()))
                    .isEqualTo(mail.pki.certificate("bebpo-kreis-origin"));
        }
    }

    @Test
    void theKreisDeliveryWithAnAttachmentIsStoredInViernheimsMailboxAtTheIntermediary() throws Exception {
        try (DemoMail mail = startMail(demo); DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0)) {
            Path statement = Files.writeString(demo.resolve("Stellungnahme.txt"), "Stellungnahme zur K 23\n");
            String viernheim = DemoBebpo.own("stadt-viernheim").mailbox();
            SentDelivery sent = bebpo.mailbox(DemoBebpo.KREIS).send(OutgoingDelivery.to(viernheim)
                    .subject("Stellungnahme").body("anbei").attach(statement).build());

            assertThat(sent.processCardBundle()).contains("Creation");
            OsciEvent stored = bebpo.osci.intermediary(DemoBebpo.INTERMEDIARY).log().stream()
                    .filter(e -> e.event().equals("stored")).findFirst().orElseThrow();
            assertThat(stored.get("messageId")).isEqualTo(sent.messageId());
            assertThat(stored.get("originator")).isEqualTo(DemoBebpo.KREIS.mailbox());
            assertThat(stored.get("addressee")).isEqualTo(viernheim);
            assertThat(bebpo.osci.intermediary(DemoBebpo.INTERMEDIARY).pendingDeliveries()).isEqualTo(1);
        }
    }

    @Test
    void thePlayedCourtFetchesOnItsOwnAndTheFetchTriggerAnswers() throws Exception {
        try (DemoMail mail = startMail(demo); DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0)) {
            SentDelivery sent = bebpo.mailbox(DemoBebpo.KREIS).send(OutgoingDelivery.to(DemoBebpo.COURT.mailbox())
                    .subject("Amtshilfe").body("Bitte um Amtshilfe").build());

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<OsciEvent> received = List.of();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                received = bebpo.mailbox(DemoBebpo.COURT).log().stream().filter(e -> e.event().equals("received"))
                        .toList();
            }
            assertThat(received).as("the court fetched within its poll interval without a trigger").hasSize(1);
            assertThat(received.get(0).get("messageId")).isEqualTo(sent.messageId());
            assertThat(received.get(0).get("valid")).isEqualTo("true");

            HttpResponse<String> trigger = HTTP.send(HttpRequest.newBuilder(URI.create(bebpo.fetchUrl(DemoBebpo.KREIS)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(trigger.statusCode()).isEqualTo(200);
            assertThat(GatewayApi.JSON.readTree(trigger.body()).has("received")).isTrue();
        }
    }

    @Test
    void theGatewayConfigurationAndEndpointsJsonNameTheBebpoChannel() throws Exception {
        try (DemoMail mail = startMail(demo); DemoDeMail demail = DemoDeMail.start(demo, mail, 0, 0, 0, 0, 0);
             DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0);
             LoopbackPeer peer = LoopbackPeer.builder(demo.resolve("peers/loopback")).port(0).domain("sandbox.example")
                     .mailboxes("poststelle").build().start()) {
            Properties config = new Properties();
            try (var in = Files.newBufferedReader(DemoCommand.writeGatewayConfig(demo, 8080, peer, mail, demail, bebpo,
                    "00".repeat(32)))) {
                config.load(in);
            }
            String badVilbel = DemoBebpo.own("stadt-bad-vilbel").mailbox();
            String viernheim = DemoBebpo.own("stadt-viernheim").mailbox();
            String channel = "amtsbote.channels.bebpo.";
            assertThat(config)
                    .containsEntry("amtsbote.participants[0].addresses[0]", "smime:poststelle@bad-vilbel.example")
                    .containsEntry("amtsbote.participants[0].addresses[3]", "bebpo:" + badVilbel)
                    .containsEntry("amtsbote.participants[1].addresses[3]", "bebpo:" + viernheim)
                    .containsEntry("amtsbote.participants[2].addresses[3]", DemoBebpo.KREIS.address())
                    .containsEntry("amtsbote.participants[4].id", DemoBebpo.COURT.id())
                    .containsEntry("amtsbote.participants[4].addresses[0]", DemoBebpo.COURT.address())
                    .containsEntry(channel + "directory-url", bebpo.directoryUrl())
                    .containsEntry(channel + "spool-dir", demo.resolve("spool/bebpo").toString())
                    .containsEntry(channel + "process-card.interval", "2s")
                    .containsEntry(channel + "mailbox.bad-vilbel.id", badVilbel)
                    .containsEntry(channel + "mailbox.bad-vilbel.participant", "stadt-bad-vilbel")
                    .containsEntry(channel + "mailbox.viernheim.id", viernheim)
                    .containsEntry(channel + "mailbox.viernheim.participant", "stadt-viernheim")
                    .containsKey("amtsbote.channels.demail.submission.port")
                    .containsKey("amtsbote.channels.smime.relay.port");

            Path file = DemoCommand.writeEndpoints(demo, URI.create("http://127.0.0.1:8080"), "token", peer, mail,
                    demail, bebpo);
            JsonNode e = GatewayApi.JSON.readTree(file.toFile());
            assertThat(fieldNames(e)).contains("api", "console", "apiToken", "consoleUsers", "gatewayInboundSmtp", "pki",
                    "peers", "participants", "senders", "demail", "bebpo");

            JsonNode court = peer(e, DemoBebpo.COURT.address());
            assertThat(court.get("channel").asString()).isEqualTo("bebpo");
            assertThat(court.get("participant").asString()).isEqualTo(DemoBebpo.COURT.id());
            assertThat(court.get("intermediary").asString()).isEqualTo(bebpo.intermediaryUrl());
            assertThat(court.get("directory").asString()).isEqualTo(bebpo.directoryUrl());
            assertThat(court.get("fetch").asString()).isEqualTo(bebpo.osci.baseUri() + "/osci/mailboxes/"
                    + DemoBebpo.COURT.mailbox() + "/fetch");
            assertThat(Path.of(court.get("cert").asString())).isRegularFile();
            assertThat(Path.of(court.get("key").asString())).isRegularFile();
            assertThat(court.has("originCert")).isFalse();
            JsonNode kreis = peer(e, DemoBebpo.KREIS.address());
            assertThat(Path.of(kreis.get("originCert").asString())).isRegularFile();
            assertThat(peer(e, "demail:poststelle@kreis-bergstrasse.de-mail.de")).isNotNull();
            assertThat(peer(e, "smime:poststelle@kreis-bergstrasse.example")).isNotNull();

            JsonNode bad = e.get("participants").get(0);
            assertThat(bad.get("addresses").get("bebpo").asString()).isEqualTo("bebpo:" + badVilbel);
            assertThat(bad.get("addresses").get("smime").asString()).isEqualTo("smime:poststelle@bad-vilbel.example");
            assertThat(Path.of(bad.get("certs").get("bebpo").asString())).isRegularFile();

            JsonNode osci = e.get("bebpo");
            assertThat(osci.get("intermediary").asString()).isEqualTo(bebpo.intermediaryUrl());
            assertThat(osci.get("directory").asString()).isEqualTo(bebpo.directoryUrl());
            assertThat(Path.of(osci.get("log").asString())).isEqualTo(bebpo.intermediaryLog());
        }
    }

    @Test
    void aSecondStartReusesTheIntermediarysAndThePeersCertificatesUnderDataDemo() throws Exception {
        Map<String, byte[]> first;
        try (DemoMail mail = startMail(demo); DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0)) {
            first = pems(demo);
        }
        try (DemoMail mail = startMail(demo); DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0)) {
            Map<String, byte[]> second = pems(demo);
            assertThat(second.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet())
                    .contains("bebpo-justiz.pem", "bebpo-kreis-origin.pem", "stadt-viernheim-signing.pem");
            first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
            JsonNode entry = get(bebpo.directoryUrl() + "/mailboxes/" + DemoBebpo.own("stadt-viernheim").mailbox());
            assertThat(Pem.readCertificate(entry.get("signatureCertificate").asString()))
                    .isEqualTo(Pem.readCertificates(demo.resolve("pki/stadt-viernheim-signing.pem")).get(0));
        }
    }

    private static Map<String, byte[]> pems(Path demo) throws Exception {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (var list = Files.list(demo.resolve("pki"))) {
            for (Path p : list.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return GatewayApi.JSON.readTree(r.body());
    }

    private static JsonNode peer(JsonNode endpoints, String address) {
        return StreamSupport.stream(endpoints.get("peers").spliterator(), false)
                .filter(p -> p.get("address").asString().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no peer " + address + " in endpoints.json"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
