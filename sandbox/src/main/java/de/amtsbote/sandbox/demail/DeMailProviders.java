package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox De-Mail network: several DMDAs in one process, delivering to each other in process. Written from the
 * wire contract ({@code docs/channels/demail.md}) and TR 01201, never from the gateway's adapter. See the package
 * documentation for configuration, JSON, the HTTP endpoint and where it deviates from real providers.
 *
 * <pre>{@code
 * try (DeMailProviders demail = DeMailProviders.start(config)) {
 *     DeMailProvider a = demail.provider("dmda-a");   // SMTPS on 127.0.0.1:a.smtpPort(), IMAP on a.imapPort()
 *     demail.mailbox("erika.mustermann@dmda-b.de-mail.de").secureLogin();
 * }
 * }</pre>
 *
 * <p>Everything that happens after a provider accepted a message (routing, deposit, confirmations, notifications,
 * secure-login timers) runs in order on one network thread.
 */
public final class DeMailProviders implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeMailProviders.class.getName());

    private final DeMailConfig config;
    private final ScheduledExecutorService network;
    private final Map<String, DeMailProvider> providers = new LinkedHashMap<>();
    private final CertificateValidator e2eValidator;
    private volatile Thread networkThread;
    private DeMailEndpoint endpoint;

    private DeMailProviders(DeMailConfig config, CertificateValidator e2eValidator) {
        this.config = config;
        this.e2eValidator = e2eValidator;
        this.network = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demail-network");
            t.setDaemon(true);
            networkThread = t;
            return t;
        });
    }

    /**
     * Reads every PEM file, starts each provider's SMTPS and IMAP on 127.0.0.1 and, if configured, the HTTP endpoint.
     * A missing file, a key the policy refuses or a taken port fails here, naming it.
     */
    public static DeMailProviders start(DeMailConfig config) throws IOException {
        CertificateValidator validator = null;
        if (config.trustAnchors() != null) {
            try {
                // the sandbox runs no revocation service for end-to-end certificates; results say so (flagged)
                validator = PkixCertificateValidator.builder().trustAnchorsFrom(config.trustAnchors())
                        .revocation(RevocationSources.NONE).clock(config.clock()).build();
            } catch (CertificateException e) {
                throw new IOException("cannot read the trust anchors " + config.trustAnchors() + ": " + e.getMessage(),
                        e);
            }
        }
        DeMailProviders n = new DeMailProviders(config, validator);
        try {
            Files.createDirectories(config.dataDir());
            for (ProviderConfig p : config.providers()) {
                n.providers.put(p.name(), DeMailProvider.start(p, n, config.dataDir()));
            }
            if (config.httpPort() >= 0) {
                n.endpoint = DeMailEndpoint.start(n, config.httpPort());
            }
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    public DeMailConfig config() {
        return config;
    }

    public DeMailProvider provider(String name) {
        DeMailProvider p = providers.get(name);
        if (p == null) {
            throw new NoSuchElementException("no De-Mail provider " + name + " (there are " + providers.keySet() + ")");
        }
        return p;
    }

    public List<DeMailProvider> providers() {
        return new ArrayList<>(providers.values());
    }

    /** The mailbox with this address, at whichever provider serves it. */
    public DeMailMailbox mailbox(String address) {
        for (DeMailProvider p : providers.values()) {
            if (p.serves(DeMailAddress.domain(address))) {
                return p.mailbox(address);
            }
        }
        throw new NoSuchElementException("no sandbox provider serves " + address);
    }

    /** The HTTP endpoint's port, or -1 if it is not configured. */
    public int httpPort() {
        return endpoint == null ? -1 : endpoint.port();
    }

    /** Waits until everything the network has been asked to do so far is done (timers due later excepted). */
    public void settle() {
        onNetwork(() -> null);
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        network.shutdownNow();
        providers.values().forEach(DeMailProvider::close);
        try {
            network.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ for the providers

    Clock clock() {
        return config.clock();
    }

    CertificateValidator e2eValidator() {
        return e2eValidator;
    }

    Set<String> allDomains() {
        Set<String> all = new LinkedHashSet<>();
        providers.values().forEach(p -> all.addAll(p.config().domains()));
        return all;
    }

    /** After acceptance: the Versandbestätigung, then delivery to the recipient's provider. */
    void dispatch(AcceptedMessage m) {
        network.execute(() -> {
            try {
                m.origin().confirmDispatch(m);
                DeMailProvider target = providerFor(DeMailAddress.domain(m.recipient()));
                if (target == null) {
                    m.origin().notify(m, "unknown-recipient", "die Domäne " + DeMailAddress.domain(m.recipient())
                            + " wird von keinem De-Mail-Diensteanbieter bedient.");
                } else {
                    target.receive(m);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot deliver " + m.demailMessageId() + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(m.file());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete " + m.file() + ": " + e.getMessage());
                }
            }
        });
    }

    /** Deposits a confirmation or notification into the mailbox of {@code to}, wherever it is; false if nowhere. */
    boolean depositSystemMessage(String to, byte[] message, java.time.Instant at) throws IOException {
        DeMailProvider p = providerFor(DeMailAddress.domain(to));
        return p != null && p.depositSystemMessage(to, message, at);
    }

    <T> T onNetwork(Callable<T> task) {
        try {
            if (Thread.currentThread() == networkThread) {
                return task.call();
            }
            return network.submit(task).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the De-Mail network did not finish within 60 s", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    void schedule(Runnable task, Duration delay) {
        network.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a scheduled De-Mail task failed: " + e.getMessage(), e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private DeMailProvider providerFor(String domain) {
        return providers.values().stream().filter(p -> p.serves(domain)).findFirst().orElse(null);
    }
}
