package de.amtsbote.gateway.console.audit;

import de.amtsbote.crypto.audit.AuditVerifier;
import de.amtsbote.gateway.audit.AuditDetail;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What a verification found, as the console shows it after the redirect (kept in the session for one request, hence
 * serialisable) and as the {@code audit.verify} entry records it.
 *
 * @param lastSeq        the chain's last entry that was verified
 * @param lastSignedSeq  the seq of the last validly signed checkpoint, or null if there is none
 * @param lastSignedTime its time (UTC, as signed), or null
 * @param uncovered      entries after the last signed checkpoint (protected by the chain only)
 * @param firstSeq       where the first problem is, or null when intact
 * @param firstKind      its kind ({@link AuditVerifier.Kind}), or null
 * @param firstMessage   the verifier's description of it (English, as the CLI prints it), or null
 * @param more           the further problems' descriptions
 * @param verifiedAt     when, UTC to the second
 */
record VerificationResult(boolean intact, long entries, long lastSeq, long checkpoints, long signedCheckpoints,
                          Long lastSignedSeq, String lastSignedTime, long uncovered, Long firstSeq, String firstKind,
                          String firstMessage, List<String> more, String verifiedAt) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    VerificationResult {
        more = List.copyOf(more);
    }

    static VerificationResult of(AuditVerifier.Report report, Instant at) {
        AuditVerifier.Problem first = report.first().orElse(null);
        return new VerificationResult(report.intact(), report.entries(), report.lastSeq(), report.checkpoints(),
                report.signedCheckpoints(), report.lastSigned().map(AuditVerifier.Checkpoint::seq).orElse(null),
                report.lastSigned().map(AuditVerifier.Checkpoint::time).orElse(null), report.uncovered(),
                first == null ? null : first.seq(), first == null ? null : first.kind().name(),
                first == null ? null : first.message(),
                report.problems().stream().skip(1).map(AuditVerifier.Problem::message).toList(), TIME.format(at));
    }

    /** The {@code audit.verify} entry's detail: the outcome, never more than a few fields. */
    AuditDetail detail() {
        return AuditDetail.of().with("intact", intact).with("upTo", lastSeq).with("entries", entries)
                .with("signedCheckpoints", signedCheckpoints).with("lastSignedCheckpoint", lastSignedSeq)
                .with("firstProblemSeq", firstSeq).with("firstProblem", firstKind)
                .with("problems", intact ? null : 1 + more.size());
    }
}
