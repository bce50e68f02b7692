package de.amtsbote.gateway.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.audit.AuditVerification;
import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Somebody with SQL access changes an entry of the trail; the auditor's verification in the console names it. Runs in
 * a gateway of its own ({@link AuditWorld}) and puts the entry back afterwards.
 */
class AuditTamperBrowserTest extends AuditWorld {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }

    @Autowired
    AuditTrail trail;

    @Autowired
    AuditVerification verification;


    @Test
    void aChangedEntryIsNamedByTheVerificationAndOnTheEntryAndTheStartPage() throws Exception {
        session(OFFICER);
        long seq = jdbc.sql("select max(seq) from audit_entry where action = 'console.login' and actor_id = :p")
                .param("p", OFFICER).query(Long.class).single();
        trail.checkpoint();
        String original = jdbc.sql("select detail from audit_entry where seq = :s").param("s", seq)
                .query(String.class).single();
        jdbc.sql("update audit_entry set detail = :d where seq = :s").param("d", "{\"remote\":\"203.0.113.66\"}")
                .param("s", seq).update();
        try {
            browser().login(AUDITOR, PASSWORD);
            browser().open("/console/audit/verify");
            browser().find(By.cssSelector("form.actions button[type=submit]")).click();
            browser().waitFor(d -> !d.findElements(By.cssSelector("section.verification")).isEmpty());

            String result = browser().text(By.cssSelector("section.verification"));
            assertThat(result).contains("verändert", "Erste Abweichung bei Eintrag " + seq + ":",
                    "ein Eintrag wurde geändert", "changed entry seq " + seq + ": hash mismatch");
            assertThat(browser().find(By.cssSelector("section.verification p.verdict")).getAttribute("role"))
                    .isEqualTo("alert");
            browser().screenshot("audit-broken");
            browser().assertAccessible();
            JsonNode recorded = JsonMapper.builder().build().readTree(jdbc.sql("select detail from audit_entry"
                    + " where action = 'audit.verify' and actor_id = :p order by seq desc limit 1").param("p", AUDITOR)
                    .query(String.class).single());
            assertThat(recorded.get("intact").asBoolean()).isFalse();
            assertThat(recorded.get("firstProblemSeq").asLong()).isEqualTo(seq);
            assertThat(recorded.get("firstProblem").asString()).isEqualTo("CHANGED");

            browser().find(By.linkText("Eintrag " + seq + " ansehen")).click();
            browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/audit/" + seq));
            assertThat(browser().mainText()).contains("203.0.113.66", "stimmt nicht");
            browser().screenshot("audit-entry-changed");
            browser().assertAccessible();

            browser().open("/console");
            assertThat(browser().mainText()).contains("verändert", "Abweichung bei Eintrag " + seq);
        } finally {
            jdbc.sql("update audit_entry set detail = :d where seq = :s").param("d", original).param("s", seq)
                    .update();
        }
        assertThat(verification.verify().problems()).as("the entry put back").isEmpty();
    }
}
