package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.ImapMailbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.TransientTransportException;
import jakarta.mail.Flags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP polling of a mailbox on an existing mail server (GreenMail): mail is fetched, processed like mail to the
 * listener, and removed only once the gateway stored it; with IDLE it is picked up without waiting for a poll.
 */
class ImapPollingTest {

    static final TestWorld WORLD = TestWorld.get();
    static final String US = TestWorld.BAD_VILBEL_ADDRESS;

    GreenMail greenMail;
    GreenMailUser user;
    RecordingSink sink = new RecordingSink();
    SmimeAdapter adapter;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        user = greenMail.setUser(US, "bad-vilbel", "imap secret");
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        greenMail.stop();
    }

    private void startAdapter(Map<String, String> extra) throws Exception {
        Path password = Files.writeString(dir.resolve("imap.secret"), "imap secret\n");
        Map<String, String> settings = new HashMap<>(Map.of("listen.enabled", "false",
                "imap.poststelle.host", "127.0.0.1",
                "imap.poststelle.port", Integer.toString(greenMail.getImap().getPort()),
                "imap.poststelle.tls", "none",
                "imap.poststelle.user", "bad-vilbel",
                "imap.poststelle.password-file", password.toString(),
                "imap.poststelle.address", US,
                "imap.poststelle.idle", "false"));
        settings.putAll(extra);
        adapter = WORLD.start(settings, sink, WORLD.directory(), ChannelMemory.inProcess());
    }

    private void deliver(String messageId) throws Exception {
        Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity());
        byte[] mail = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "Antrag per IMAP", messageId,
                TestMails.encrypted(dir, signed, WORLD.ourEncryptionCertPem, true));
        assertThat(TestMails.send(greenMail.getSmtp().getPort(), TestWorld.VIERNHEIM_ADDRESS, US, mail))
                .isEqualTo(250);
    }

    private MailFolder inbox() throws Exception {
        return greenMail.getManagers().getImapHostManager().getInbox(user);
    }

    @Test
    void pollFetchesProcessesAndDeletesMail() throws Exception {
        startAdapter(Map.of());
        deliver("<imap-1@viernheim.example>");

        adapter.poll();

        assertThat(sink.messages).singleElement().satisfies(m -> {
            assertThat(m.message().transportId()).isEqualTo("<imap-1@viernheim.example>");
            assertThat(m.message().to().address()).isEqualTo(US);
            assertThat(m.parts().get(0).content()).isEqualTo(TestMails.ATTACHMENT);
        });
        assertThat(inbox().getMessageCount()).isZero();
    }

    @Test
    void mailStaysOnTheServerWhenTheStoreFailsAndIsTakenAtTheNextPoll() throws Exception {
        startAdapter(Map.of());
        deliver("<imap-2@viernheim.example>");
        sink.failNext(1);

        assertThatThrownBy(() -> adapter.poll()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("stay on the server");
        assertThat(inbox().getMessageCount()).isEqualTo(1);
        assertThat(inbox().getMessages().get(0).isSet(Flags.Flag.SEEN)).isFalse();

        adapter.poll();
        assertThat(sink.messages).singleElement()
                .satisfies(m -> assertThat(m.message().transportId()).isEqualTo("<imap-2@viernheim.example>"));
        assertThat(inbox().getMessageCount()).isZero();
    }

    @Test
    void marksMailSeenInsteadOfDeletingWhenConfigured() throws Exception {
        startAdapter(Map.of("imap.poststelle.processed", "seen"));
        deliver("<imap-3@viernheim.example>");

        adapter.poll();
        adapter.poll();

        assertThat(sink.messages).hasSize(1);
        assertThat(inbox().getMessageCount()).isEqualTo(1);
        assertThat(inbox().getMessages().get(0).isSet(Flags.Flag.SEEN)).isTrue();
    }

    @Test
    void quarantinedMailIsStoredAndRemovedToo() throws Exception {
        startAdapter(Map.of());
        byte[] unsigned = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "ohne Signatur", "<imap-4@v.example>",
                TestMails.entity(), "");
        TestMails.send(greenMail.getSmtp().getPort(), TestWorld.VIERNHEIM_ADDRESS, US, unsigned);

        adapter.poll();

        assertThat(sink.quarantined).singleElement().satisfies(q -> assertThat(q.reason()).startsWith("unsigned:"));
        assertThat(inbox().getMessageCount()).isZero();
    }

    @Test
    void idlePicksUpNewMailWithoutAPoll() throws Exception {
        startAdapter(Map.of("imap.poststelle.idle", "true"));
        ImapMailbox mailbox = adapter.mailboxes().get(0);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!mailbox.idling() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(mailbox.idling()).as("IDLE started").isTrue();

        deliver("<imap-idle@viernheim.example>");

        deadline = System.currentTimeMillis() + 10_000;
        while (sink.messages.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sink.messages).singleElement()
                .satisfies(m -> assertThat(m.message().transportId()).isEqualTo("<imap-idle@viernheim.example>"));
    }
}
