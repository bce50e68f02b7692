package de.amtsbote.gateway.console.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import de.amtsbote.gateway.testing.ConsoleSession;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The quarantine over plain HTTP: who may read and who may decide, what a refused decision changes (nothing), the raw
 * download, decided and unknown entries, a rejection without reason, an entry the gateway made itself, the same mail
 * arriving again, and hostile header text shown as text.
 */
class QuarantineAccessTest extends QuarantineGateway {

    @Autowired
    QuarantineStore store;

    @BeforeEach
    void partnerNotTrusted() {
        distrustThePartnersCa();
    }

    private static String subject(String what) {
        return what + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private long decisionsAudited(String id) {
        return jdbc.sql("""
                        select count(*) from audit_entry where subjects = :s and action in
                        ('quarantine.release', 'quarantine.reject', 'quarantine.recheck-failed')
                        """)
                .param("s", "quarantine:" + id).query(Long.class).single();
    }

    @Test
    void anAuditorReadsButCanNeitherReleaseNorRejectAndNothingChanges() throws Exception {
        String subject = subject("Antrag");
        String id = awaitQuarantined(sendFromLorsch(subject));
        trustThePartnersCa(); // a release would pass now: the refusal must come from the role alone
        ConsoleSession auditor = session(AUDITOR);

        assertThat(auditor.get("/console/quarantine").body()).contains(id).contains(subject);
        assertThat(auditor.get("/console/quarantine/" + id).statusCode()).isEqualTo(200);
        assertThat(auditor.post("/console/quarantine/" + id + "/release", Map.of()).statusCode()).isEqualTo(403);
        assertThat(auditor.post("/console/quarantine/" + id + "/reject", Map.of("reason", "nein")).statusCode())
                .isEqualTo(403);

        assertThat(column(id, "status")).isEqualTo("OPEN");
        assertThat(column(id, "recheck_attempts")).isEqualTo("0");
        assertThat(inboxIdsWithSubject(subject)).isEmpty();
        assertThat(decisionsAudited(id)).isZero();
    }

    @Test
    void aSecurityOfficerCannotOpenTheQuarantine() throws Exception {
        String id = awaitQuarantined(sendFromLorsch(subject("Antrag")));
        ConsoleSession officer = session(OFFICER);

        assertThat(officer.get("/console/quarantine").statusCode()).isEqualTo(403);
        assertThat(officer.get("/console/quarantine/" + id).statusCode()).isEqualTo(403);
        assertThat(officer.get("/console/quarantine/" + id + "/raw").statusCode()).isEqualTo(403);
        assertThat(officer.post("/console/quarantine/" + id + "/release", Map.of()).statusCode()).isEqualTo(403);
        assertThat(column(id, "status")).isEqualTo("OPEN");
    }

    @Test
    void theRawMessageIsAnAuditedDownloadOfExactlyWhatWasReceived() throws Exception {
        SentMail mail = sendFromLorsch(subject("Antrag"));
        String id = awaitQuarantined(mail);

        for (String person : new String[] {OPERATOR, AUDITOR}) {
            HttpResponse<String> r = session(person).get("/console/quarantine/" + id + "/raw");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");
            assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
                    .isEqualTo("attachment; filename=\"quarantine-" + id + ".raw\"");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            byte[] body = r.body().getBytes(StandardCharsets.ISO_8859_1);
            assertThat(ContentDigester.hexOf(body)).as("the stored raw item, byte for byte")
                    .isEqualTo(jdbc.sql("select c.sha256 from quarantine q join content c on c.id = q.content_id"
                            + " where q.id = :id").param("id", id).query(String.class).single());
            assertThat(r.body()).contains("Message-ID: " + mail.messageId()).contains("application/pkcs7-mime");
        }
        assertThat(jdbc.sql("""
                        select actor_id from audit_entry where action = 'quarantine.raw-downloaded' and subjects = :s
                        order by seq""")
                .param("s", "quarantine:" + id).query(String.class).list()).containsExactly(OPERATOR, AUDITOR);
    }

    @Test
    void aDecidedEntryCannotBeDecidedAgainAndTheOperatorIsToldWhy() throws Exception {
        String id = awaitQuarantined(sendFromLorsch(subject("Antrag")));
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/quarantine/" + id);
        assertThat(operator.post("/console/quarantine/" + id + "/reject", Map.of("reason", "Spam")).statusCode())
                .isEqualTo(302);
        trustThePartnersCa();

        operator.get("/console/quarantine/" + id);
        HttpResponse<String> again = operator.post("/console/quarantine/" + id + "/release", Map.of());
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location").orElseThrow()).endsWith("/console/quarantine/" + id);
        String page = operator.get("/console/quarantine/" + id).body();
        assertThat(page).contains("bereits entschieden (abgelehnt von " + OPERATOR + " am ");
        operator.post("/console/quarantine/" + id + "/reject", Map.of("reason", "noch einmal"));
        assertThat(operator.get("/console/quarantine/" + id).body()).contains("bereits entschieden");

        assertThat(column(id, "status")).isEqualTo("REJECTED");
        assertThat(column(id, "decision_reason")).isEqualTo("Spam");
        assertThat(column(id, "recheck_attempts")).isEqualTo("0");
        assertThat(audit("quarantine.reject", id)).hasSize(1);
        assertThat(audit("quarantine.release", id)).isEmpty();
    }

    @Test
    void anUnknownIdIsNotFound() {
        ConsoleSession operator = session(OPERATOR);
        HttpResponse<String> page = operator.get("/console/quarantine/no-such-entry");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("Kein Eintrag in Quarantäne mit der Kennung no-such-entry");
        assertThat(operator.get("/console/quarantine/no-such-entry/raw").statusCode()).isEqualTo(404);
        operator.get("/console/quarantine");
        assertThat(operator.post("/console/quarantine/no-such-entry/release", Map.of()).statusCode()).isEqualTo(404);
        assertThat(operator.post("/console/quarantine/no-such-entry/reject", Map.of("reason", "x")).statusCode())
                .isEqualTo(404);
        assertThat(operator.get("/console/quarantine?after=no-such-entry").statusCode()).isEqualTo(404);
    }

    @Test
    void aRejectionNeedsAReasonAndWithoutOneNothingChanges() throws Exception {
        String id = awaitQuarantined(sendFromLorsch(subject("Antrag")));
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/quarantine/" + id);

        assertThat(operator.post("/console/quarantine/" + id + "/reject", Map.of("reason", "   ")).statusCode())
                .isEqualTo(302);
        String page = operator.get("/console/quarantine/" + id).body();
        assertThat(page).contains("id=\"reject-error\"").contains("Bitte eine Begründung für die Ablehnung angeben.")
                .contains("aria-describedby=\"reject-error reject-hint\"").contains("aria-invalid=\"true\"");
        operator.post("/console/quarantine/" + id + "/reject", Map.of("reason", "x".repeat(1001)));
        assertThat(operator.get("/console/quarantine/" + id).body()).contains("höchstens 1.000 Zeichen");

        assertThat(column(id, "status")).isEqualTo("OPEN");
        assertThat(decisionsAudited(id)).isZero();
    }

    @Test
    void anEntryTheGatewayMadeItselfCanOnlyBeRejected() {
        String transportId = "receipt:<" + UUID.randomUUID() + "@bad-vilbel.example>:DELIVERED";
        byte[] raw = "DELIVERED receipt for <…>".getBytes(StandardCharsets.UTF_8);
        store.put("smime", transportId, "DELIVERED receipt for transport reference …, which no delivery has",
                Instant.now(), () -> new ByteArrayInputStream(raw));
        String id = jdbc.sql("select id from quarantine where transport_id = :t").param("t", transportId)
                .query(String.class).single();
        ConsoleSession operator = session(OPERATOR);

        String page = operator.get("/console/quarantine/" + id).body();
        assertThat(page).doesNotContain("id=\"release\"").contains("id=\"reject\"").contains("nur abgelehnt werden");
        assertThat(operator.post("/console/quarantine/" + id + "/release", Map.of()).statusCode()).isEqualTo(302);
        assertThat(operator.get("/console/quarantine/" + id).body())
                .contains("Diesen Eintrag hat das Gateway selbst angelegt; sein Kanal kann ihn nicht erneut prüfen.");
        assertThat(column(id, "status")).isEqualTo("OPEN");
        assertThat(column(id, "origin")).isEqualTo("GATEWAY");
    }

    @Test
    void theSameMailArrivingAgainUpdatesItsOpenEntryAndKeepsBothArrivals() throws Exception {
        SentMail mail = sendFromLorsch(subject("Antrag"));
        String id = awaitQuarantined(mail);
        byte[] again = session(OPERATOR).get("/console/quarantine/" + id + "/raw").body()
                .replaceFirst("(?s)^Received: .*?\r\n(?=\\S)", "").getBytes(StandardCharsets.ISO_8859_1);

        send(again); // the partner's server sends it once more (its own trace header makes the bytes differ)

        assertThat(jdbc.sql("select count(*) from quarantine where transport_id = :t").param("t", mail.messageId())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select kind from quarantine_event where quarantine_id = :id order by seq")
                .param("id", id).query(String.class).list()).containsExactly("RECEIVED", "RECEIVED_AGAIN");
        assertThat(column(id, "last_received_at")).isNotNull();
        assertThat(column(id, "reason")).startsWith("unknown CA:");
        String page = session(AUDITOR).get("/console/quarantine/" + id).body();
        assertThat(page).contains("Erneut eingegangen").contains("/console/quarantine/" + id + "/history/2/raw");
        assertThat(session(AUDITOR).get("/console/quarantine/" + id + "/history/2/raw").body())
                .contains(mail.messageId());
        assertThat(session(AUDITOR).get("/console/quarantine/" + id + "/history/1/raw").statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'quarantine.put' and subjects = :s")
                .param("s", "quarantine:" + id).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aMailTheSenderSentAgainAndThatPassedIsReleasedPointingAtItsInboxMessage() throws Exception {
        String subject = subject("Antrag");
        SentMail mail = sendFromLorsch(subject);
        String id = awaitQuarantined(mail);
        byte[] again = session(OPERATOR).get("/console/quarantine/" + id + "/raw").body()
                .replaceFirst("(?s)^Received: .*?\r\n(?=\\S)", "").getBytes(StandardCharsets.ISO_8859_1);
        trustThePartnersCa();
        send(again);
        de.amtsbote.gateway.testing.Eventually.await("the mail sent again is in the inbox", WAIT,
                () -> inboxIdsWithSubject(subject).size() == 1);
        String inboxId = inboxIdsWithSubject(subject).get(0);
        assertThat(column(id, "status")).as("passing arrivals leave the quarantine as it is").isEqualTo("OPEN");

        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/quarantine/" + id);
        operator.post("/console/quarantine/" + id + "/release", Map.of());

        assertThat(inboxIdsWithSubject(subject)).containsExactly(inboxId);
        assertThat(column(id, "status")).isEqualTo("RELEASED");
        assertThat(column(id, "inbox_ids")).isEqualTo(inboxId);
        assertThat(column(id, "decision_reason")).isEqualTo("already in the inbox as " + inboxId);
    }

    @Test
    void hostileHeaderTextIsShownAsPlainTextOnly() throws Exception {
        String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202Efdp.exe";
        SentMail mail = sendFromLorsch("=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
                hostile.getBytes(StandardCharsets.UTF_8)) + "?=", hostile);
        String id = awaitQuarantined(mail);

        assertThat(column(id, "subject")).doesNotContain("\u202E").contains("<script>");
        String list = session(OPERATOR).get("/console/quarantine").body();
        assertThat(list).contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("<script>alert").doesNotContain("<img src=x");
        assertThat(session(OPERATOR).get("/console/quarantine/" + id).body()).doesNotContain("<script>alert");
    }
}
