package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyInfo;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.tls.TlsClients;
import de.amtsbote.sandbox.demail.OutgoingDeMail;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The De-Mail part of {@code ./amtsbote demo}, wired as the demo wires it (PKI, the gateway's key store, both sandbox
 * providers, the gateway's configuration and endpoints.json) on free ports; the gateway process itself is not
 * started here.
 */
class DemoDeMailTest {

    @TempDir
    Path demo;

    private static DemoMail startMail(Path demo) throws Exception {
        int gatewaySmtp;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            gatewaySmtp = free.getLocalPort(); // only written into the configuration; nothing listens here
        }
        return DemoMail.start(demo, DemoBebpo.addTo(DemoDeMail.addTo(DemoMail.plan())), 0, 0, 0, gatewaySmtp);
    }

    private static DemoDeMail startDeMail(Path demo, DemoMail mail) throws Exception {
        return DemoDeMail.start(demo, mail, 0, 0, 0, 0, 0);
    }

    @Test
    void theGatewayLogsInToItsProviderWithTheTlsKeyFromItsKeyStoreAndMaySendAsItsParticipants() throws Exception {
        try (DemoMail mail = startMail(demo); DemoDeMail demail = startDeMail(demo, mail);
             KeyVault vault = mail.openVault()) {
            Map<String, String> settings = demail.gatewaySettings();
            int port = Integer.parseInt(settings.get("amtsbote.channels.demail.submission.port"));
            assertThat(settings.get("amtsbote.channels.demail.submission.host")).isEqualTo("localhost");

            try (Socket socket = TlsClients.socketFactory(vault, Crypto.GATEWAY, List.of(mail.pki.anchor()))
                    .createSocket("localhost", port)) {
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                assertThat(reply(in)).startsWith("220");
                out.write("EHLO demo-test\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(reply(in)).startsWith("250");
                for (DemoDeMail.Own own : DemoDeMail.OWN) {
                    out.write(("MAIL FROM:<" + own.address() + ">\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertThat(reply(in)).as(own.address()).startsWith("250");
                    out.write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertThat(reply(in)).startsWith("250");
                }
            }
        }
    }

    @Test
    void erikasEndToEndDeMailReachesTheGatewaysMailboxWithTheConfiguredImapLogin() throws Exception {
        try (DemoMail mail = startMail(demo); DemoDeMail demail = startDeMail(demo, mail)) {
            String id = demail.mailbox(DemoDeMail.ERIKA).send(OutgoingDeMail.to("poststelle@viernheim.de-mail.de")
                    .subject("Widerspruch").body("Hiermit lege ich Widerspruch ein.\r\n")
                    .encryptFor(mail.encryptionCertificates.get("stadt-viernheim")).build());
            demail.providers.settle();

            Map<String, String> s = demail.gatewaySettings();
            String imap = "amtsbote.channels.demail.imap.viernheim.";
            Store store = Session.getInstance(new Properties()).getStore("imap");
            store.connect(s.get(imap + "host"), Integer.parseInt(s.get(imap + "port")), s.get(imap + "user"),
                    Files.readString(Path.of(s.get(imap + "password-file"))).trim());
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                assertThat(messages).hasSize(1);
                assertThat(messages[0].getHeader("X-de-mail-message-id")).containsExactly(id);
                assertThat(messages[0].getHeader("X-de-mail-sender")).containsExactly(DemoDeMail.ERIKA.address());
                assertThat(messages[0].isMimeType("application/pkcs7-mime")).as(messages[0].getContentType()).isTrue();
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void theGatewayConfigurationAndEndpointsJsonNameTheDeMailChannel() throws Exception {
        try (DemoMail mail = startMail(demo); DemoDeMail demail = startDeMail(demo, mail);
             DemoBebpo bebpo = DemoBebpo.start(demo, mail, 0);
             LoopbackPeer peer = LoopbackPeer.builder(demo.resolve("peers/loopback")).port(0).domain("sandbox.example")
                     .mailboxes("poststelle").build().start()) {
            Properties config = new Properties();
            try (var in = Files.newBufferedReader(DemoCommand.writeGatewayConfig(demo, 8080, peer, mail, demail,
                    bebpo, "00".repeat(32)))) {
                config.load(in);
            }
            assertThat(config).containsEntry("amtsbote.participants[0].addresses[0]",
                            "smime:poststelle@bad-vilbel.example")
                    .containsEntry("amtsbote.participants[0].addresses[1]", "demail:poststelle@bad-vilbel.de-mail.de")
                    .containsEntry("amtsbote.participants[0].public-body", "true")
                    .containsEntry("amtsbote.participants[1].addresses[1]", "demail:poststelle@viernheim.de-mail.de")
                    .containsEntry("amtsbote.participants[2].addresses[1]",
                            "demail:poststelle@kreis-bergstrasse.de-mail.de")
                    .containsEntry("amtsbote.participants[2].public-body", "true")
                    .containsEntry("amtsbote.participants[3].addresses[1]", "demail:erika.mustermann@dmda-b.de-mail.de")
                    .containsEntry("amtsbote.participants[3].public-body", "false")
                    .containsEntry("amtsbote.participants[3].certificates.demail",
                            mail.pki.certificateFile("erika-demail").toString())
                    .containsEntry("amtsbote.channels.demail.submission.port",
                            Integer.toString(demail.gatewayProvider().smtpPort()))
                    .containsEntry("amtsbote.channels.demail.provider-trust-pem", mail.pki.anchorFile().toString())
                    .containsEntry("amtsbote.channels.demail.imap.bad-vilbel.idle", "false")
                    .containsKey("amtsbote.channels.demail.spool-dir")
                    .containsKey("amtsbote.channels.smime.relay.port");

            Path file = DemoCommand.writeEndpoints(demo, URI.create("http://127.0.0.1:8080"), "token", peer, mail,
                    demail, bebpo);
            JsonNode e = GatewayApi.JSON.readTree(file.toFile());
            assertThat(fieldNames(e)).contains("api", "console", "apiToken", "consoleUsers", "gatewayInboundSmtp", "pki",
                    "peers", "participants", "senders", "demail");

            JsonNode kreis = peer(e, "demail:poststelle@kreis-bergstrasse.de-mail.de");
            assertThat(kreis.get("participant").asString()).isEqualTo("kreis-bergstrasse");
            assertThat(kreis.get("provider").asString()).isEqualTo("dmda-b");
            assertThat(kreis.get("imap").asString()).isEqualTo("127.0.0.1:" + demail.providers.provider("dmda-b")
                    .imapPort());
            assertThat(kreis.get("secureLogin").asString()).isEqualTo("http://127.0.0.1:" + demail.providers.httpPort()
                    + "/demail/mailboxes/poststelle@kreis-bergstrasse.de-mail.de/secure-login");
            assertThat(kreis.has("key")).isFalse();
            JsonNode erika = peer(e, "demail:erika.mustermann@dmda-b.de-mail.de");
            assertThat(erika.get("user").asString()).isEqualTo("erika.mustermann@dmda-b.de-mail.de");
            assertThat(erika.get("password").asString()).isEqualTo("erika");
            assertThat(Path.of(erika.get("cert").asString())).isRegularFile();
            assertThat(Path.of(erika.get("key").asString())).isRegularFile();
            assertThat(peer(e, "smime:poststelle@kreis-bergstrasse.example")).isNotNull();

            JsonNode bad = e.get("participants").get(0);
            assertThat(bad.get("addresses").get("demail").asString()).isEqualTo("demail:poststelle@bad-vilbel.de-mail.de");
            assertThat(Path.of(bad.get("certs").get("demail").asString())).isRegularFile();

            JsonNode providers = e.get("demail").get("providers");
            assertThat(providers).hasSize(2);
            assertThat(providers.get(0).get("smtps").asString())
                    .isEqualTo("127.0.0.1:" + demail.gatewayProvider().smtpPort());
            assertThat(e.get("demail").get("log").asString()).endsWith("/demail/log");
        }
    }

    @Test
    void aSecondStartReusesTheKeysCertificatesAndPasswordsUnderDataDemo() throws Exception {
        byte[] certificate;
        String password;
        try (DemoMail mail = startMail(demo); DemoDeMail demail = startDeMail(demo, mail)) {
            certificate = Files.readAllBytes(demail.gatewayTlsCertificate);
            password = Files.readString(demail.imapPasswordFile);
        }
        byte[] signing = Files.readAllBytes(demo.resolve("pki/dmda-a.pem"));

        try (DemoMail mail = startMail(demo); DemoDeMail demail = startDeMail(demo, mail)) {
            assertThat(Files.readAllBytes(demail.gatewayTlsCertificate)).isEqualTo(certificate);
            assertThat(Files.readString(demail.imapPasswordFile)).isEqualTo(password);
            assertThat(Files.readAllBytes(demo.resolve("pki/dmda-a.pem"))).isEqualTo(signing);
            try (KeyVault vault = mail.openVault()) {
                List<KeyInfo> tls = new ArrayList<>();
                for (KeyInfo k : vault.list()) {
                    if (k.ref().owner().equals(Crypto.GATEWAY) && k.ref().purpose() == KeyPurpose.TLS) {
                        tls.add(k);
                    }
                }
                assertThat(tls).hasSize(1);
                assertThat(tls.get(0).state()).isEqualTo(KeyState.ACTIVE);
            }
        }
    }

    /** One SMTP reply, multi-line replies joined; returns the last line. */
    private static String reply(BufferedReader in) throws Exception {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        assertThat(line).as("the server closed the connection").isNotNull();
        return line;
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
