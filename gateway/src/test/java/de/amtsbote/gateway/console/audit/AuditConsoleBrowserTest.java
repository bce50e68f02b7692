package de.amtsbote.gateway.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import de.amtsbote.gateway.testing.ConsoleGateway;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An auditor in a real browser: the trail after people logged in to the console and a client system submitted a
 * message, filtered by actor and by action, one entry, the verification of the chain and the start-page panel. Every
 * page is photographed and checked with axe-core.
 */
class AuditConsoleBrowserTest extends ConsoleGateway {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }
    private static String messageId;

    @Autowired
    AuditTrail trail;

    @BeforeEach
    void aTrailOfLoginsAndAMessage() {
        if (messageId == null) {
            session(OFFICER);
            session(OPERATOR);
            var r = badVilbel().submit(new Multipart().envelope("""
                    {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                     "subject": "Baugenehmigung", "body": "Guten Tag", "options": {"sign": false, "encrypt": false}}
                    """).attachment("bescheid.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            messageId = r.json().get("id").asString();
            new MessagesApi(badVilbel(), Duration.ofSeconds(30)).awaitState(messageId, "DELIVERED");
            trail.checkpoint();
        }
        browser().login(AUDITOR, PASSWORD);
    }


    private static List<WebElement> rows() {
        return browser().findAll(By.cssSelector("table.audit-entries tbody tr"));
    }

    private static String cell(WebElement row, int column) {
        return row.findElements(By.tagName("td")).get(column).getText();
    }

    private static void filter(String kind, String actor, String action) {
        new Select(browser().find(By.id("actorKind"))).selectByValue(kind);
        for (String[] field : new String[][] {{"actor", actor}, {"action", action}, {"subject", ""}}) {
            WebElement input = browser().find(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        String before = browser().url();
        browser().find(By.cssSelector("form.audit-filters button[type=submit]")).click();
        browser().waitFor(d -> !d.getCurrentUrl().equals(before));
    }

    @Test
    void theTrailShowsPeoplesLoginsAndTheMessagesEventsNewestFirst() {
        browser().open("/console/audit");

        String text = browser().mainText();
        assertThat(text).contains("Prüfprotokoll", "console.login", OFFICER, OPERATOR, "message.submitted",
                "delivery.state-changed", "message:" + messageId);
        List<Long> seqs = rows().stream().map(r -> Long.parseLong(cell(r, 0))).toList();
        assertThat(seqs).hasSizeLessThanOrEqualTo(50).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(browser().find(By.cssSelector("a[href='/console/messages/" + messageId + "']")).getText())
                .isEqualTo("message:" + messageId);
        browser().screenshot("audit-list");
        browser().assertAccessible();
    }

    @Test
    void filteringByActorAndByActionShowsOnlyThoseEntries() {
        browser().open("/console/audit");

        filter("PERSON", OPERATOR, "");
        assertThat(rows()).isNotEmpty().allSatisfy(r -> assertThat(cell(r, 2)).contains("Person", OPERATOR));
        browser().assertAccessible();

        filter("", "", "console.login");
        assertThat(rows()).isNotEmpty().allSatisfy(r -> assertThat(cell(r, 3)).startsWith("console.login"));
        assertThat(browser().mainText()).contains(OFFICER, OPERATOR, "Gefilterte Einträge exportieren");
        browser().screenshot("audit-filtered");
        browser().assertAccessible();
    }

    @Test
    void aBadFilterIsNamedAtItsField() {
        browser().open("/console/audit?from=gestern");

        assertThat(browser().text(By.id("from-error"))).contains("Kein Zeitpunkt");
        assertThat(browser().find(By.id("from")).getAttribute("aria-describedby")).isEqualTo("from-error");
        browser().screenshot("audit-filter-error");
        browser().assertAccessible();
    }

    @Test
    void anEntryShowsItsHashesAndThatTheyMatch() {
        browser().open("/console/audit?action=message.submitted&subject=message:" + messageId);
        WebElement first = rows().get(0);
        String seq = cell(first, 0);
        first.findElement(By.cssSelector("td a")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/audit/" + seq));

        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Eintrag " + seq);
        String text = browser().mainText();
        String hash = jdbc.sql("select entry_hash from audit_entry where seq = :s").param("s", Long.parseLong(seq))
                .query(String.class).single();
        assertThat(text).contains(hash, "fachverfahren-bad-vilbel", "message.submitted", "Hash des vorigen Eintrags")
                .doesNotContain("stimmt nicht");
        assertThat(browser().findAll(By.cssSelector("ul.checks .badge.ok"))).hasSize(2);
        browser().screenshot("audit-entry");
        browser().assertAccessible();
    }

    @Test
    void verifyingTheChainSaysIntactUpToTheHeadWithTheLastSignedCheckpoint() {
        browser().open("/console/audit/verify");
        browser().assertAccessible();
        long head = jdbc.sql("select seq from audit_head").query(Long.class).single();

        browser().find(By.cssSelector("form.actions button[type=submit]")).click();
        browser().waitFor(d -> !d.findElements(By.cssSelector("section.verification")).isEmpty());

        String result = browser().text(By.cssSelector("section.verification"));
        assertThat(result).contains("intakt", "Die Kette ist unverändert bis Eintrag", "bei Eintrag");
        long upTo = Long.parseLong(result.replaceAll("(?s).*unverändert bis Eintrag (\\d+).*", "$1"));
        assertThat(upTo).isGreaterThanOrEqualTo(head);
        assertThat(result).doesNotContain("noch keiner");
        browser().screenshot("audit-verified");
        browser().assertAccessible();

        browser().open("/console");
        assertThat(browser().mainText()).contains("Einträge in den letzten 24 Stunden", "intakt",
                "bis Eintrag " + upTo, AUDITOR);
        browser().screenshot("audit-panel");
        browser().assertAccessible();
    }
}
