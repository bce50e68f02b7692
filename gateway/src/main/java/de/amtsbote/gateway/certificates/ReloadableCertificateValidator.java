package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The gateway's one {@link CertificateValidator}: everything that validates certificates (the crypto door and so
 * every channel, the party directory) holds this object, never the validator behind it, so a change of the trust
 * anchors applies to all of them at once and without a restart.
 *
 * <p>Behind it is a {@code PkixCertificateValidator} built from the configured anchors and the managed ones in the
 * database. It is rebuilt when the anchors' generation (a counter row moved by every change) differs from the one it
 * was built from: on this node right after a change commits ({@link #reload()}), and for changes made on another node
 * at the next validation after {@code checkInterval} has passed since the last look — so a node notices within the
 * interval, at the cost of one single-row read per interval while it validates. If the database cannot be read, the
 * anchors of the last generation read stay in use (and the next validation tries again).
 *
 * <p>Fail-closed: with no anchor at all, every certificate is refused as {@code UNKNOWN_CA}, saying why.
 */
public final class ReloadableCertificateValidator implements CertificateValidator {

    private static final Logger log = LoggerFactory.getLogger(ReloadableCertificateValidator.class);

    /** What validations use now: the validator built from the anchors of one generation. */
    private record Snapshot(long generation, List<X509Certificate> anchors, CertificateValidator validator) {
    }

    private final List<X509Certificate> configured;
    private final TrustAnchorStore store;
    private final Function<List<X509Certificate>, CertificateValidator> build;
    private final long checkIntervalNanos;
    private final ReentrantLock rebuilding = new ReentrantLock();
    private volatile Snapshot current;
    private volatile long checkedAt;

    /**
     * @param build makes the validator for a non-empty list of anchors (the revocation settings and the policy are
     *              the same for every generation)
     */
    ReloadableCertificateValidator(List<X509Certificate> configured, TrustAnchorStore store,
                                   Function<List<X509Certificate>, CertificateValidator> build, Duration checkInterval) {
        this.configured = List.copyOf(configured);
        this.store = Objects.requireNonNull(store);
        this.build = Objects.requireNonNull(build);
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("amtsbote.crypto.trust-anchor-check-interval must not be negative: "
                    + checkInterval);
        }
        this.checkIntervalNanos = checkInterval.toNanos();
        rebuilding.lock();
        try {
            rebuild(store.generation());
        } finally {
            rebuilding.unlock();
        }
    }

    @Override
    public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                                     CertificateUsage usage, Instant at) {
        return snapshot().validator().validate(certificate, intermediates, usage, at);
    }

    /** The anchors validations use now (configured first). */
    public List<X509Certificate> trustAnchors() {
        return snapshot().anchors();
    }

    /** The generation of the anchors in use. */
    public long generation() {
        return current.generation();
    }

    /** Reads the generation now and rebuilds if it moved; called after a change on this node commits. */
    public void reload() {
        rebuilding.lock();
        try {
            check();
        } finally {
            rebuilding.unlock();
        }
    }

    private Snapshot snapshot() {
        if (System.nanoTime() - checkedAt >= checkIntervalNanos && rebuilding.tryLock()) {
            // One thread looks; the others go on with the anchors they have rather than wait for the database.
            try {
                if (System.nanoTime() - checkedAt >= checkIntervalNanos) {
                    check();
                }
            } finally {
                rebuilding.unlock();
            }
        }
        return current;
    }

    private void check() {
        try {
            long generation = store.generation();
            if (generation != current.generation()) {
                rebuild(generation);
            }
            checkedAt = System.nanoTime();
        } catch (DataAccessException e) {
            log.warn("cannot read the trust anchors from the database ({}); validating with those of generation {}"
                    + " until it answers", e.getMessage(), current.generation());
        }
    }

    /** Reads the anchors after the generation, so a change committed in between shows as a newer generation. */
    private void rebuild(long generation) {
        Map<String, X509Certificate> anchors = new LinkedHashMap<>();
        for (X509Certificate c : configured) {
            anchors.putIfAbsent(TrustAnchorCandidate.fingerprint(c), c);
        }
        int managed = 0;
        for (TrustAnchor a : store.inForce()) {
            if (anchors.putIfAbsent(a.fingerprint(), a.certificate()) == null) {
                managed++;
            }
        }
        List<X509Certificate> list = List.copyOf(new ArrayList<>(anchors.values()));
        CertificateValidator validator = list.isEmpty() ? nobodyTrusted() : build.apply(list);
        Snapshot before = current;
        current = new Snapshot(generation, list, validator);
        checkedAt = System.nanoTime();
        if (before == null) {
            log.info("trust anchors: {} configured, {} added at run time (generation {})", configured.size(), managed,
                    generation);
        } else {
            log.info("trust anchors changed (generation {} → {}): now {} configured, {} added at run time",
                    before.generation(), generation, configured.size(), managed);
        }
        if (list.isEmpty()) {
            log.warn("no certificate authority is trusted: every certificate is refused until a trust anchor is"
                    + " configured (amtsbote.crypto.trust-anchors) or added by a security officer");
        }
    }

    private static CertificateValidator nobodyTrusted() {
        return (certificate, intermediates, usage, at) -> new ValidationResult(ValidationResult.Reason.UNKNOWN_CA,
                "no certificate authority is trusted: amtsbote.crypto.trust-anchors is empty and no trust anchor was"
                        + " added at run time", List.of(), null, null, List.of(), at);
    }
}
