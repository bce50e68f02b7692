package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.TestPki.AUTHORITY;
import static de.amtsbote.sandbox.mail.TestPki.CITIZEN;
import static de.amtsbote.sandbox.mail.TestPki.PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.sandbox.Sandbox;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The common entry point: loopback and mail peers in one process, what it prints, and the {@code send} command. */
class SandboxEntryPointTest {

    static final TestPki PKI = TestPki.get();

    @TempDir
    Path dir;

    GatewayStandIn gateway;
    Path config;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeEach
    void writeConfig() throws Exception {
        gateway = new GatewayStandIn();
        config = Files.writeString(dir.resolve("mail-peers.json"), """
                {
                  "data-dir": "data/mail",
                  "smtp-port": 0, "imap-port": 0,
                  "gateway-smtp": "127.0.0.1:%d",
                  "trust-anchors": "%s",
                  "peers": [
                    {"address": "%s", "name": "Stadt Viernheim", "password": "demo",
                     "certificate": "%s", "key": "%s", "receipts": "after:15s", "ess-receipts": true},
                    {"address": "%s", "name": "Erika Mustermann", "password": "demo",
                     "certificate": "%s", "key": "%s"}
                  ]
                }
                """.formatted(gateway.port(), PKI.anchor(), AUTHORITY, PKI.pki.certificateFile("authority"),
                PKI.pki.keyFile("authority"), CITIZEN, PKI.pki.certificateFile("citizen"),
                PKI.pki.keyFile("citizen")));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void startsTheLoopbackAndTheMailPeersAndPrintsWhereTheyListen() throws Exception {
        try (Sandbox sandbox = Sandbox.start(List.of("--port=0", "--data=" + dir.resolve("loopback"),
                "--mailboxes=poststelle", "--mail=" + config), out)) {
            int smtp = sandbox.mail().smtpPort();
            int imap = sandbox.mail().imapPort();
            assertThat(lines()).containsExactly(
                    "loopback " + sandbox.loopback().baseUri(),
                    "mail smtp 127.0.0.1:" + smtp + " imap 127.0.0.1:" + imap + " gateway 127.0.0.1:" + gateway.port(),
                    "mail peer " + AUTHORITY + " receipts after:PT15S log "
                            + dir.resolve("data/mail").resolve(AUTHORITY).resolve("peer-log.jsonl"),
                    "mail peer " + CITIZEN + " receipts at-once log "
                            + dir.resolve("data/mail").resolve(CITIZEN).resolve("peer-log.jsonl"),
                    "sandbox ready");
            try (Socket s = new Socket("127.0.0.1", smtp)) {
                assertThat(new String(s.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("220");
            }
            assertThat(sandbox.loopback().address("poststelle")).isEqualTo("poststelle@loopback.example");
            assertThat(sandbox.mail().endpoints()).first().isEqualTo(new MailPeerEndpoint(AUTHORITY,
                    "Stadt Viernheim", "127.0.0.1:" + smtp, "imap://127.0.0.1:" + imap, "demo",
                    PKI.pki.certificateFile("authority").toAbsolutePath().toString(), "after:PT15S",
                    dir.resolve("data/mail").resolve(AUTHORITY).resolve("peer-log.jsonl").toString()));
        }
    }

    @Test
    void startsTheMailPeersAloneWhenTheLoopbackIsSwitchedOff() throws Exception {
        try (Sandbox sandbox = Sandbox.start(List.of("--loopback=false", "--mail=" + config), out)) {
            assertThat(sandbox.loopback()).isNull();
            assertThat(lines().get(0)).startsWith("mail smtp 127.0.0.1:");
            assertThat(lines()).last().isEqualTo("sandbox ready");
        }
    }

    @Test
    void refusesAnUnknownOption() {
        assertThatThrownBy(() -> Sandbox.start(List.of("--mial=" + config), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mial");
        assertThat(lines()).isEmpty();
    }

    @Test
    void theSendCommandHandsSignedAndEncryptedMailToTheGatewayAndPrintsItsMessageId() throws Exception {
        Path attachment = Files.writeString(dir.resolve("Antrag.txt"), "Antrag auf Akteneinsicht\n");

        String id = Sandbox.send(List.of("--mail=" + config, "--from=" + CITIZEN, "--to=" + PARTICIPANT,
                "--recipient-cert=" + PKI.pki.certificateFile("participant-encryption"), "--subject=Akteneinsicht",
                "--body=Sehr geehrte Damen und Herren", "--attach=" + attachment, "--receipts=mdn,ess"), out);

        assertThat(lines()).containsExactly(id);
        GatewayStandIn.Arrival a = gateway.await(1, Duration.ofSeconds(15)).get(0);
        assertThat(a.text()).contains("Message-ID: " + id).contains("Disposition-Notification-To: <" + CITIZEN + ">")
                .contains("authEnveloped-data");
        try (MailPeers peers = MailPeers.offline(MailPeersConfig.read(config))) {
            assertThat(peers.peer(CITIZEN).log()).singleElement().satisfies(e -> {
                assertThat(e.event()).isEqualTo(Event.SENT);
                assertThat(e.messageId()).isEqualTo(id);
                assertThat(e.essReceiptRequested()).isTrue();
                assertThat(e.attachments()).extracting(MailLogEntry.Attachment::name).containsExactly("Antrag.txt");
            });
        }
    }
}
