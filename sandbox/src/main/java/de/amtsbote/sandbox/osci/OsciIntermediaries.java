package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.crypto.validation.ValidationResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The sandbox OSCI network: one or more intermediaries and the SAFE-like directory in one process, on one embedded
 * Tomcat on 127.0.0.1, and the mailboxes the sandbox plays. Written from the wire contract
 * ({@code docs/channels/bebpo.md}), never from the gateway's adapter. See the package documentation.
 *
 * <pre>{@code
 * try (OsciIntermediaries osci = OsciIntermediaries.start(config)) {
 *     URI endpoint = osci.intermediary("justiz").url();      // http://127.0.0.1:<port>/osci/justiz
 *     URI directory = osci.directoryUri();                   // http://127.0.0.1:<port>/safe
 *     osci.mailbox("DE.Justiz.…").send(OutgoingDelivery.to("DE.Gateway.…").subject("…").body("…").build());
 * }
 * }</pre>
 */
public final class OsciIntermediaries implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OsciIntermediaries.class.getName());

    private final OsciConfig config;
    private final OsciPki pki;
    private final CertificateValidator validator;
    private final Map<String, Intermediary> intermediaries = new LinkedHashMap<>();
    private final Map<String, DirectoryEntry> directory = new ConcurrentHashMap<>();
    private final Map<String, OsciPeer> peers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private Tomcat tomcat;
    private Connector connector;
    private int port;

    private OsciIntermediaries(OsciConfig config, OsciPki pki, CertificateValidator validator) {
        this.config = config;
        this.pki = pki;
        this.validator = validator;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "osci-peers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Generates what the PKI directory has to provide, starts the HTTP listener, registers the mailboxes and starts
     * the played mailboxes' pollers. A missing file, a taken port or a key the policy refuses fails here, naming it.
     */
    public static OsciIntermediaries start(OsciConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        OsciPki pki = config.pkiDir() == null ? null : OsciPki.generateOrLoad(config.pkiDir(), config.clock());
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path p : config.trustAnchors()) {
            anchors.addAll(Credential.certificates(p));
        }
        if (pki != null) {
            anchors.addAll(Credential.certificates(pki.anchorFile()));
        }
        // OCSP/CRL where a certificate names them; "unknown" (soft fail, flagged) where it names none
        CertificateValidator validator = PkixCertificateValidator.builder().trustAnchors(anchors)
                .revocation(RevocationSources.OCSP_THEN_CRL).softFail().clock(config.clock()).build();
        OsciIntermediaries n = new OsciIntermediaries(config, pki, validator);
        try {
            for (IntermediaryConfig ic : config.intermediaries()) {
                IntermediaryConfig c = ic;
                if (c.certificate() == null) {
                    OsciPki.Pair p = n.requirePki("intermediary " + c.name()).intermediary(c.name());
                    c = new IntermediaryConfig(c.name(), p.certificate(), p.key(), c.maxBytes());
                }
                Credential credential = Credential.load(c.certificate(), c.key(), "intermediary-" + c.name(),
                        KeyPurpose.SIGNING);
                n.intermediaries.put(c.name(), new Intermediary(c, credential, n, config.dataDir()));
            }
            n.startTomcat(config.httpPort());
            for (OsciMailboxConfig m : config.mailboxes()) {
                n.register(m);
            }
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    public OsciConfig config() {
        return config;
    }

    /** The generated PKI, or null when the configuration has no PKI directory. */
    public OsciPki pki() {
        return pki;
    }

    public int httpPort() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The directory's base: {@code GET <directoryUri>/mailboxes/{id}}. */
    public URI directoryUri() {
        return URI.create(baseUri() + "/safe");
    }

    public Intermediary intermediary(String name) {
        Intermediary i = intermediaries.get(name);
        if (i == null) {
            throw new NoSuchElementException("no OSCI intermediary " + name + " (there are "
                    + intermediaries.keySet() + ")");
        }
        return i;
    }

    public List<Intermediary> intermediaries() {
        return new ArrayList<>(intermediaries.values());
    }

    /** The fault injection of one intermediary. */
    public OsciFaults faults(String intermediary) {
        return intermediary(intermediary).faults();
    }

    /** A mailbox the sandbox plays. */
    public OsciPeer mailbox(String id) {
        OsciPeer p = peers.get(id);
        if (p == null) {
            throw new NoSuchElementException("the sandbox plays no mailbox " + id + " (it plays "
                    + peers.keySet() + ")");
        }
        return p;
    }

    public List<OsciPeer> peers() {
        return new ArrayList<>(peers.values());
    }

    /**
     * Adds a mailbox to the directory while running (a gateway participant whose certificates are known only now),
     * generating the played mailbox's missing certificates and starting its poller.
     */
    public synchronized void register(OsciMailboxConfig m) throws IOException {
        Intermediary im = intermediary(m.intermediary());
        if (directory.containsKey(m.id())) {
            throw new IllegalArgumentException("mailbox " + m.id() + " is already in the directory");
        }
        Credential enc;
        Credential sig;
        Credential origin = null;
        if (m.played()) {
            OsciPki.Pair e = m.encryptionCertificate() != null
                    ? new OsciPki.Pair(m.encryptionCertificate(), m.encryptionKey())
                    : requirePki("mailbox " + m.id()).encryption(m.id());
            OsciPki.Pair s = m.signatureCertificate() != null
                    ? new OsciPki.Pair(m.signatureCertificate(), m.signatureKey())
                    : requirePki("mailbox " + m.id()).signature(m.id());
            enc = Credential.load(e.certificate(), e.key(), m.id(), KeyPurpose.ENCRYPTION);
            sig = Credential.load(s.certificate(), s.key(), m.id(), KeyPurpose.SIGNING);
            if (m.bebpo()) {
                OsciPki.Pair o = m.originCertificate() != null
                        ? new OsciPki.Pair(m.originCertificate(), m.originKey())
                        : requirePki("mailbox " + m.id()).origin(m.id());
                origin = Credential.load(o.certificate(), o.key(), m.id() + ".origin", KeyPurpose.SIGNING);
            }
        } else {
            enc = Credential.load(m.encryptionCertificate(), null, m.id(), KeyPurpose.ENCRYPTION);
            sig = Credential.load(m.signatureCertificate(), null, m.id(), KeyPurpose.SIGNING);
            origin = Credential.load(m.originCertificate(), null, m.id(), KeyPurpose.SIGNING);
        }
        DirectoryEntry entry = new DirectoryEntry(m.id(), m.name(), m.bebpo(), im.name(), im.url(),
                im.certificate(), enc, sig, origin, m.played());
        directory.put(m.id(), entry);
        if (m.played()) {
            OsciPeer peer = new OsciPeer(m, entry, this, config.dataDir().resolve("peers").resolve(m.id()));
            peers.put(m.id(), peer);
            if (!config.pollInterval().isZero()) {
                long ms = config.pollInterval().toMillis();
                scheduler.scheduleWithFixedDelay(peer::poll, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tomcat != null) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                LOG.log(System.Logger.Level.WARNING, "the OSCI sandbox's Tomcat did not stop: " + e.getMessage());
            }
        }
        for (OsciPeer p : peers.values()) {
            p.close();
        }
        for (Intermediary i : intermediaries.values()) {
            try {
                i.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot close the log of " + i.name() + ": " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ for the parts

    Clock clock() {
        return config.clock();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    DirectoryEntry entry(String id) {
        return directory.get(id);
    }

    List<DirectoryEntry> entries() {
        return directory.values().stream().sorted(java.util.Comparator.comparing(DirectoryEntry::id)).toList();
    }

    Intermediary intermediaryOrNull(String name) {
        return intermediaries.get(name);
    }

    OsciPeer peerOrNull(String id) {
        return peers.get(id);
    }

    URI intermediaryUrl(String name) {
        return URI.create(baseUri() + "/osci/" + name);
    }

    ValidationResult validate(Credential c, CertificateUsage usage) {
        return validator.validate(c.certificate(), c.chain().subList(1, c.chain().size()), usage,
                config.clock().instant());
    }

    private OsciPki requirePki(String what) {
        if (pki == null) {
            throw new IllegalArgumentException(what + " names no certificate and the configuration has no PKI"
                    + " directory to generate one in");
        }
        return pki;
    }

    private void startTomcat(int wanted) throws IOException {
        Path base = Files.createDirectories(config.dataDir().resolve("tomcat"));
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        connector = newConnector(wanted);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "osci", new OsciServlet(this));
        context.addServletMappingDecoded("/", "osci");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IOException("the OSCI sandbox cannot listen on 127.0.0.1:" + wanted + ": " + e.getMessage(), e);
        }
        port = connector.getLocalPort();
        if (port <= 0) {
            throw new IOException("the OSCI sandbox cannot listen on 127.0.0.1:" + wanted + " (taken?)");
        }
    }

    private static Connector newConnector(int port) {
        Connector c = new Connector();
        c.setPort(port);
        c.setProperty("address", "127.0.0.1");
        // bind at start and unbind at stop, so that a stopped listener refuses connections
        c.setProperty("bindOnInit", "false");
        c.setThrowOnFailure(true);
        return c;
    }

    synchronized void stopListener() {
        try {
            connector.stop();
        } catch (LifecycleException e) {
            throw new IllegalStateException("cannot stop the OSCI listener: " + e.getMessage(), e);
        }
    }

    synchronized void startListener() throws IOException {
        try {
            connector.setPort(port);
            connector.start();
        } catch (LifecycleException e) {
            throw new IOException("cannot listen on 127.0.0.1:" + port + " again: " + e.getMessage(), e);
        }
    }
}
