package de.amtsbote.sandbox.demail;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads a mailbox over real IMAP (Jakarta Mail), as the gateway does: every message's bytes. */
final class Imap {

    private Imap() {
    }

    static List<DeMailMessage> read(int port, String address, String password) throws MessagingException, IOException {
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "10000");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", port, address, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<DeMailMessage> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                out.add(DeMailMessage.of(m.getMessageNumber(), raw.toByteArray()));
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
