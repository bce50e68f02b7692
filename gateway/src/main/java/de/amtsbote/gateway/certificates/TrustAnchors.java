package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import de.amtsbote.crypto.validation.TrustAnchorRefusedException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The certificate authorities the gateway trusts: those configured in {@code amtsbote.crypto.trust-anchors} and those
 * a security officer added at run time (console, API, CLI). A change applies at once on this node and within
 * {@code amtsbote.crypto.trust-anchor-check-interval} on every other node ({@link ReloadableCertificateValidator}).
 *
 * <p>Every change is recorded by the caller's {@link Recorder} in the change's own transaction, so the audit trail
 * has it exactly when it happened (this package cannot name the audit trail: the audit trail depends on it).
 */
@Service
public class TrustAnchors {

    private static final Logger log = LoggerFactory.getLogger(TrustAnchors.class);
    private static final int MAX_REASON = 1000;

    /** Records a change in the audit trail; called inside the change's transaction, after it is written. */
    @FunctionalInterface
    public interface Recorder {
        void record(TrustAnchor anchor);
    }

    private final ConfiguredTrustAnchors configured;
    private final TrustAnchorStore store;
    private final ReloadableCertificateValidator validator;
    private final AlgorithmPolicy policy;
    private final TransactionTemplate tx;
    private final Clock clock;

    TrustAnchors(ConfiguredTrustAnchors configured, TrustAnchorStore store, ReloadableCertificateValidator validator,
                 AlgorithmPolicy policy, TransactionTemplate tx, Clock clock) {
        this.configured = configured;
        this.store = store;
        this.validator = validator;
        this.policy = policy;
        this.tx = tx;
        this.clock = clock;
    }

    /** The anchors in force: the configured ones first (in the order of their files), then those added. */
    public List<TrustAnchor> inForce() {
        List<TrustAnchor> all = new ArrayList<>(configured.anchors());
        for (TrustAnchor a : store.inForce()) {
            if (configured(a.fingerprint()).isEmpty()) {
                all.add(a);
            }
        }
        return all;
    }

    /** Anchors that were added and later removed, the most recently removed first. */
    public List<TrustAnchor> removed() {
        return store.removed();
    }

    /** The anchor in force with this fingerprint, else the last removed one with it. */
    public Optional<TrustAnchor> find(String fingerprint) {
        String f = normalised(fingerprint);
        return configured(f).or(() -> store.inForce(f)).or(() -> store.lastRemoved(f));
    }

    /**
     * Adds the CA certificate in {@code pem} as a trust anchor, after {@link TrustAnchorCandidate#check}.
     *
     * @param by  the console user name or client system id, as in the audit trail
     * @throws TrustAnchorException REFUSED, ALREADY_TRUSTED or REASON_MISSING; nothing is changed then
     */
    public TrustAnchor add(String pem, String reason, String by, TrustAnchor.Via via, Recorder recorder) {
        String why = requireReason(reason);
        X509Certificate certificate;
        Instant now = clock.instant();
        try {
            certificate = TrustAnchorCandidate.fromPem(pem);
            TrustAnchorCandidate.check(certificate, policy, now);
        } catch (TrustAnchorRefusedException e) {
            throw new TrustAnchorException(e);
        }
        String fingerprint = TrustAnchorCandidate.fingerprint(certificate);
        Optional<TrustAnchor> known = configured(fingerprint).or(() -> store.inForce(fingerprint));
        if (known.isPresent()) {
            throw alreadyTrusted(known.get());
        }
        TrustAnchor anchor = new TrustAnchor(fingerprint, certificate, TrustAnchor.Source.MANAGED, null,
                new TrustAnchor.Change(now, by, via, why), null);
        try {
            tx.executeWithoutResult(s -> {
                store.insert(anchor);
                recorder.record(anchor);
                reloadAfterCommit();
            });
        } catch (DuplicateKeyException e) {
            // another node or request added it in the meantime
            throw alreadyTrusted(store.inForce(fingerprint).orElse(anchor));
        }
        log.info("trust anchor added by {} via {}: {} (SHA-256 {}), reason: {}", by, via, anchor.subject(), fingerprint,
                why);
        return anchor;
    }

    /**
     * Removes a managed anchor: validations on this node stop trusting it when this returns, other nodes within the
     * check interval. Its row stays, marked removed, in the history.
     *
     * @throws TrustAnchorException CONFIGURED, NOT_FOUND or REASON_MISSING; nothing is changed then
     */
    public TrustAnchor remove(String fingerprint, String reason, String by, TrustAnchor.Via via, Recorder recorder) {
        String why = requireReason(reason);
        String f = normalised(fingerprint);
        Optional<TrustAnchor> fromFile = configured(f);
        if (fromFile.isPresent()) {
            throw new TrustAnchorException(TrustAnchorException.Kind.CONFIGURED, "the trust anchor "
                    + fromFile.get().subject() + " is configured in " + fromFile.get().file()
                    + " (amtsbote.crypto.trust-anchors); it can only be removed there, and takes effect at the next"
                    + " start", fromFile.get());
        }
        TrustAnchor.Change removal = new TrustAnchor.Change(clock.instant(), by, via, why);
        TrustAnchor removed = tx.execute(s -> {
            TrustAnchor anchor = store.inForce(f).orElseThrow(() -> notFound(fingerprint));
            if (!store.markRemoved(f, removal)) {
                throw notFound(fingerprint);
            }
            TrustAnchor now = new TrustAnchor(anchor.fingerprint(), anchor.certificate(), anchor.source(), null,
                    anchor.added(), removal);
            recorder.record(now);
            reloadAfterCommit();
            return now;
        });
        log.info("trust anchor removed by {} via {}: {} (SHA-256 {}), reason: {}", by, via, removed.subject(), f, why);
        return removed;
    }

    /** "AB:CD:…" or "ab cd …" → "abcd…": how fingerprints are compared. */
    public static String normalised(String fingerprint) {
        return fingerprint == null ? "" : fingerprint.replace(":", "").replace(" ", "").strip()
                .toLowerCase(Locale.ROOT);
    }

    private Optional<TrustAnchor> configured(String fingerprint) {
        return configured.anchors().stream().filter(a -> a.fingerprint().equals(fingerprint)).findFirst();
    }

    private void reloadAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                validator.reload();
            }
        });
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new TrustAnchorException(TrustAnchorException.Kind.REASON_MISSING, "a reason is required: say why"
                    + " the trust anchor is changed (it is kept in the audit trail and the history)", null);
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON) {
            throw new TrustAnchorException(TrustAnchorException.Kind.REASON_MISSING, "the reason has " + r.length()
                    + " characters; at most " + MAX_REASON, null);
        }
        return r;
    }

    private static TrustAnchorException alreadyTrusted(TrustAnchor existing) {
        String where = existing.source() == TrustAnchor.Source.CONFIGURATION
                ? "configured in " + existing.file()
                : "added by " + existing.added().by() + " on " + existing.added().at();
        return new TrustAnchorException(TrustAnchorException.Kind.ALREADY_TRUSTED, existing.subject()
                + " is already a trust anchor (" + where + ")", existing);
    }

    private static TrustAnchorException notFound(String fingerprint) {
        return new TrustAnchorException(TrustAnchorException.Kind.NOT_FOUND, "no trust anchor in force has the"
                + " SHA-256 fingerprint " + fingerprint, null);
    }
}
