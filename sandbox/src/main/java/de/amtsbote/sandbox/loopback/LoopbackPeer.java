package de.amtsbote.sandbox.loopback;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The far end of the loopback channel: an independent "post office" holding the mailboxes of outside parties,
 * reached over plain HTTP on 127.0.0.1. The gateway delivers to its mailboxes, fetches what outside parties send
 * and receives their receipts, so the gateway's outbox, crash recovery, multi-node dispatch, receipts and inbox can
 * be exercised over a real transport and against a real second process. It neither signs nor encrypts.
 *
 * <p>The protocol is described in {@code sandbox/loopback-protocol.md}; this class was written from it, not from
 * the adapter, so a misunderstanding shows up as a failing test instead of being mirrored on both sides.
 *
 * <pre>{@code
 * try (LoopbackPeer peer = LoopbackPeer.builder(dataDir).mailboxes("poststelle").build().start()) {
 *     URI endpoint = peer.baseUri();   // http://127.0.0.1:<free port>
 *     ...
 *     assertThat(peer.stats().duplicates()).isZero();
 * }
 * }</pre>
 *
 * <p>Everything the peer answered is in its data directory ({@code journal.jsonl}, {@code peer-log.jsonl},
 * {@code mailboxes/}, {@code outgoing/}), so a peer started again on the same directory still recognises
 * redeliveries and still offers what the gateway has not fetched.
 */
