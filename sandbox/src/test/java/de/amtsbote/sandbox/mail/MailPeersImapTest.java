package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.TestPki.AUTHORITY;
import static de.amtsbote.sandbox.mail.TestPki.PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anyone can look into a peer's mailbox over IMAP with its address and password: what came, what it could open, what it sent. */
class MailPeersImapTest {

    static final TestPki PKI = TestPki.get();
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String PASSWORD = "secret-authority";

    @TempDir
    Path dir;

    GatewayStandIn gateway;
    MailPeers peers;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayStandIn();
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", gateway.port()).trustAnchors(PKI.anchor())
                .peer(PKI.peer(AUTHORITY, "authority").name("Stadt Viernheim").receipts(ReceiptMode.atOnce()).build())
                .build());
    }

    @AfterEach
    void stop() {
        peers.close();
        gateway.close();
    }

    Store imap(String user, String password) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", peers.imapPort(), user, password);
        return store;
    }

    String deliverSmime(String subject, boolean dnt) throws Exception {
        String id = GatewayMail.messageId();
        GatewayMail.send(peers.smtpPort(), PARTICIPANT, AUTHORITY, GatewayMail.signedAndEncrypted(
                GatewayMail.headers(PARTICIPANT, AUTHORITY, subject, id, dnt),
                PKI.key("participant-signing", KeyPurpose.SIGNING), PKI.pki.certificate("authority"),
                PKI.pki.anchor(), false));
        Eventually.await("the peer opened " + id, WAIT, () -> peers.peer(AUTHORITY).log().stream()
                .anyMatch(e -> e.event() == Event.RECEIVED && id.equals(e.messageId())));
        return id;
    }

    static List<String> subjects(Folder folder) throws Exception {
        folder.open(Folder.READ_ONLY);
        try {
            return Arrays.stream(folder.getMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        } finally {
            folder.close(false);
        }
    }

    @Test
    void aLoginWithThePeersPasswordListsWhatArrived() throws Exception {
        deliverSmime("Bescheid über die Hundesteuer 2026", false);
        deliverSmime("Anhörung zum Bauantrag", false);

        try (Store store = imap(AUTHORITY, PASSWORD)) {
            assertThat(subjects(store.getFolder("INBOX")))
                    .containsExactly("Bescheid über die Hundesteuer 2026", "Anhörung zum Bauantrag");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> imap(AUTHORITY, "wrong")).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void theOpenedFolderHoldsAReadableCopyOfWhatThePeerCouldDecrypt() throws Exception {
        deliverSmime("Bescheid über die Hundesteuer 2026", false);

        try (Store store = imap(AUTHORITY, PASSWORD)) {
            Folder opened = store.getFolder("Opened");
            opened.open(Folder.READ_ONLY);
            Message copy = opened.getMessage(1);
            assertThat(copy.getSubject()).isEqualTo("Bescheid über die Hundesteuer 2026");
            assertThat(copy.getHeader("X-Sandbox-Opened")[0]).contains("encrypted").contains("signed");
            MimeMultipart parts = (MimeMultipart) copy.getContent();
            assertThat(parts.getBodyPart(1).getFileName()).isEqualTo(GatewayMail.ATTACHMENT_NAME);
            assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(GatewayMail.ATTACHMENT);
            opened.close(false);
        }
    }

    @Test
    void theSentFolderHoldsTheReceiptsThePeerSent() throws Exception {
        deliverSmime("Bescheid über die Hundesteuer 2026", true);
        gateway.await(2, WAIT);
        Eventually.await("both receipts logged", WAIT, () -> peers.peer(AUTHORITY).stats().receiptsSent() == 2);

        try (Store store = imap(AUTHORITY, PASSWORD)) {
            assertThat(subjects(store.getFolder("Sent"))).containsExactly(
                    "Eingangsbestätigung: Bescheid über die Hundesteuer 2026",
                    "Lesebestätigung: Bescheid über die Hundesteuer 2026");
        }
    }

    @Test
    void theInboxHoldsTheMailExactlyAsItArrived() throws Exception {
        String id = deliverSmime("Bescheid", false);

        try (Store store = imap(AUTHORITY, PASSWORD)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message m = inbox.getMessage(1);
            assertThat(m.getHeader("Message-ID")[0]).isEqualTo(id);
            assertThat(m.getContentType()).contains("authEnveloped-data");
            assertThat(m.getHeader("Return-Path")[0]).isEqualTo("<" + PARTICIPANT + ">");
            assertThat(m.getInputStream().read()).as("INBOX keeps the CMS structure (a DER SEQUENCE), not plain text")
                    .isEqualTo(0x30);
            inbox.close(false);
        }
    }
}
