package de.amtsbote.gateway.console.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The quarantine in a real browser, as an operator and an auditor use it: a partner's mail signed under a CA the
 * gateway does not trust is quarantined with that reason; releasing it checks it again and it stays; once the CA is
 * trusted, releasing it files it into the inbox. And a rejection, the start page's panel, and the auditor's view.
 */
class QuarantineBrowserTest extends QuarantineGateway {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }

    @BeforeEach
    void startBrowser() {
        distrustThePartnersCa();
    }


    /** An RFC 2047 subject header, as mail programs write non-ASCII subjects. */
    private static String encoded(String subject) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static String subject(String what) {
        return what + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aMailUnderAnUntrustedCaIsReleasedInVainThenIntoTheInboxOnceTheCaIsTrusted() throws Exception {
        String subject = subject("Antrag auf Akteneinsicht – Bürgerbüro Lorsch");
        SentMail mail = sendFromLorsch(encoded(subject), subject);
        String id = awaitQuarantined(mail);
        String reason = column(id, "reason");
        assertThat(reason).startsWith("unknown CA:").contains("Stadt Lorsch").contains("issuer CN=Kommunale Partner-CA Lorsch");

        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/quarantine");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Quarantäne");
        String row = browser().text(By.xpath("//tr[.//a[contains(@href, '" + id + "')]]"));
        assertThat(row).contains("smime").contains(subject).contains("Stadt Lorsch <" + LORSCH + ">")
                .contains("unknown CA").contains("offen");
        browser().screenshot("quarantine-list");
        browser().assertAccessible();

        browser().find(By.cssSelector("a[href$='/console/quarantine/" + id + "']")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/quarantine/" + id));
        assertThat(browser().text(By.id("reason"))).isEqualTo(reason);
        assertThat(browser().mainText()).contains(subject).contains(OWN_ADDRESS).contains(mail.messageId());
        assertThat(browser().findAll(By.id("raw-download"))).hasSize(1);
        browser().screenshot("quarantine-detail");
        browser().assertAccessible();

        browser().find(By.id("release")).click();
        browser().waitFor(d -> !d.findElements(By.cssSelector("p.problem")).isEmpty());
        assertThat(browser().text(By.cssSelector("p.problem"))).contains("weiterhin nicht angenommen")
                .contains("unknown CA").contains("Stadt Lorsch");
        assertThat(browser().text(By.id("reason"))).startsWith("unknown CA:");
        assertThat(browser().text(By.cssSelector("h1 .badge"))).isEqualTo("offen");
        assertThat(browser().text(By.cssSelector("ol.timeline"))).contains("Erneut geprüft: weiterhin nicht angenommen")
                .contains(OPERATOR);
        assertThat(column(id, "status")).isEqualTo("OPEN");
        assertThat(column(id, "recheck_attempts")).isEqualTo("1");
        assertThat(inboxIdsWithSubject(subject)).isEmpty();
        browser().screenshot("quarantine-recheck-failed");
        browser().assertAccessible();

        trustThePartnersCa();
        browser().find(By.id("release")).click();
        browser().waitFor(d -> !d.findElements(By.cssSelector("p.notice")).isEmpty());
        List<String> inbox = inboxIdsWithSubject(subject);
        assertThat(inbox).hasSize(1);
        assertThat(browser().text(By.cssSelector("p.notice"))).contains("freigegeben").contains(inbox.get(0));
        assertThat(browser().text(By.cssSelector("h1 .badge"))).isEqualTo("freigegeben");
        assertThat(browser().text(By.id("decided"))).contains(OPERATOR);
        assertThat(browser().findAll(By.id("release"))).as("nothing left to decide").isEmpty();
        browser().screenshot("quarantine-released");
        browser().assertAccessible();

        assertThat(column(id, "status")).isEqualTo("RELEASED");
        assertThat(column(id, "decided_by")).isEqualTo(OPERATOR);
        assertThat(column(id, "decided_at")).isNotNull();
        assertThat(column(id, "inbox_ids")).isEqualTo(inbox.get(0));
        assertThat(column(id, "recheck_attempts")).isEqualTo("2");
        JsonNode message = api().get("/api/v1/inbox/" + inbox.get(0)).json();
        assertThat(message.get("from").asString()).isEqualTo("smime:" + LORSCH);
        assertThat(message.get("signature").get("status").asString()).isIn("VALID", "VALID_WITH_WARNINGS");
        assertThat(message.get("signature").get("signer").asString()).contains("Stadt Lorsch");
        assertThat(api().get("/api/v1/inbox/" + inbox.get(0) + "/body").text()).contains("Akteneinsicht");
        assertThat(jdbc.sql("select count(*) from evidence where message_id = :m and event = 'Receipt'")
                .param("m", inbox.get(0)).query(Long.class).single()).isEqualTo(1);
        assertThat(audit("quarantine.recheck-failed", id)).singleElement().satisfies(a ->
                assertThat(a).startsWith("PERSON " + OPERATOR).contains("unknown CA"));
        assertThat(audit("quarantine.release", id)).singleElement().satisfies(a ->
                assertThat(a).startsWith("PERSON " + OPERATOR).contains(inbox.get(0)));

        browser().open("/console/quarantine?status=decided");
        assertThat(browser().mainText()).contains(subject).contains("freigegeben");
        browser().open("/console/quarantine");
        assertThat(browser().findAll(By.cssSelector("a[href$='/console/quarantine/" + id + "']")))
                .as("gone from the open list").isEmpty();
    }

    @Test
    void anOperatorRejectsAMessageWithAReasonAndItStaysViewableUnderDecided() throws Exception {
        String subject = subject("Zahlungsaufforderung");
        String id = awaitQuarantined(sendFromLorsch(subject));
        String content = column(id, "content_id");

        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/quarantine/" + id);
        browser().find(By.id("reject-reason")).sendKeys("Absender auf telefonische Nachfrage unbekannt; Phishing-Verdacht.");
        browser().find(By.id("reject")).click();
        new WebDriverWait(browser().driver(), Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        assertThat(browser().driver().switchTo().alert().getText()).contains("wirklich ablehnen");
        browser().driver().switchTo().alert().accept();
        browser().waitFor(d -> !d.findElements(By.cssSelector("p.notice")).isEmpty());

        assertThat(browser().text(By.cssSelector("p.notice"))).contains("Abgelehnt");
        assertThat(browser().text(By.cssSelector("h1 .badge"))).isEqualTo("abgelehnt");
        assertThat(browser().text(By.id("decision"))).contains("Phishing-Verdacht");
        assertThat(browser().text(By.id("decided"))).contains(OPERATOR);
        browser().screenshot("quarantine-rejected");
        browser().assertAccessible();

        assertThat(column(id, "status")).isEqualTo("REJECTED");
        assertThat(column(id, "decision_reason")).contains("Phishing-Verdacht");
        assertThat(column(id, "content_id")).as("the evidence of what was received stays").isEqualTo(content);
        assertThat(jdbc.sql("select count(*) from content where id = :c").param("c", content).query(Long.class)
                .single()).isEqualTo(1);
        assertThat(audit("quarantine.reject", id)).singleElement().satisfies(a ->
                assertThat(a).startsWith("PERSON " + OPERATOR).contains("Phishing-Verdacht"));

        browser().open("/console/quarantine");
        assertThat(browser().findAll(By.cssSelector("a[href$='/console/quarantine/" + id + "']"))).isEmpty();
        browser().open("/console/quarantine?status=decided");
        assertThat(browser().text(By.xpath("//tr[.//a[contains(@href, '" + id + "')]]"))).contains("abgelehnt");
        browser().screenshot("quarantine-decided");
        browser().assertAccessible();
    }

    @Test
    void theStartPageTellsOperatorsAndAuditorsHowManyWaitAndSinceWhen() throws Exception {
        awaitQuarantined(sendFromLorsch(subject("Antrag")));
        long open = jdbc.sql("select count(*) from quarantine where status = 'OPEN'").query(Long.class).single();

        browser().login(AUDITOR, PASSWORD);
        String panel = browser().text(By.xpath("//section[contains(@class, 'panel')][.//h2[text()='Quarantäne']]"));
        assertThat(panel).contains(open + " offene").contains("Der älteste wartet seit");
        browser().screenshot("quarantine-panel");
        browser().assertAccessible();
        browser().find(By.linkText("Zur Quarantäne")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/quarantine"));
    }

    @Test
    void anAuditorSeesTheEntryAndItsRawMessageButNoDecisions() throws Exception {
        String id = awaitQuarantined(sendFromLorsch(subject("Anfrage")));

        browser().login(AUDITOR, PASSWORD);
        browser().open("/console/quarantine/" + id);
        assertThat(browser().text(By.id("reason"))).startsWith("unknown CA:");
        assertThat(browser().findAll(By.id("release"))).isEmpty();
        assertThat(browser().findAll(By.id("reject"))).isEmpty();
        assertThat(browser().findAll(By.id("raw-download"))).hasSize(1);
        browser().screenshot("quarantine-detail-auditor");
        browser().assertAccessible();
    }

    @Test
    void theListIsAlsoInEnglish() throws Exception {
        awaitQuarantined(sendFromLorsch(subject("Request")));
        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/quarantine?lang=en");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Quarantine");
        assertThat(browser().mainText()).contains("Open entries, newest first").contains("Sender (unverified)");
        browser().screenshot("quarantine-list-en");
        browser().open("/console/quarantine?lang=de");
    }
}
