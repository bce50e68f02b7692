package de.amtsbote.sandbox.mail;

import com.icegreen.greenmail.imap.AuthorizationException;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.util.Date;
import java.util.Properties;

/**
 * A peer's mailbox on GreenMail, as people see it over IMAP: INBOX (what arrived, as it arrived), "Sent" (what the
 * peer sent: its mail and its receipts) and "Opened" (readable copies of the S/MIME messages it could decrypt and
 * verify: the outer headers, a header saying what was checked, and the decrypted content).
 */
final class Mailbox {

    static final String SENT = "Sent";
    static final String OPENED = "Opened";

    private static final Session SESSION = Session.getInstance(new Properties());

    private final MailFolder inbox;
    private final MailFolder sent;
    private final MailFolder opened;

    Mailbox(ImapHostManager host, GreenMailUser user) throws FolderException {
        this.inbox = host.getInbox(user);
        this.sent = folder(host, user, SENT);
        this.opened = folder(host, user, OPENED);
    }

    private static MailFolder folder(ImapHostManager host, GreenMailUser user, String name) throws FolderException {
        MailFolder f = host.getFolder(user, name);
        try {
            return f != null ? f : host.createMailbox(user, name);
        } catch (AuthorizationException e) {
            throw new FolderException("cannot create the folder " + name + " of " + user.getEmail() + ": "
                    + e.getMessage());
        }
    }

    /** Runs {@code onArrival} (on GreenMail's thread: it must only hand over) whenever a message is added to INBOX. */
    void watch(Runnable onArrival) {
        inbox.addListener(new FolderListener() {
            @Override
            public void added(int msn) {
                onArrival.run();
            }

            @Override
            public void expunged(int msn) {
                // someone deleted a message over IMAP: nothing to answer
            }

            @Override
            public void flagsUpdated(int msn, Flags flags, Long uid) {
                // seen/unseen over IMAP: the peer's receipts follow its receipt mode, not the flags
            }

            @Override
            public void mailboxDeleted() {
                // only when the sandbox stops
            }
        });
    }

    long[] inboxUids() {
        return inbox.getMessageUids();
    }

    StoredMessage inboxMessage(long uid) {
        return inbox.getMessage(uid);
    }

    void keepSent(InputStream message) throws MessagingException {
        sent.appendMessage(new MimeMessage(SESSION, message), new Flags(Flags.Flag.SEEN), new Date());
    }

    void keepOpened(InputStream message) throws MessagingException {
        opened.appendMessage(new MimeMessage(SESSION, message), new Flags(), new Date());
    }
}
