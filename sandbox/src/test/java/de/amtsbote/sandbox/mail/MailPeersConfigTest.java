package de.amtsbote.sandbox.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mail peers' configuration: the JSON file, receipt modes and what is refused with a clear message. */
class MailPeersConfigTest {

    @TempDir
    Path dir;

    static final String FULL = """
            {
              "data-dir": "peers/mail",
              "smtp-port": 3025, "imap-port": 3143,
              "gateway-smtp": "127.0.0.1:2525",
              "trust-anchors": "pki/ca.pem",
              "revocation": "none",
              "peers": [
                {"address": "Poststelle@Viernheim.example", "name": "Stadt Viernheim", "password": "demo",
                 "certificate": "pki/authority.pem", "key": "/abs/authority.key.pem",
                 "receipts": "after:15s", "sign-receipts": false, "ess-receipts": true},
                {"address": "erika.mustermann@example.org", "password": "demo",
                 "certificate": "pki/citizen.pem", "key": "pki/citizen.key.pem"}
              ]
            }
            """;

    @Test
    void readsTheJsonFileWithPathsRelativeToIt() throws Exception {
        Path file = Files.writeString(dir.resolve("mail-peers.json"), FULL);

        MailPeersConfig c = MailPeersConfig.read(file);

        assertThat(c.dataDir()).isEqualTo(dir.resolve("peers/mail"));
        assertThat(c.smtpPort()).isEqualTo(3025);
        assertThat(c.imapPort()).isEqualTo(3143);
        assertThat(c.gatewayHost()).isEqualTo("127.0.0.1");
        assertThat(c.gatewayPort()).isEqualTo(2525);
        assertThat(c.trustAnchors()).isEqualTo(dir.resolve("pki/ca.pem"));
        assertThat(c.revocation()).isEqualTo(RevocationMode.NONE);
        MailPeerConfig authority = c.peer("poststelle@viernheim.example");
        assertThat(authority.address()).as("addresses are kept in lower case").isEqualTo("poststelle@viernheim.example");
        assertThat(authority.name()).isEqualTo("Stadt Viernheim");
        assertThat(authority.key()).isEqualTo(Path.of("/abs/authority.key.pem"));
        assertThat(authority.receipts()).isEqualTo(ReceiptMode.after(Duration.ofSeconds(15)));
        assertThat(authority.signReceipts()).isFalse();
        assertThat(authority.essReceipts()).isTrue();
    }

    @Test
    void leavesOutWhatHasADefault() throws Exception {
        Path file = Files.writeString(dir.resolve("mail-peers.json"), FULL);

        MailPeerConfig citizen = MailPeersConfig.read(file).peer("erika.mustermann@example.org");

        assertThat(citizen.name()).isEqualTo("erika.mustermann@example.org");
        assertThat(citizen.receipts()).isEqualTo(ReceiptMode.atOnce());
        assertThat(citizen.signReceipts()).isTrue();
        assertThat(citizen.essReceipts()).isFalse();
    }

    @Test
    void refusesAnUnknownKeyNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("mail-peers.json"), FULL.replace("\"sign-receipts\"",
                "\"signed-receipts\""));

        assertThatThrownBy(() -> MailPeersConfig.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers[0]").hasMessageContaining("unknown key 'signed-receipts'");
    }

    @Test
    void refusesAPeerWithoutItsKey() throws Exception {
        Path file = Files.writeString(dir.resolve("mail-peers.json"), FULL.replace(
                ", \"key\": \"pki/citizen.key.pem\"", ""));

        assertThatThrownBy(() -> MailPeersConfig.read(file)).hasMessageContaining("peers[1]")
                .hasMessageContaining("certificate and key");
    }

    @Test
    void refusesTheSamePeerTwice() throws Exception {
        Path file = Files.writeString(dir.resolve("mail-peers.json"), FULL.replace("erika.mustermann@example.org",
                "poststelle@viernheim.example"));

        assertThatThrownBy(() -> MailPeersConfig.read(file)).hasMessageContaining("configured twice");
    }

    @Test
    void refusesAnAddressThatCouldBreakAHeader() {
        assertThatThrownBy(() -> MailPeerConfig.builder("a@b.example>\r\nBcc: x@y.example").password("p")
                .certificate(Path.of("c")).key(Path.of("k")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case address");
    }

    @Test
    void parsesTheReceiptModes() {
        assertThat(ReceiptMode.parse("never")).isEqualTo(ReceiptMode.never());
        assertThat(ReceiptMode.parse("at-once")).isEqualTo(ReceiptMode.atOnce());
        assertThat(ReceiptMode.parse("after:15s").displayedAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ReceiptMode.parse("after:500ms").displayedAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(ReceiptMode.parse("after:PT2M").displayedAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(ReceiptMode.parse("after:15s")).hasToString("after:PT15S");
    }

    @Test
    void refusesAnUnknownReceiptMode() {
        assertThatThrownBy(() -> ReceiptMode.parse("sometimes")).hasMessageContaining("never, at-once or after:");
        assertThatThrownBy(() -> ReceiptMode.parse("after:soon")).hasMessageContaining("not a duration");
    }

    @Test
    void startingWithAMissingKeyFileNamesThePeerAndTheFile() {
        TestPki pki = TestPki.get();
        MailPeersConfig c = MailPeersConfig.builder(dir).smtpPort(0).imapPort(0).trustAnchors(pki.anchor())
                .peer(pki.peer(TestPki.AUTHORITY, "authority").key(dir.resolve("missing.key.pem")).build()).build();

        assertThatThrownBy(() -> MailPeers.start(c)).hasMessageContaining(TestPki.AUTHORITY)
                .hasMessageContaining("missing.key.pem");
    }

    @Test
    void startingWithTheKeyOfAnotherPeerIsRefused() {
        TestPki pki = TestPki.get();
        MailPeersConfig c = MailPeersConfig.builder(dir).smtpPort(0).imapPort(0).trustAnchors(pki.anchor())
                .peer(pki.peer(TestPki.AUTHORITY, "authority").key(pki.pki.keyFile("participant-signing")).build())
                .build();

        assertThatThrownBy(() -> MailPeers.start(c)).hasMessageContaining("does not belong to the certificate");
    }
}
