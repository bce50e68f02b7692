package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.Sockets;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PartyDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The inbound SMTP listener (SubEthaSMTP, a maintained SMTP server library). Per mail: RCPT is accepted only for
 * addresses of the gateway's participants (550 otherwise); DATA is spooled to a temporary file while it arrives,
 * refused with 552 as soon as it passes {@code max-message-size} (nothing is stored; the sending server returns the
 * mail to its sender), and processed; 250 is answered only after the gateway stored the result. If processing fails
 * (the store is down, the disk full), the answer is 451 and the sending server tries again later.
 */
final class SmtpListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SmtpListener.class.getName());

    /** Processes one spooled mail for its envelope recipients; returns once the gateway stored the outcome. */
    interface Processing {
        void process(Path raw, List<String> recipients) throws IOException;
    }

    private final SMTPServer server;

    SmtpListener(SmimeSettings settings, PartyDirectory directory, Processing processing, String hostName)
            throws IOException {
        SmimeSettings.Listener l = settings.listener();
        this.server = SMTPServer.port(l.port())
                .bindAddress(InetAddress.getByName(l.host()))
                .hostName(hostName)
                .softwareName("Amtsbote")
                .maxMessageSize((int) settings.maxMessageBytes())
                .connectionTimeout((int) l.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(100)
                .serverSocketFactory(Sockets::serverSocket)
                .messageHandlerFactory(ctx -> new Handler(ctx, settings, directory, processing))
                .build();
    }

    void start() {
        server.start();
    }

    /** The port the listener is bound to (useful with port 0). */
    int port() {
        return server.getPortAllocated() > 0 ? server.getPortAllocated() : server.getPort();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** One mail transaction. */
    private static final class Handler implements MessageHandler {
        private final MessageContext ctx;
        private final SmimeSettings settings;
        private final PartyDirectory directory;
        private final Processing processing;
        private final List<String> recipients = new ArrayList<>();
        private Path spool;

        Handler(MessageContext ctx, SmimeSettings settings, PartyDirectory directory, Processing processing) {
            this.ctx = ctx;
            this.settings = settings;
            this.directory = directory;
            this.processing = processing;
        }

        @Override
        public void from(String from) {
            // any sender may write to a participant; who signed is what counts
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            var check = MailAddresses.check(recipient);
            if (!check.isValid()) {
                throw new RejectException(553, "5.1.3 <" + recipient + ">: " + check.problem());
            }
            if (directory.participantAt(new ChannelAddress(SmimeAdapter.CHANNEL, check.normalized())).isEmpty()) {
                throw new RejectException(550, "5.1.1 <" + check.normalized() + ">: no such participant here");
            }
            if (!recipients.contains(check.normalized())) {
                recipients.add(check.normalized());
            }
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            spool = Files.createTempFile(settings.spoolDirectory(), "smtp-in-", ".eml");
            long max = settings.maxMessageBytes();
            long total = 0;
            try (OutputStream out = Files.newOutputStream(spool)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = data.read(buffer)) >= 0) {
                    total += n;
                    if (total > max) {
                        // the rest is read and dropped by the server; the sender gets 552 and returns the mail
                        throw new RejectException(552, "5.3.4 message larger than " + max + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            try {
                processing.process(spool, List.copyOf(recipients));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mail from " + ctx.getRemoteAddress()
                        + " could not be stored; answered 451 so that it is sent again", e);
                throw new RejectException(451, "4.3.0 the mail could not be stored; try again later");
            }
            return null;
        }

        @Override
        public void done() {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "spool file " + spool + " could not be deleted", e);
                }
            }
        }
    }
}
