package de.amtsbote.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.cli.AmtsboteCli;
import de.amtsbote.cli.AuditExportReader;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.audit.AuditVerifier;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.gateway.testing.TestVault;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import picocli.CommandLine;

/**
 * The audit trail, specified once and run on H2 and on PostgreSQL: real actions through the API leave entries in one
 * hash chain with signed checkpoints, and tampering with the tables directly in SQL — an entry updated, deleted or
 * inserted, a checkpoint changed, the chain rewritten or its tail cut — is found by {@code ./amtsbote audit verify}
 * (the verifier in crypto/, fed the gateway's export by the CLI's reader), which names the place. The gateway's own
 * check ({@link AuditVerification}, for the console) feeds the same verifier from the tables and must agree.
 */
abstract class AuditContract extends RunningGateway {

    static final String AUDITOR_TOKEN = "aud-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final World WORLD = World.create();

    @Autowired
    AuditTrail trail;

    @Autowired
    AuditVerification verification;

    record World(Path dir, GeneratedPki pki, RevocationResponder ocsp, TestVault vault) {
        static World create() {
            try {
                Path dir = Fleet.temporaryDirectory("amtsbote-audit-");
                GeneratedPki pki = GeneratedPki.generateOrLoad(dir.resolve("pki"),
                        new PkiPlan("Amtsbote Audit Test CA", KeySpec.ec("P-256")), Clock.systemUTC());
                RevocationResponder ocsp = RevocationResponder.start(pki.authority(), Clock.systemUTC());
                TestVault vault = TestVault.createIn(dir);
                try (KeyVault keys = vault.open()) {
                    TestVault.certify(keys, keys.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("P-256")),
                            pki.authority(), ocsp.ocspUrl(), CertificateProfile.EVIDENCE,
                            new CsrSubject("Amtsbote Gateway", "Evidence", List.of()));
                }
                return new World(dir, pki, ocsp, vault);
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the audit test world", e);
            }
        }
    }

    /**
     * A content store of its own; the evidence key in a key store; an auditor; a checkpoint every 5 entries. Returns
     * the storage directory, for the subclass's database.
     */
    static String auditProperties(DynamicPropertyRegistry p) {
        String storage = WORLD.dir().resolve("storage-" + UUID.randomUUID()).toString();
        p.add("amtsbote.content.directory", () -> storage + "/content");
        p.add("amtsbote.content.keys-directory", () -> storage + "/keys");
        WORLD.vault().properties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.crypto.trust-anchors[0]", () -> WORLD.pki().anchorFile().toString());
        p.add("amtsbote.clients[3].id", () -> "revision");
        p.add("amtsbote.clients[3].token-sha256", () -> ClientRegistry.digestOf(AUDITOR_TOKEN));
        p.add("amtsbote.clients[3].roles[0]", () -> "AUDITOR");
        p.add("amtsbote.audit.checkpoint-every", () -> "5");
        p.add("amtsbote.audit.checkpoint-interval", () -> "1h");
        return storage;
    }

    // ------------------------------------------------------------------ a trail of real actions, kept per test

    private long headBefore;

    /** Real actions through the API, then a checkpoint on demand; the tables are saved to be restored afterwards. */
    @BeforeEach
    void actionsThenSnapshot() {
        String id = submit();
        await("delivery of " + id, WAIT, () -> badVilbel().get("/api/v1/messages/" + id).json().get("deliveries")
                .get(0).get("state").asString().equals("DELIVERED"));
        assertThat(client("wrong-" + UUID.randomUUID()).get("/api/v1/inbox").status()).isEqualTo(401);
        Response checkpoint = client(AUDITOR_TOKEN).post("/api/v1/audit/checkpoints");
        assertThat(checkpoint.status()).as(checkpoint.toString()).isEqualTo(200);
        headBefore = trail.head().seq();
        for (String table : List.of("audit_entry", "audit_checkpoint", "audit_head")) {
            jdbc.sql("drop table if exists saved_" + table).update();
            jdbc.sql("create table saved_" + table + " as select * from " + table).update();
        }
    }

    /** Undoes the tampering: the saved tables come back exactly. */
    @AfterEach
    void restore() {
        for (String table : List.of("audit_entry", "audit_checkpoint", "audit_head")) {
            jdbc.sql("delete from " + table).update();
            jdbc.sql("insert into " + table + " select * from saved_" + table).update();
        }
        assertThat(verify().intact()).as("the restored trail").isTrue();
    }

    private String submit() {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"], "subject": "Bescheid %s",
                 "body": "Guten Tag", "options": {"sign": false, "encrypt": false, "receipts": ["delivery"]}}
                """.formatted(Instant.now()))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private String export() {
        Response r = client(AUDITOR_TOKEN).get("/api/v1/audit/export");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.text();
    }

    /** The CLI's verification of the export; the gateway's own check of its tables must find the same. */
    private AuditVerifier.Report verify() {
        AuditVerifier.Report report;
        try {
            report = AuditExportReader.verify(AuditVerifier.trusting(WORLD.pki().anchorFile(), false),
                    new BufferedReader(new StringReader(export())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(verification.verify().problems()).as("the gateway's own check (console)")
                .isEqualTo(report.problems());
        return report;
    }

    private long seqOf(String action) {
        return jdbc.sql("select max(seq) from audit_entry where action = :action").param("action", action)
                .query(Long.class).single();
    }

    private long lastCheckpoint() {
        return jdbc.sql("select max(seq) from audit_checkpoint").query(Long.class).single();
    }

    private static void assertFirstProblem(AuditVerifier.Report report, AuditVerifier.Kind kind, long seq,
                                           String message) {
        assertThat(report.intact()).as("tampering found").isFalse();
        AuditVerifier.Problem first = report.first().orElseThrow();
        assertThat(first.kind()).as(report.problems().toString()).isEqualTo(kind);
        assertThat(first.seq()).as(report.problems().toString()).isEqualTo(seq);
        assertThat(first.message()).contains(message);
    }

    // ------------------------------------------------------------------ the trail as written

    @Test
    void realActionsLeaveAnIntactSignedChain() {
        AuditVerifier.Report report = verify();

        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).isEqualTo(headBefore);
        assertThat(report.signedCheckpoints()).isEqualTo(report.checkpoints()).isPositive();
        List<String> actions = jdbc.sql("select action from audit_entry order by seq").query(String.class).list();
        assertThat(actions).contains("message.submitted", "delivery.state-changed", "client.refused",
                "audit.checkpointed");
        String detail = jdbc.sql("select detail from audit_entry where action = 'delivery.state-changed' and detail"
                + " like '%\"to\":\"DELIVERED\"%'").query(String.class).list().get(0);
        assertThat(detail).isEqualTo("{\"event\":\"DeliveryAcceptance\",\"from\":\"DISPATCHING\",\"to\":\"DELIVERED\"}");
    }

    @Test
    void theCommandLineVerifiesAnExportFileAndNamesTheFirstTamperedEntry() throws Exception {
        long seq = seqOf("message.submitted");
        Path intactFile = WORLD.dir().resolve("intact-" + UUID.randomUUID() + ".jsonl");
        Files.writeString(intactFile, export());
        jdbc.sql("update audit_entry set detail = '{}' where seq = :seq").param("seq", seq).update();
        Path tamperedFile = WORLD.dir().resolve("tampered-" + UUID.randomUUID() + ".jsonl");
        Files.writeString(tamperedFile, export());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AmtsboteCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int intact = cli.execute("audit", "verify", "--export", intactFile.toString(), "--trust",
                WORLD.pki().anchorFile().toString());
        assertThat(intact).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("audit trail intact");

        int tampered = cli.execute("audit", "verify", "--export", tamperedFile.toString(), "--trust",
                WORLD.pki().anchorFile().toString());
        assertThat(tampered).isEqualTo(1);
        assertThat(err.toString()).contains("audit trail TAMPERED: changed entry seq " + seq + ": hash mismatch");
    }

    @Test
    void theAuditApiIsOnlyForAuditors() {
        assertThat(badVilbel().get("/api/v1/audit").status()).isEqualTo(403);
        Response page = client(AUDITOR_TOKEN).get("/api/v1/audit?after=0&limit=3");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("items").size()).isEqualTo(3);
        assertThat(page.json().get("items").get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(page.json().get("next").asString()).isEqualTo("/api/v1/audit?after=3&limit=3");
    }

    // ------------------------------------------------------------------ tampering in SQL

    @Test
    void anUpdatedEntryIsNamed() {
        long seq = seqOf("message.submitted");
        jdbc.sql("update audit_entry set actor_id = 'somebody-else' where seq = :seq").param("seq", seq).update();

        assertFirstProblem(verify(), AuditVerifier.Kind.CHANGED, seq, "changed entry seq " + seq + ": hash mismatch");
    }

    @Test
    void aDeletedEntryIsNamed() {
        long seq = seqOf("message.submitted");
        jdbc.sql("delete from audit_entry where seq = :seq").param("seq", seq).update();

        assertFirstProblem(verify(), AuditVerifier.Kind.DELETED, seq, "deleted entry seq " + seq);
    }

    @Test
    void anEntryInsertedWithItsSuccessorsRenumberedIsNamed() {
        long after = seqOf("message.submitted");
        String previous = jdbc.sql("select entry_hash from audit_entry where seq = :seq").param("seq", after)
                .query(String.class).single();
        // the forger knows the encoding and computes a valid hash; to make room the later entries move up by one
        jdbc.sql("update audit_entry set seq = -seq where seq > :seq").param("seq", after).update();
        jdbc.sql("update audit_entry set seq = 1 - seq where seq < 0").update();
        Instant time = AuditEntry.truncate(Instant.now());
        AuditActor actor = AuditActor.client("fachverfahren-bad-vilbel");
        String hash = AuditEntry.hashOf(after + 1, time, "test-node", actor, "message.submitted", "message:forged",
                "{}", previous);
        jdbc.sql("""
                insert into audit_entry (seq, occurred_at, node, actor_kind, actor_id, action, subjects, detail,
                                         previous, entry_hash)
                values (:seq, :at, 'test-node', 'CLIENT', 'fachverfahren-bad-vilbel', 'message.submitted',
                        'message:forged', '{}', :previous, :hash)""")
                .param("seq", after + 1).param("at", time.atOffset(java.time.ZoneOffset.UTC))
                .param("previous", previous).param("hash", hash).update();
        jdbc.sql("update audit_head set seq = seq + 1").update();

        assertFirstProblem(verify(), AuditVerifier.Kind.INSERTED, after + 1, "inserted entry at seq " + (after + 1));
    }

    @Test
    void anEntryInsertedAfterTheHeadIsNamed() {
        long next = headBefore + 1;
        jdbc.sql("""
                insert into audit_entry (seq, occurred_at, node, actor_kind, actor_id, action, subjects, detail,
                                         previous, entry_hash)
                select :seq, occurred_at, node, actor_kind, actor_id, action, subjects, detail, entry_hash, entry_hash
                from audit_entry where seq = :last""")
                .param("seq", next).param("last", headBefore).update();

        AuditVerifier.Report report = verify();
        assertThat(report.problems()).extracting(AuditVerifier.Problem::kind).contains(AuditVerifier.Kind.INSERTED);
        assertThat(report.problems().toString()).contains("inserted entry at seq " + next);
    }

    @Test
    void aChangedCheckpointIsNamed() {
        long checkpoint = lastCheckpoint();
        jdbc.sql("update audit_checkpoint set entry_hash = :hash where seq = :seq").param("hash", "ab".repeat(32))
                .param("seq", checkpoint).update();

        assertFirstProblem(verify(), AuditVerifier.Kind.CHECKPOINT_CHANGED, checkpoint,
                "checkpoint at seq " + checkpoint + " was changed");
    }

    @Test
    void aDeletedCheckpointIsNamed() {
        long checkpoint = lastCheckpoint();
        jdbc.sql("delete from audit_checkpoint where seq = :seq").param("seq", checkpoint).update();

        assertFirstProblem(verify(), AuditVerifier.Kind.CHECKPOINT_MISSING, checkpoint,
                "checkpoint at seq " + checkpoint + " is missing");
    }

    @Test
    void aWhollyRewrittenChainIsCaughtByTheSignedCheckpoint() {
        long changed = seqOf("message.submitted");
        List<AuditEntry> entries = trail.page(0, Long.MAX_VALUE, 100_000);
        String previous = AuditEntry.GENESIS;
        for (AuditEntry e : entries) {
            String actor = e.seq() == changed ? "somebody-else" : e.actor().id();
            String hash = AuditEntry.hashOf(e.seq(), e.time(), e.node(), new AuditActor(e.actor().kind(), actor),
                    e.action(), e.subjects(), e.detail(), previous);
            jdbc.sql("update audit_entry set actor_id = :actor, previous = :previous, entry_hash = :hash where seq = :seq")
                    .param("actor", actor).param("previous", previous).param("hash", hash).param("seq", e.seq())
                    .update();
            previous = hash;
        }
        jdbc.sql("update audit_head set entry_hash = :hash").param("hash", previous).update();
        long firstCheckpointAfter = jdbc.sql("select min(seq) from audit_checkpoint where seq >= :seq")
                .param("seq", changed).query(Long.class).single();

        assertFirstProblem(verify(), AuditVerifier.Kind.REWRITTEN, firstCheckpointAfter,
                "chain rewritten up to seq " + firstCheckpointAfter);
    }

    @Test
    void aTailCutBeforeTheLastCheckpointIsNamed() {
        long checkpoint = lastCheckpoint();
        long keep = checkpoint - 2;
        jdbc.sql("delete from audit_entry where seq > :keep").param("keep", keep).update();
        jdbc.sql("update audit_head set seq = :keep, entry_hash = (select entry_hash from audit_entry where seq = :keep)")
                .param("keep", keep).update();

        AuditVerifier.Report report = verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.problems().toString()).contains("tail truncated after seq " + keep);
    }

    // ------------------------------------------------------------------ many writers

    @Test
    void entriesAppendedFromManyThreadsFormOneLinearChain() throws Exception {
        int threads = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        trail.record(AuditActor.client("load-" + thread), "test.appended",
                                AuditTrail.subjects("test", thread + "-" + i), AuditDetail.of().with("i", i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<Long> seqs = jdbc.sql("select seq from audit_entry order by seq").query(Long.class).list();
        assertThat(seqs.get(seqs.size() - 1)).isEqualTo(seqs.size());
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'test.appended'").query(Long.class)
                .single()).isEqualTo(threads * each);
        Set<String> previous = new HashSet<>(jdbc.sql("select previous from audit_entry").query(String.class).list());
        assertThat(previous).hasSize(seqs.size());
        assertThat(verify().problems()).isEmpty();
    }
}
