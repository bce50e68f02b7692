package de.amtsbote.gateway.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * An SMTP relay that answers as the test scripts it — defer (451), refuse (550), stall past the client's timeout —
 * and otherwise accepts, remembering the Message-ID of every mail it accepted, so a test can see duplicates. It can
 * be stopped and started again on the same port (a relay that is down for a while).
 */
final class ScriptedRelay implements AutoCloseable {

    enum Answer { DEFER, REFUSE, STALL }

    private final int port;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private volatile SMTPServer server;

    ScriptedRelay(int port) {
        this.port = port;
    }

    /** Starts the relay, if it is not running. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        SMTPServer s = SMTPServer.port(port).bindAddress(InetAddress.getLoopbackAddress())
                .messageHandlerFactory(this::handler).build();
        s.start();
        server = s;
    }

    synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The next mails get these answers, in order; after them every mail is accepted. */
    void script(Answer... answers) {
        script.clear();
        script.addAll(List.of(answers));
    }

    int port() {
        return port;
    }

    /** Message-IDs of the mails accepted so far, with repetitions. */
    List<String> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        stop();
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
                // any sender
            }

            @Override
            public void recipient(String recipient) {
                // any recipient
            }

            @Override
            public String data(InputStream data) throws RejectException, IOException {
                byte[] mail = data.readAllBytes();
                Answer answer = script.poll();
                if (answer == Answer.DEFER) {
                    throw new RejectException(451, "4.3.2 Mailbox busy, try again later");
                }
                if (answer == Answer.REFUSE) {
                    throw new RejectException(550, "5.7.1 Message refused by policy of kreis-bergstrasse.example");
                }
                if (answer == Answer.STALL) {
                    try {
                        Thread.sleep(4000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new RejectException(451, "4.4.2 too slow");
                }
                try {
                    accepted.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail))
                            .getMessageID());
                } catch (MessagingException e) {
                    throw new IOException("the relay cannot read the mail it accepted", e);
                }
                return null;
            }

            @Override
            public void done() {
                // nothing kept per connection
            }
        };
    }
}
