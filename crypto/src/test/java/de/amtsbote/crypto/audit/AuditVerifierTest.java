package de.amtsbote.crypto.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chain rules of the audit verifier on trails built here, with the canonical encoding written a third time from
 * docs/audit.md (the gateway's writer and the signed checkpoints are checked against it in the gateway's
 * AuditContract). Checkpoints here are unsigned, as a gateway without a key store keeps them.
 */
class AuditVerifierTest {

    private static final String GENESIS = "0".repeat(64);

    /** Entries 1..n linked from the genesis hash; entry {@code checkpointAt + 1} records a checkpoint at that seq (0: none). */
    private static List<AuditVerifier.Entry> chain(int n, int checkpointAt) {
        List<AuditVerifier.Entry> entries = new ArrayList<>();
        String previous = GENESIS;
        for (int seq = 1; seq <= n; seq++) {
            boolean records = checkpointAt > 0 && seq == checkpointAt + 1;
            String action = records ? "audit.checkpointed" : "message.submitted";
            String detail = records ? "{\"head\":\"" + previous + "\",\"signed\":false,\"upTo\":" + checkpointAt + "}"
                    : "{\"n\":" + seq + "}";
            String subjects = records ? "checkpoint:" + checkpointAt : "message:m-" + seq;
            String time = "2026-11-25T09:31:12.%06dZ".formatted(seq);
            String hash = canonical(seq, time, "node-1", "CLIENT", "fachverfahren", action, subjects, detail, previous);
            entries.add(new AuditVerifier.Entry(seq, time, "node-1", "CLIENT", "fachverfahren", action, subjects,
                    detail, previous, hash));
            previous = hash;
        }
        return entries;
    }

    private static String canonical(long seq, String... fields) {
        StringBuilder b = new StringBuilder("amtsbote-audit-v1\n");
        List<String> all = new ArrayList<>(List.of(Long.toString(seq)));
        all.addAll(List.of(fields));
        for (String f : all) {
            b.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f).append('\n');
        }
        return ContentDigester.hexOf(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static AuditVerifier.Report verify(List<AuditVerifier.Entry> entries, int checkpointAt) {
        AuditVerifier.Verification v = AuditVerifier.withoutTrust().start();
        entries.forEach(v::entry);
        if (checkpointAt > 0) {
            v.checkpoint(new AuditVerifier.Checkpoint(checkpointAt, entries.get(checkpointAt - 1).hash(),
                    "2026-11-25T09:31:13.000000Z", "node-1", null));
        }
        AuditVerifier.Entry last = entries.get(entries.size() - 1);
        v.head(last.seq(), last.hash());
        return v.finish();
    }

    private static AuditVerifier.Entry withDetail(AuditVerifier.Entry e, String detail) {
        return new AuditVerifier.Entry(e.seq(), e.time(), e.node(), e.actorKind(), e.actorId(), e.action(),
                e.subjects(), detail, e.previous(), e.hash());
    }

    @Test
    void anIntactChainIsIntactUpToItsLastEntry() {
        AuditVerifier.Report report = verify(chain(8, 5), 5);

        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).isEqualTo(8);
        assertThat(report.lastSeq()).isEqualTo(8);
        assertThat(report.checkpoints()).isEqualTo(1);
        assertThat(report.signedCheckpoints()).isZero();
        assertThat(report.lastSigned()).isEmpty();
        assertThat(report.uncovered()).isEqualTo(8);
    }

    @Test
    void aChangedDetailIsNamedAtItsSeq() {
        List<AuditVerifier.Entry> entries = chain(8, 5);
        entries.set(2, withDetail(entries.get(2), "{\"n\":999}"));

        AuditVerifier.Report report = verify(entries, 5);

        assertThat(report.first()).map(AuditVerifier.Problem::kind).contains(AuditVerifier.Kind.CHANGED);
        assertThat(report.first()).map(AuditVerifier.Problem::seq).contains(3L);
        assertThat(report.first().orElseThrow().message()).startsWith("changed entry seq 3: hash mismatch");
    }

    @Test
    void aGapIsNamedAsADeletedEntry() {
        List<AuditVerifier.Entry> entries = chain(8, 5);
        entries.remove(3);

        AuditVerifier.Report report = verify(entries, 5);

        assertThat(report.first()).map(AuditVerifier.Problem::kind).contains(AuditVerifier.Kind.DELETED);
        assertThat(report.first().orElseThrow().message()).contains("deleted entry seq 4: gap between seq 3 and seq 5");
    }

    @Test
    void aCheckpointEntryWhoseDetailIsNoLongerJsonIsReportedNotThrown() {
        List<AuditVerifier.Entry> entries = chain(8, 5);
        entries.set(5, withDetail(entries.get(5), "<script>alert(1)</script>"));

        AuditVerifier.Report report = verify(entries, 5);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).extracting(AuditVerifier.Problem::seq).contains(6L);
        assertThat(report.problems().toString()).contains("checkpoint at seq 5 is not recorded in the chain");
    }

    @Test
    void aTrailWithoutHeadWasCutOff() {
        AuditVerifier.Verification v = AuditVerifier.withoutTrust().start();
        chain(3, 0).forEach(v::entry);

        AuditVerifier.Report report = v.finish();

        assertThat(report.first().orElseThrow().kind()).isEqualTo(AuditVerifier.Kind.MALFORMED);
        assertThat(report.first().orElseThrow().message()).contains("no head line");
    }

    @Test
    void anUnreadableLineIsNamedAfterTheLastGoodEntry() {
        AuditVerifier.Verification v = AuditVerifier.withoutTrust().start();
        List<AuditVerifier.Entry> entries = chain(3, 0);
        entries.forEach(v::entry);
        v.malformed("line 4 is not JSON");
        v.head(3, entries.get(2).hash());

        assertThat(v.finish().problems()).singleElement().satisfies(p -> {
            assertThat(p.seq()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(AuditVerifier.Kind.MALFORMED);
        });
    }

    @Test
    void theDetailReaderFindsWholeNumbersInFlatObjectsOnly() {
        assertThat(FlatJson.number("{\"head\":\"ab\\\"c\",\"signed\":true,\"upTo\":30}", "upTo")).contains(30L);
        assertThat(FlatJson.number(" { \"upTo\" : 7 , \"x\" : null } ", "upTo")).contains(7L);
        assertThat(FlatJson.number("{\"upTo\":\"30\"}", "upTo")).isEmpty();
        assertThat(FlatJson.number("{\"upTo\":3.5}", "upTo")).isEqualTo(Optional.empty());
        assertThat(FlatJson.number("{\"upTo\":30", "upTo")).isEmpty();
        assertThat(FlatJson.number("{\"a\":{\"upTo\":1}}", "upTo")).isEmpty();
        assertThat(FlatJson.number("{} trailing", "upTo")).isEmpty();
        assertThat(FlatJson.number("{}", "upTo")).isEmpty();
    }
}