public final class LoopbackPeer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LoopbackPeer.class.getName());

    /** Enough to serve concurrent dispatches from several gateway nodes, each with several dispatcher threads. */
    private static final int HTTP_THREADS = 32;

    private static final Pattern MAILBOX_NAME = Pattern.compile("[a-z0-9._-]{1,64}");

    /**
     * How a peer is set up.
     *
     * @param dataDir      where its journal, log and stored content live; reused across restarts
     * @param port         the port on 127.0.0.1, 0 for a free one
     * @param mailboxes    the outside parties' mailbox names, the local parts of their addresses
     * @param domain       the peer's domain: a mailbox's address is {@code <mailbox>@<domain>}
     * @param storeContent true: every received part is written to {@code mailboxes/<mailbox>/<transportId>/};
     *                     false: parts are only digested, for load tests
     * @param readAfter    if set, each new message is read (and a RETRIEVED receipt queued) after this delay
     * @param clock        the source of every time stamp the peer hands out or logs
     */
    public record Config(Path dataDir, int port, Set<String> mailboxes, String domain, boolean storeContent,
                         Optional<Duration> readAfter, Clock clock) {

        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(readAfter, "readAfter");
            Objects.requireNonNull(clock, "clock");
            mailboxes = Set.copyOf(mailboxes);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + port);
            }
            if (mailboxes.isEmpty()) {
                throw new IllegalArgumentException("a loopback peer needs at least one mailbox");
            }
            for (String mailbox : mailboxes) {
                if (!MAILBOX_NAME.matcher(mailbox).matches()) {
                    throw new IllegalArgumentException("mailbox name '" + mailbox
                            + "' must be 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
                }
            }
            if (domain.isBlank() || !domain.equals(domain.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("domain must be a non-empty lower-case name, got '" + domain + "'");
            }
            if (readAfter.isPresent() && readAfter.get().isNegative()) {
                throw new IllegalArgumentException("readAfter must not be negative");
            }
        }
    }

    /** Builds a {@link Config}; everything but the data directory has a default. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private Set<String> mailboxes = Set.of("poststelle", "buergerbuero");
        private String domain = "loopback.example";
        private boolean storeContent = true;
        private Optional<Duration> readAfter = Optional.empty();
        private Clock clock = Clock.systemUTC();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The mailboxes; default {@code poststelle} and {@code buergerbuero}. */
        public Builder mailboxes(String... mailboxes) {
            this.mailboxes = new LinkedHashSet<>(List.of(mailboxes));
            return this;
        }

        public Builder mailboxes(Set<String> mailboxes) {
            this.mailboxes = mailboxes;
            return this;
        }

        /** The peer's domain; default {@code loopback.example}. */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Whether received parts are written to disk (default) or only digested. */
        public Builder storeContent(boolean storeContent) {
            this.storeContent = storeContent;
            return this;
        }

        /** Reads every new message after this delay, queueing a RETRIEVED receipt. */
        public Builder readAfter(Duration delay) {
            this.readAfter = Optional.of(delay);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Config config() {
            return new Config(dataDir, port, mailboxes, domain, storeContent, readAfter, clock);
        }

        /** A peer with this configuration, not started yet. */
        public LoopbackPeer build() {
            return new LoopbackPeer(config());
        }
    }

    private final Config config;
    private final Faults faults = new Faults();
    private PostOffice office;
    private DeliveryLog log;
    private HttpServer server;
    private ExecutorService httpThreads;
    private ScheduledExecutorService reader;

    public LoopbackPeer(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Opens the data directory (replaying the journal), binds 127.0.0.1 and starts answering. Returns this peer,
     * so it can be started where it is built.
     */
    public synchronized LoopbackPeer start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("loopback peer already started");
        }
        Files.createDirectories(config.dataDir());
        office = new PostOffice(config.dataDir(), config.mailboxes(), config.domain(), config.clock());
        office.removeUnfinishedReceptions();
        log = new DeliveryLog(config.dataDir().resolve("peer-log.jsonl"));
        reader = Executors.newSingleThreadScheduledExecutor(daemonThreads("loopback-peer-reader"));
        config.readAfter().ifPresent(delay -> {
            // Messages a previous run received but did not get to read yet are still read, at their due time.
            for (ReceivedMessage message : office.unanswered()) {
                Duration due = Duration.between(config.clock().instant(), message.receivedAt().plus(delay));
                scheduleRead(message.transportId(), due.isNegative() ? Duration.ZERO : due);
            }
        });
        httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads("loopback-peer-http"));
        server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), config.port()), 128);
        server.setExecutor(httpThreads);
        server.createContext("/", new PeerHttpHandler(office, log, faults, config.clock(), config.storeContent(),
                message -> config.readAfter().ifPresent(delay -> scheduleRead(message.transportId(), delay))));
        server.start();
        return this;
    }

    public Config config() {
        return config;
    }

    /** The port the peer listens on (the free one chosen if the configuration said 0). */
    public int port() {
        return running().getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, the adapter's {@code endpoint}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** A mailbox's address on the loopback channel: {@code <mailbox>@<domain>}. */
    public String address(String mailbox) {
        return mailbox + "@" + config.domain();
    }

    /** Counts over every delivery request in the log, including those of earlier runs on this data directory. */
    public PeerStats stats() {
        running();
        return log.stats();
    }

    /** Every line of {@code peer-log.jsonl}, oldest first. */
    public List<PeerLogEntry> log() {
        running();
        return log.entries();
    }

    /** What a mailbox received, oldest first. */
    public List<ReceivedMessage> received(String mailbox) {
        running();
        return office.received(mailbox);
    }

    /** The directory holding a received message's parts (when content is stored). */
    public Path contentDirectory(String mailbox, String transportId) {
        return config.dataDir().resolve("mailboxes").resolve(mailbox).resolve(transportId);
    }

    /** An outside party sends a letter to a gateway participant; returns its transport id. */
    public String send(String mailbox, OutgoingLetter letter) {
        running();
        try {
            return office.send(mailbox, letter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the letter", e);
        }
    }

    /** An outgoing letter as the peer keeps it, with the gateway's retrieval receipt once it came. */
    public OutgoingMessage outgoing(String mailbox, String id) {
        running();
        return office.outgoing(mailbox, id);
    }

    /** Ids of the items waiting for the gateway to fetch and delete, oldest first. */
    public List<String> pendingOutbound() {
        running();
        return office.pendingIds();
    }

    /** The recipient reads a received message; queues a RETRIEVED receipt and returns its id. */
    public String read(String mailbox, String transportId) {
        running();
        return office.read(mailbox, transportId);
    }

    /** The recipient rejects a received message; queues a FAILED receipt and returns its id. */
    public String reject(String mailbox, String transportId, String reason) {
        running();
        return office.reject(mailbox, transportId, reason);
    }

    /** Plans failures and delays for the next deliveries, as {@code POST /control/faults} does. */
    public void injectFaults(FaultPlan plan) {
        faults.set(plan);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Stops answering and closes the data files. Requests in flight are cut off. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        httpThreads.shutdownNow();
        reader.shutdownNow();
        try {
            if (!httpThreads.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "loopback peer HTTP threads did not stop within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            log.close();
            office.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the loopback peer's files", e);
        } finally {
            server = null;
        }
    }

    private void scheduleRead(String transportId, Duration delay) {
        reader.schedule(() -> {
            try {
                office.readIfUnanswered(transportId);
            } catch (RuntimeException e) {
                // Nobody waits on this task's future, so the failure would vanish unless reported here.
                LOG.log(System.Logger.Level.ERROR, "automatic read of " + transportId + " failed", e);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized HttpServer running() {
        if (server == null) {
            throw new IllegalStateException("loopback peer is not running");
        }
        return server;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
