package de.amtsbote.sandbox.mail;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's mail peers: one mail server on 127.0.0.1 (GreenMail's mailboxes and IMAP, SubEthaSMTP in front of
 * them) hosting the mailboxes of outside parties, each a {@link MailPeer} with its own key that opens, logs and answers what arrives. Written from the wire
 * contract in {@code sandbox/mail-peers.md} and RFC 8098 / RFC 2634 / RFC 8551, never from the gateway's adapter, so a
 * misunderstanding shows up as a failing test instead of being mirrored on both sides.
 *
 * <pre>{@code
 * try (MailPeers mail = MailPeers.start(MailPeersConfig.read(Path.of("mail-peers.json")))) {
 *     MailPeer authority = mail.peer("poststelle@viernheim.example");
 *     ...                                   // the gateway delivers to 127.0.0.1:<mail.smtpPort()>
 *     assertThat(authority.stats().receiptsSent()).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>Anyone can look into a mailbox over IMAP with the peer's address and password, for example
 * {@code curl -u poststelle@viernheim.example:demo imap://127.0.0.1:3143/INBOX -X 'FETCH 1:* ENVELOPE'}. GreenMail keeps
 * mail in memory only: after a restart the mailboxes are empty, while the peer logs (and with them the duplicate
 * detection and pending receipts) carry on.
 */
public final class MailPeers implements AutoCloseable {

    private final MailPeersConfig config;
    private final GreenMail server;
    private final SmtpFront smtp;
    private final ScheduledExecutorService scheduler;
    private final Map<String, MailPeer> peers;

    private MailPeers(MailPeersConfig config, GreenMail server, SmtpFront smtp, ScheduledExecutorService scheduler,
                      Map<String, MailPeer> peers) {
        this.config = config;
        this.server = server;
        this.smtp = smtp;
        this.scheduler = scheduler;
        this.peers = peers;
    }

    /**
     * Loads every peer's key and certificate, starts SMTP and IMAP on 127.0.0.1, creates the mailboxes and starts
     * answering. A port that is taken, a missing PEM file or a key the policy refuses fails here, naming it.
     */
    public static MailPeers start(MailPeersConfig config) throws IOException {
        ScheduledExecutorService scheduler = scheduler();
        // GreenMail serves IMAP and holds the mailboxes; SMTP is SubEthaSMTP in front of them (see SmtpFront)
        GreenMail server = new GreenMail(new ServerSetup(config.imapPort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        Map<String, MailPeer> peers = new LinkedHashMap<>();
        SmtpFront smtp = null;
        try {
            Map<MailPeerConfig, PeerKeys> keys = loadKeys(config);
            try {
                server.start();
            } catch (RuntimeException e) {
                throw new IOException("the sandbox mail server cannot listen on 127.0.0.1 IMAP " + config.imapPort()
                        + " (taken?): " + e.getMessage(), e);
            }
            GatewaySmtp gateway = gateway(config);
            for (MailPeerConfig p : config.peers()) {
                GreenMailUser user = server.setUser(p.address(), p.address(), p.password());
                Mailbox mailbox = new Mailbox(server.getManagers().getImapHostManager(), user);
                MailPeer peer = peer(config, p, keys.get(p), gateway, scheduler, mailbox);
                peers.put(p.address(), peer);
                mailbox.watch(peer.inbound()::arrived);
                peer.resumePendingReceipts();
            }
            smtp = new SmtpFront(config.smtpPort(), server.getUserManager());
            try {
                smtp.start();
            } catch (RuntimeException e) {
                throw new IOException("the sandbox mail server cannot listen on 127.0.0.1 SMTP " + config.smtpPort()
                        + " (taken?): " + e.getMessage(), e);
            }
            return new MailPeers(config, server, smtp, scheduler, peers);
        } catch (FolderException e) {
            stop(server, scheduler, peers);
            throw new IOException("cannot create the sandbox mailboxes: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            stop(server, scheduler, peers);
            throw e;
        }
    }

    private static void stop(GreenMail server, ScheduledExecutorService scheduler, Map<String, MailPeer> peers) {
        peers.values().forEach(MailPeer::close);
        server.stop();
        scheduler.shutdownNow();
    }

    /**
     * The peers without a mail server, for sending only (the sandbox's {@code send} command next to a running
     * sandbox): {@link MailPeer#send} works and is logged; nothing is received.
     */
    public static MailPeers offline(MailPeersConfig config) throws IOException {
        ScheduledExecutorService scheduler = scheduler();
        Map<String, MailPeer> peers = new LinkedHashMap<>();
        Map<MailPeerConfig, PeerKeys> keys = loadKeys(config);
        GatewaySmtp gateway = gateway(config);
        for (MailPeerConfig p : config.peers()) {
            peers.put(p.address(), peer(config, p, keys.get(p), gateway, scheduler, null));
        }
        return new MailPeers(config, null, null, scheduler, peers);
    }

    private static Map<MailPeerConfig, PeerKeys> loadKeys(MailPeersConfig config) throws IOException {
        CertificateValidator validator;
        try {
            validator = PeerValidators.create(config.trustAnchors(), config.revocation(), config.clock());
        } catch (CertificateException | IOException e) {
            throw new IOException("cannot read the trust anchors of the mail peers from " + config.trustAnchors() + ": "
                    + e.getMessage(), e);
        }
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        Map<MailPeerConfig, PeerKeys> keys = new LinkedHashMap<>();
        for (MailPeerConfig p : config.peers()) {
            keys.put(p, PeerKeys.load(p, policy, validator, config.clock()));
        }
        return keys;
    }

    private static GatewaySmtp gateway(MailPeersConfig config) {
        return new GatewaySmtp(config.gatewayHost(), config.gatewayPort(), "sandbox-mail-peers.localhost");
    }

    private static MailPeer peer(MailPeersConfig config, MailPeerConfig p, PeerKeys keys, GatewaySmtp gateway,
                                 ScheduledExecutorService scheduler, Mailbox mailbox) throws IOException {
        Path dir = config.dataDir().resolve(p.address());
        Files.createDirectories(dir);
        return new MailPeer(p, keys, PeerLog.open(dir.resolve("peer-log.jsonl")), gateway, config.clock(),
                dir.resolve("spool"), scheduler, mailbox);
    }

    private static ScheduledExecutorService scheduler() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "mail-peer-receipts-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public MailPeersConfig config() {
        return config;
    }

    /** The SMTP port the mailboxes receive on (the free one chosen if the configuration said 0). */
    public int smtpPort() {
        running();
        return smtp.port();
    }

    /** The IMAP port to look into the mailboxes. */
    public int imapPort() {
        return running().getImap().getPort();
    }

    public List<MailPeer> peers() {
        return new ArrayList<>(peers.values());
    }

    /** Where each peer is and how to look at it, in configuration order (for {@code endpoints.json}). */
    public List<MailPeerEndpoint> endpoints() {
        List<MailPeerEndpoint> out = new ArrayList<>();
        for (MailPeer p : peers.values()) {
            MailPeerConfig c = p.config();
            out.add(new MailPeerEndpoint(c.address(), c.name(), "127.0.0.1:" + smtpPort(),
                    "imap://127.0.0.1:" + imapPort(), c.password(), c.certificate().toAbsolutePath().toString(),
                    c.receipts().toString(), p.logFile().toAbsolutePath().toString()));
        }
        return out;
    }

    public MailPeer peer(String address) {
        MailPeer p = peers.get(address.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new NoSuchElementException("no mail peer " + address + " (there are " + peers.keySet() + ")");
        }
        return p;
    }

    /**
     * Stops the servers and the peers. Receipts still waiting (a {@code displayed} MDN due later) are not sent now;
     * a start on the same data directory sends them.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (smtp != null) {
            smtp.stop();
        }
        peers.values().forEach(MailPeer::close);
        if (server != null) {
            server.stop();
        }
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private GreenMail running() {
        if (server == null) {
            throw new IllegalStateException("these mail peers were opened offline, for sending only");
        }
        return server;
    }
}
