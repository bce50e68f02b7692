package de.amtsbote.gateway.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.cli.AuditExportReader;
import de.amtsbote.crypto.audit.AuditVerifier;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.testing.ConsoleGateway;
import de.amtsbote.gateway.testing.ConsoleSession;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The console's audit area over plain HTTP: who gets in, what the pages say, the export, and what is recorded. */
class AuditConsoleAccessTest extends ConsoleGateway {

    private static final Pattern ROW = Pattern.compile("href=\"/console/audit/(\\d+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AuditTrail trail;

    private long count(String action, String person) {
        return jdbc.sql("select count(*) from audit_entry where action = :action and actor_kind = 'PERSON'"
                + " and actor_id = :person").param("action", action).param("person", person).query(Long.class).single();
    }

    private static List<Long> rows(String html) {
        Matcher m = ROW.matcher(html);
        List<Long> seqs = new java.util.ArrayList<>();
        while (m.find()) {
            seqs.add(Long.parseLong(m.group(1)));
        }
        return seqs;
    }

    private String submit() {
        var r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"], "subject": "Bescheid",
                 "body": "Guten Tag", "options": {"sign": false, "encrypt": false}}
                """).attachment("bescheid.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String id = r.json().get("id").asString();
        new MessagesApi(badVilbel(), Duration.ofSeconds(30)).awaitState(id, "DELIVERED");
        return id;
    }

    @Test
    void operatorsAndOfficersAreRefusedEveryAuditPageAndChangeNothing() {
        for (String person : List.of(OPERATOR, OFFICER)) {
            ConsoleSession s = session(person);
            for (String path : List.of("/console/audit", "/console/audit/1", "/console/audit/verify",
                    "/console/audit/export")) {
                HttpResponse<String> r = s.get(path);
                assertThat(r.statusCode()).as(person + " GET " + path).isEqualTo(403);
                assertThat(r.body()).as(person + " GET " + path).contains("Kein Zugriff").doesNotContain("{\"type\"");
            }
            assertThat(s.post("/console/audit/verify", Map.of()).statusCode()).as(person + " POST verify")
                    .isEqualTo(403);
            assertThat(count("audit.verify", person)).isZero();
            assertThat(count("audit.export", person)).isZero();
        }
    }

    @Test
    void anAuditorWithASecondRoleGetsIn() {
        assertThat(session("o.both").get("/console/audit").statusCode()).isEqualTo(200);
    }

    @Test
    void theTrailShowsAMessagesEntriesWithALinkToTheMessage() {
        String id = submit();

        HttpResponse<String> r = session(AUDITOR).get("/console/audit?subject=message:" + id);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("message.submitted", "delivery.state-changed",
                "href=\"/console/messages/" + id + "\"", "fachverfahren-bad-vilbel", "DELIVERED");
        List<Long> seqs = rows(r.body());
        assertThat(seqs).isNotEmpty().isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void filtersByActorAndByActionPrefix() {
        session(OFFICER);
        session(OPERATOR);
        ConsoleSession auditor = session(AUDITOR);

        String byActor = auditor.get("/console/audit?actorKind=PERSON&actor=" + OPERATOR).body();
        assertThat(byActor).contains("console.login").doesNotContain(">" + OFFICER + "<")
                .doesNotContain("message.submitted");
        for (long seq : rows(byActor)) {
            assertThat(jdbc.sql("select actor_id from audit_entry where seq = :s").param("s", seq).query(String.class)
                    .single()).isEqualTo(OPERATOR);
        }

        String byAction = auditor.get("/console/audit?action=console.log").body();
        List<Long> seqs = rows(byAction);
        assertThat(seqs).isNotEmpty();
        for (long seq : seqs) {
            assertThat(jdbc.sql("select action from audit_entry where seq = :s").param("s", seq).query(String.class)
                    .single()).startsWith("console.log");
        }
        assertThat(auditor.get("/console/audit?action=console.log_").body()).as("no wildcard from input")
                .contains("Keine Einträge für diesen Filter.");
    }

    @Test
    void pagesAreFiftyEntriesNewestFirstWithLinksToOlderAndNewer() {
        String run = "test.paging." + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 60; i++) {
            trail.record(AuditActor.client("paging"), run, "", AuditDetail.of().with("i", i));
        }
        ConsoleSession auditor = session(AUDITOR);

        String first = auditor.get("/console/audit?action=" + run).body();
        List<Long> newest = rows(first);
        assertThat(newest).hasSize(50).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        Matcher older = Pattern.compile("href=\"(/console/audit\\?action=[^\"]+&amp;before=(\\d+))\"").matcher(first);
        assertThat(older.find()).as("a link to older entries").isTrue();
        assertThat(Long.parseLong(older.group(2))).isEqualTo(newest.get(49));

        String second = auditor.get(older.group(1).replace("&amp;", "&")).body();
        List<Long> rest = rows(second);
        assertThat(rest).hasSize(10);
        assertThat(rest.get(0)).isLessThan(newest.get(49));
        assertThat(second).contains("Neuere Einträge", "Neueste Einträge").doesNotContain("Ältere Einträge");
        Matcher newer = Pattern.compile("href=\"(/console/audit\\?action=[^\"]+&amp;after=(\\d+))\"").matcher(second);
        assertThat(newer.find()).isTrue();
        assertThat(rows(auditor.get(newer.group(1).replace("&amp;", "&")).body())).isEqualTo(newest);
    }

    @Test
    void aDetailIsShownAsEscapedKeyValuePairs() {
        trail.record(AuditActor.client("fachverfahren-bad-vilbel"), "test.detail", "message:m-escape",
                AuditDetail.of().with("reason", "<script>alert('x')</script>").with("attempt", 3));

        String html = session(AUDITOR).get("/console/audit?action=test.detail").body();

        assertThat(html).contains("<dt>attempt</dt>", "<dd>3</dd>", "<dt>reason</dt>",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain("<script>alert");
    }

    @Test
    void aBadFilterIsNamedBesideItsFieldAndShowsNoEntries() {
        HttpResponse<String> r = session(AUDITOR).get("/console/audit?from=gestern&actorKind=ROBOT");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"from-error\"", "Kein Zeitpunkt", "aria-describedby=\"from-error\"",
                "Unbekannte Art des Akteurs", "aria-invalid=\"true\"");
        assertThat(rows(r.body())).isEmpty();
        assertThat(session(AUDITOR).get("/console/audit?from=2026-11-25T10:00&to=2026-11-25T09:00").body())
                .contains("„Bis“ muss nach „Von“ liegen.");
    }

    @Test
    void anEntryPageShowsHashesAndAnUnknownEntryIsNotFound() {
        long seq = jdbc.sql("select max(seq) from audit_entry").query(Long.class).single();
        String hash = jdbc.sql("select entry_hash from audit_entry where seq = :s").param("s", seq).query(String.class)
                .single();
        ConsoleSession auditor = session(AUDITOR);

        String page = auditor.get("/console/audit/" + seq).body();
        assertThat(page).contains("Eintrag " + seq, hash, "Hash des vorigen Eintrags").doesNotContain("stimmt nicht");

        HttpResponse<String> missing = auditor.get("/console/audit/999999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Es gibt keinen Eintrag Nr. 999999999 im Prüfprotokoll.");
        HttpResponse<String> word = auditor.get("/console/audit/latest");
        assertThat(word.statusCode()).isEqualTo(404);
        assertThat(word.body()).contains("„latest“ ist keine Nummer eines Eintrags");
    }

    @Test
    void theWholeExportDownloadsAsJsonLinesThatTheCliVerifiesAndIsRecorded() throws Exception {
        submit();
        trail.checkpoint();
        ConsoleSession auditor = session(AUDITOR);
        long before = count("audit.export", AUDITOR);

        HttpResponse<String> r = auditor.get("/console/audit/export");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jsonl");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
                .matches("attachment; filename=\"amtsbote-audit-\\d{8}-\\d{6}Z\\.jsonl\"");
        List<String> lines = r.body().lines().toList();
        for (String line : lines) {
            assertThat(JSON.readTree(line).get("type").asString()).isIn("entry", "checkpoint", "head");
        }
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("type").asString()).isEqualTo("head");
        AuditVerifier.Report report = AuditExportReader.verify(AuditVerifier.trusting(ANCHOR, false),
                new BufferedReader(new StringReader(r.body())));
        assertThat(report.problems()).isEmpty();
        assertThat(report.signedCheckpoints()).isPositive();

        assertThat(count("audit.export", AUDITOR)).isEqualTo(before + 1);
        String detail = jdbc.sql("select detail from audit_entry where action = 'audit.export' order by seq desc"
                + " limit 1").query(String.class).single();
        assertThat(detail).isEqualTo("{\"whole\":true}");
    }

    @Test
    void aFilteredExportHasTheMatchingEntriesOnlyAndRecordsTheFilter() throws Exception {
        String id = submit();

        HttpResponse<String> r = session(AUDITOR).get("/console/audit/export?subject=message:" + id
                + "&action=delivery.");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).contains("-extract.jsonl");
        List<String> lines = r.body().lines().toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.get("type").asString()).isEqualTo("entry");
            assertThat(n.get("action").asString()).isEqualTo("delivery.state-changed");
            assertThat(n.get("subjects").asString()).contains("message:" + id);
        }
        String detail = jdbc.sql("select detail from audit_entry where action = 'audit.export' and actor_id = :p"
                + " order by seq desc limit 1").param("p", AUDITOR).query(String.class).single();
        assertThat(detail).isEqualTo("{\"action\":\"delivery.\",\"subject\":\"message:" + id + "\",\"whole\":false}");
    }

    @Test
    void verifyingRunsTheChainCheckShowsTheResultAndIsRecorded() {
        ConsoleSession auditor = session(AUDITOR);
        auditor.get("/console/audit/verify");
        long head = jdbc.sql("select seq from audit_head").query(Long.class).single();

        HttpResponse<String> post = auditor.post("/console/audit/verify", Map.of());

        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(post.headers().firstValue("Location").orElseThrow()).endsWith("/console/audit/verify");
        String page = auditor.get("/console/audit/verify").body();
        assertThat(page).contains("intakt", "Die Kette ist unverändert bis Eintrag");
        String detail = jdbc.sql("select detail from audit_entry where action = 'audit.verify' and actor_id = :p"
                + " order by seq desc limit 1").param("p", AUDITOR).query(String.class).single();
        JsonNode d = JSON.readTree(detail);
        assertThat(d.get("intact").asBoolean()).isTrue();
        assertThat(d.get("upTo").asLong()).isGreaterThanOrEqualTo(head);
        assertThat(d.has("firstProblemSeq")).isFalse();
        assertThat(auditor.get("/console/audit/verify").body()).as("the result is shown once, after the run")
                .doesNotContain("Die Kette ist unverändert bis Eintrag");
    }

    @Test
    void lookingAtTheTrailIsNotRecorded() {
        ConsoleSession auditor = session(AUDITOR);
        long before = jdbc.sql("select count(*) from audit_entry where actor_id = :p").param("p", AUDITOR)
                .query(Long.class).single();

        auditor.get("/console/audit");
        auditor.get("/console/audit?action=console.");
        auditor.get("/console/audit/1");
        auditor.get("/console/audit/verify");

        assertThat(jdbc.sql("select count(*) from audit_entry where actor_id = :p").param("p", AUDITOR)
                .query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void theAuditorsStartPageShowsTheTrailsPanelOthersDoNot() {
        trail.checkpoint();

        String auditor = session(AUDITOR).get("/console").body();
        assertThat(auditor).contains("Einträge in den letzten 24 Stunden", "Letzter Prüfpunkt (UTC)",
                "Zustand der Kette", "href=\"/console/audit/verify\"");
        assertThat(session(OPERATOR).get("/console").body()).doesNotContain("Einträge in den letzten 24 Stunden");
    }
}
