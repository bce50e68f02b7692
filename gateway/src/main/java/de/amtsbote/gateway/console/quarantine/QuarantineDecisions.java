package de.amtsbote.gateway.console.quarantine;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.inbox.QuarantineRecheck;
import de.amtsbote.gateway.quarantine.QuarantineEntry;
import de.amtsbote.gateway.quarantine.QuarantineRefusal;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator's decisions on quarantined items, each in one transaction with the person's audit entry: release (the
 * channel checks the item again; it is filed only if it passes, else it stays with the new reason, which is audited
 * too) and reject (with the person's reason; the raw content stays). Reading the raw content is audited as well.
 */
@Service
class QuarantineDecisions {

    /** A rejection's reason is a sentence or two, not a report. */
    static final int MAX_REASON = 1000;

    private final QuarantineStore store;
    private final QuarantineRecheck rechecks;
    private final ConsoleAudit audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    QuarantineDecisions(QuarantineStore store, QuarantineRecheck rechecks, ConsoleAudit audit, TransactionTemplate tx,
                        Clock clock) {
        this.store = store;
        this.rechecks = rechecks;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Has the item's channel check it again and, if it passes, files it and marks the entry released; if it fails,
     * keeps the entry open with the new reason. Both are audited.
     *
     * @throws QuarantineRefusal when nothing could be checked (unknown, decided, no channel, channel refuses)
     */
    QuarantineRecheck.Result release(String id, Authentication person) {
        try (QuarantineRecheck.Check check = rechecks.check(id)) {
            return tx.execute(s -> {
                QuarantineRecheck.Result r = check.commit(person.getName());
                QuarantineEntry e = r.entry();
                AuditDetail detail = AuditDetail.of().with("channel", e.channel()).with("transportId", e.transportId());
                if (r.released()) {
                    audit.record(person, "quarantine.release", AuditTrail.subjects("quarantine", id),
                            detail.with("outcome", r.reason()).with("inbox", String.join(" ", r.inboxIds())));
                } else {
                    audit.record(person, "quarantine.recheck-failed", AuditTrail.subjects("quarantine", id),
                            detail.with("reason", r.reason()));
                }
                return r;
            });
        }
    }

    /** Marks the item rejected with the person's reason; its raw content stays for the retention period. */
    QuarantineEntry reject(String id, Authentication person, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new QuarantineRefusal(QuarantineRefusal.Kind.REASON_MISSING, "a rejection needs a reason");
        }
        if (why.length() > MAX_REASON) {
            throw new QuarantineRefusal(QuarantineRefusal.Kind.REASON_TOO_LONG, "the reason has " + why.length()
                    + " characters, more than " + MAX_REASON, MAX_REASON);
        }
        return tx.execute(s -> {
            QuarantineEntry e = store.lockOpen(id);
            store.rejected(e, person.getName(), clock.instant(), why);
            audit.record(person, "quarantine.reject", AuditTrail.subjects("quarantine", id), AuditDetail.of()
                    .with("channel", e.channel()).with("transportId", e.transportId()).with("reason", why));
            return e;
        });
    }

    /**
     * The raw content of an item ({@code contentId} null) or of one of its re-arrivals, opened for a download that is
     * audited.
     */
    InputStream raw(QuarantineEntry e, String contentId, Authentication person) throws IOException {
        String which = contentId == null ? e.contentId() : contentId;
        InputStream in = store.raw(which);
        audit.record(person, "quarantine.raw-downloaded", AuditTrail.subjects("quarantine", e.id()),
                AuditDetail.of().with("content", which));
        return in;
    }
}
