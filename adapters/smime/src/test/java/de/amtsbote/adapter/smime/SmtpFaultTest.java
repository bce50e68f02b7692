package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.command.MailCommand;
import org.subethamail.smtp.internal.command.ReceiptCommand;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Outbound against a real SMTP server that misbehaves (SubEthaSMTP with a handler that answers as told): 4xx is
 * transient and the retry is taken once, 5xx is permanent with the server's words, a stall past the timeout and a
 * refused connection are transient, a relay that was down is used again once it is back — and the server never holds
 * two mails with one Message-ID.
 */
class SmtpFaultTest {

    static final TestWorld WORLD = TestWorld.get();

    enum Behaviour { ACCEPT, DEFER, REJECT, STALL }

    final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.ACCEPT);
    final List<String> acceptedMessageIds = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    SMTPServer server;
    int port;
    SmimeAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        port = freePort();
        server = server(port, false);
        adapter = WORLD.start(Map.of("relay.host", "127.0.0.1", "relay.port", Integer.toString(port),
                "relay.tls", "none", "relay.timeout", "1s", "relay.connect-timeout", "1s",
                "listen.enabled", "false"), new RecordingSink(), WORLD.directory(), ChannelMemory.inProcess());
    }

    @AfterEach
    void stop() {
        adapter.close();
        server.stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private SMTPServer server(int port, boolean announceDsn) throws Exception {
        SMTPServer s = SMTPServer.port(port).bindAddress(InetAddress.getLoopbackAddress())
                .messageHandlerFactory(this::handler).build();
        if (announceDsn) {
            s.getCommandHandler().addCommand(new DsnEhlo());
            s.getCommandHandler().addCommand(new Recording(new MailCommand()));
            s.getCommandHandler().addCommand(new Recording(new ReceiptCommand()));
        }
        s.start();
        return s;
    }

    private MessageHandler handler(MessageContext ctx) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public String data(InputStream data) throws RejectException, IOException {
                byte[] mail = data.readAllBytes();
                switch (behaviour.get()) {
                    case DEFER -> throw new RejectException(451, "4.3.2 Mailbox busy, try later");
                    case REJECT -> throw new RejectException(550, "5.7.1 Message refused by policy");
                    case STALL -> {
                        try {
                            Thread.sleep(3000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new RejectException(451, "4.4.2 too late");
                    }
                    default -> {
                        try {
                            acceptedMessageIds.add(new MimeMessage(Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(mail)).getMessageID());
                        } catch (jakarta.mail.MessagingException e) {
                            throw new IOException(e);
                        }
                    }
                }
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    private static OutboundEnvelope letter(String deliveryId) {
        return Envelopes.letter(deliveryId, TestWorld.VIERNHEIM_ADDRESS, Envelopes.SIGN_AND_ENCRYPT);
    }

    @Test
    void aDeferralIsTransientAndTheRetryIsTakenOnce() throws Exception {
        behaviour.set(Behaviour.DEFER);
        assertThatThrownBy(() -> adapter.dispatch(letter("d-451"))).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("451").hasMessageContaining("Mailbox busy");

        behaviour.set(Behaviour.ACCEPT);
        String reference = adapter.dispatch(letter("d-451")).transportReference();

        assertThat(acceptedMessageIds).containsExactly(reference);
    }

    @Test
    void aRefusalIsPermanentWithTheServersWords() {
        behaviour.set(Behaviour.REJECT);
        assertThatThrownBy(() -> adapter.dispatch(letter("d-550"))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("550").hasMessageContaining("5.7.1 Message refused by policy");
        assertThat(acceptedMessageIds).isEmpty();
    }

    @Test
    void aServerThatStallsPastTheTimeoutIsTransient() {
        behaviour.set(Behaviour.STALL);
        long start = System.nanoTime();
        assertThatThrownBy(() -> adapter.dispatch(letter("d-stall"))).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("did not answer within");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2900);
    }

    @Test
    void aRefusedConnectionIsTransient() {
        server.stop();
        assertThatThrownBy(() -> adapter.dispatch(letter("d-down"))).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("cannot connect").hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void aRelayThatWasDownIsUsedAgainOnceItIsBackWithoutDuplicates() throws Exception {
        adapter.dispatch(letter("d-before")); // leaves a pooled connection to the server that will go away
        server.stop();
        assertThatThrownBy(() -> adapter.dispatch(letter("d-outage"))).isInstanceOf(TransientTransportException.class);
        assertThatThrownBy(() -> adapter.dispatch(letter("d-outage"))).isInstanceOf(TransientTransportException.class);

        server = server(port, false); // SubEthaSMTP servers cannot restart: a new one on the same port
        String reference = adapter.dispatch(letter("d-outage")).transportReference();

        assertThat(acceptedMessageIds).containsExactly("<d-before@bad-vilbel.example>", reference);
    }

    @Test
    void requestsDeliveryStatusNotificationsWhereTheRelayAnnouncesDsn() throws Exception {
        server.stop();
        server = server(port, true);
        adapter.dispatch(letter("d-dsn"));

        assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("MAIL FROM:")
                .contains("RET=HDRS").contains("ENVID=d-dsn"));
        assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("RCPT TO:")
                .contains("NOTIFY=SUCCESS,FAILURE"));
    }

    @Test
    void requestsNoDsnWhereTheRelayDoesNotAnnounceIt() throws Exception {
        server.stop();
        server = server(port, false);
        server.getCommandHandler().addCommand(new Recording(new MailCommand()));
        adapter.dispatch(letter("d-nodsn"));
        assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("MAIL FROM:").doesNotContain("ENVID"));
    }

    /** EHLO announcing DSN (RFC 3461), which SubEthaSMTP itself does not. */
    static final class DsnEhlo implements Command {
        @Override
        public void execute(String commandString, org.subethamail.smtp.server.Session sess) throws IOException {
            String[] args = BaseCommand.getArgs(commandString);
            sess.resetMailTransaction();
            sess.setHelo(args.length > 1 ? args[1] : "client");
            sess.sendResponse("250-" + sess.getServer().getHostName() + "\r\n250-8BITMIME\r\n250-DSN\r\n250 Ok");
        }

        @Override
        public HelpMessage getHelp() {
            return new HelpMessage("EHLO", "Introduce yourself.");
        }

        @Override
        public String getName() {
            return "EHLO";
        }
    }

    /** Remembers the command line, then does what the server normally does. */
    final class Recording implements Command {
        private final Command delegate;

        Recording(Command delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(String commandString, org.subethamail.smtp.server.Session sess)
                throws IOException, org.subethamail.smtp.DropConnectionException {
            commands.add(commandString);
            delegate.execute(commandString, sess);
        }

        @Override
        public HelpMessage getHelp() throws org.subethamail.smtp.internal.server.CommandException {
            return delegate.getHelp();
        }

        @Override
        public String getName() {
            return delegate.getName();
        }
    }
}
