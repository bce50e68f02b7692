package de.amtsbote.gateway.console.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.evidence.VerifiedEvidence;
import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Message tracking in a real browser: search (with htmx), the message page with its evidence timeline, the operator's
 * retry and cancel, the start page's panel. Every page is checked with axe-core and saved as a screenshot.
 */
class MessagesBrowserTest extends MessagesConsoleTest {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }



    @Test
    void searchingByReferenceFindsTheMessageAsYouType() {
        String ref = reference("Gewerbe");
        delivered(ref, "Gewerbeanmeldung Müller");
        delivered(reference("Gewerbe"), "Eine andere Nachricht");
        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/messages");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Nachrichten");

        browser().find(By.id("reference")).sendKeys(ref.substring(3).toLowerCase());

        // htmx: the results follow the input without a page load, and the address keeps the filter
        browser().waitFor(d -> d.getCurrentUrl().contains("reference=")
                && d.findElements(By.cssSelector("#results tbody tr")).size() == 1);
        assertThat(browser().text(By.id("results"))).contains("Gewerbeanmeldung Müller", ref, "zugestellt",
                "participant:kreis-bergstrasse").doesNotContain("Eine andere Nachricht");
        assertThat(browser().text(By.id("result-count"))).isEqualTo("Eine Nachricht auf dieser Seite, neueste zuerst.");
        browser().screenshot("messages-search");
        browser().assertAccessible();

        browser().driver().navigate().refresh();
        assertThat(browser().find(By.id("reference")).getAttribute("value")).as("the filter survives a reload")
                .isEqualTo(ref.substring(3).toLowerCase());
    }

    @Test
    void theMessagePageShowsEachDeliveryWithItsEvidenceTimeline() throws Exception {
        String ref = reference("Bauantrag");
        String id = delivered(ref, "Bauantrag Lindenstraße 4");
        browser().login(AUDITOR, PASSWORD);
        browser().open("/console/messages?reference=" + java.net.URLEncoder.encode(ref, StandardCharsets.UTF_8));
        browser().find(By.linkText("Bauantrag Lindenstraße 4")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/messages/" + id));

        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Nachricht: Bauantrag Lindenstraße 4");
        assertThat(browser().text(By.cssSelector("dl.facts"))).contains(id, ref, "stadt-bad-vilbel",
                "fachverfahren-bad-vilbel", "bescheid.pdf (application/pdf, 17 Bytes)");
        WebElement delivery = browser().find(By.cssSelector("section.delivery"));
        assertThat(delivery.findElement(By.tagName("h2")).getText())
                .isEqualTo("Zustellung 1: participant:kreis-bergstrasse zugestellt");
        List<WebElement> events = delivery.findElements(By.cssSelector("ol.timeline > li"));
        assertThat(events).extracting(e -> e.findElement(By.cssSelector(".event")).getText())
                .containsExactly("Einlieferung angenommen", "Zustellversuch begonnen", "Im Postfach des Empfängers");
        assertThat(events.get(2).getText()).contains("Zustand DISPATCHING → DELIVERED", "UNAUTHENTICATED");
        assertThat(browser().findAll(By.cssSelector("form.action"))).as("an auditor changes nothing").isEmpty();
        browser().screenshot("messages-detail");
        browser().assertAccessible();

        // the link downloads the signed document, which verifies against the CA
        String href = events.get(2).findElement(By.cssSelector("a.evidence-link")).getAttribute("href");
        HttpResponse<String> xml = session(AUDITOR).get(URI.create(href).getPath());
        assertThat(xml.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        VerifiedEvidence verified = verifier().verify(xml.body().getBytes(StandardCharsets.UTF_8));
        assertThat(verified.event()).isEqualTo("DeliveryAcceptance");
        assertThat(verified.messageId()).isEqualTo(id);
        String bundle = browser().find(By.partialLinkText("Nachweispaket")).getAttribute("href");
        assertThat(session(AUDITOR).get(URI.create(bundle).getPath()).headers().firstValue("Content-Type"))
                .contains("application/zip");
    }

    @Test
    void anOperatorSendsAFailedDeliveryAgainAndSeesTheNewAttempt() {
        String id = failed(reference("Widerspruch"), "Widerspruchsbescheid");
        String ended = deliveryId(id, 0);
        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/messages/" + id);
        assertThat(browser().text(By.cssSelector("section.delivery h2"))).endsWith("fehlgeschlagen");
        assertThat(browser().text(By.cssSelector("section.delivery .last-error"))).contains("422");

        browser().find(By.id("retry-" + ended + "-reason")).sendKeys("Gegenstelle hat Postfach wieder eingerichtet");
        browser().find(By.cssSelector("form[action$='/deliveries/" + ended + "/retry'] button")).click();
        confirm().accept();

        browser().waitFor(d -> !d.findElements(By.cssSelector("p.notice")).isEmpty());
        assertThat(browser().text(By.cssSelector("p.notice"))).contains("Eine neue Zustellung an denselben Empfänger");
        awaitState(id, 1, "DELIVERED");
        browser().driver().navigate().refresh();
        List<WebElement> deliveries = browser().findAll(By.cssSelector("section.delivery"));
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(0).findElement(By.tagName("h2")).getText()).endsWith("fehlgeschlagen");
        assertThat(deliveries.get(0).getText()).contains("Erneut gesendet als", "Zustellung 2");
        assertThat(deliveries.get(1).findElement(By.tagName("h2")).getText())
                .isEqualTo("Zustellung 2: participant:kreis-bergstrasse zugestellt");
        assertThat(deliveries.get(1).getText()).contains("Wiederholung von", "Vom Betrieb erneut gesendet",
                "requested by " + OPERATOR + ": Gegenstelle hat Postfach wieder eingerichtet",
                "Im Postfach des Empfängers");
        browser().screenshot("messages-retried");
        browser().assertAccessible();
    }

    @Test
    void anOperatorCancelsADeliveryThatWaitsForItsNextAttempt() {
        String id = waiting(reference("Abbruch"), "Zahlungserinnerung");
        String delivery = deliveryId(id, 0);
        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/messages/" + id);
        assertThat(browser().text(By.cssSelector("section.delivery"))).contains("wartet auf neuen Versuch",
                "Nächster Versuch", "Jetzt zustellen", "Zustellung abbrechen");
        browser().screenshot("messages-waiting");
        browser().assertAccessible();

        browser().find(By.id("cancel-" + delivery + "-reason")).sendKeys("Forderung wurde beglichen");
        browser().find(By.cssSelector("form[action$='/deliveries/" + delivery + "/cancel'] button")).click();
        confirm().accept();

        browser().waitFor(d -> !d.findElements(By.cssSelector("p.notice")).isEmpty());
        assertThat(browser().text(By.cssSelector("p.notice"))).contains("ist abgebrochen");
        assertThat(browser().text(By.cssSelector("section.delivery h2"))).endsWith("fehlgeschlagen");
        assertThat(browser().text(By.cssSelector("section.delivery .last-error")))
                .isEqualTo("cancelled by " + OPERATOR + ": Forderung wurde beglichen");
        assertThat(browser().findAll(By.cssSelector("form[action$='/cancel']"))).isEmpty();
        browser().screenshot("messages-cancelled");
        browser().assertAccessible();
    }

    @Test
    void theStartPageShowsTheLastDaysMessagesToOperatorsAndAuditors() {
        delivered(reference("Panel"), "Für das Dashboard");
        failed(reference("Panel"), "Fehlgeschlagen für das Dashboard");
        browser().login(AUDITOR, PASSWORD);

        WebElement panel = browser().find(By.xpath("//section[contains(@class,'panel')][h2='Nachrichten der letzten 24"
                + " Stunden']"));
        assertThat(panel.findElement(By.cssSelector("table.state-counts")).getText()).contains("zugestellt",
                "fehlgeschlagen");
        assertThat(panel.findElement(By.cssSelector("svg.bar-chart")).getAttribute("aria-labelledby"))
                .isEqualTo("home-messages-chart-caption");
        assertThat(panel.findElements(By.cssSelector("svg.bar-chart rect.ok"))).isNotEmpty();
        assertThat(panel.findElements(By.cssSelector("svg.bar-chart rect.bad"))).isNotEmpty();
        browser().screenshot("messages-dashboard");
        browser().assertAccessible();

        browser().logout();
        browser().login(OFFICER, PASSWORD);
        assertThat(browser().mainText()).doesNotContain("Nachrichten der letzten 24 Stunden");
    }

    @Test
    void anUnknownMessageIsTheNotFoundPage() {
        browser().login(AUDITOR, PASSWORD);
        browser().open("/console/messages/0190aaaa-0000-7000-8000-000000000000");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Fehler");
        assertThat(browser().mainText()).contains("no message 0190aaaa-0000-7000-8000-000000000000", "Nicht gefunden.");
        browser().screenshot("messages-not-found");
        browser().assertAccessible();
    }

    @Test
    void theSearchPageReadsInEnglishToo() {
        delivered(reference("English"), "Notice of assessment");
        browser().login(AUDITOR, PASSWORD);
        browser().open("/console/messages?lang=en");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Messages");
        assertThat(browser().mainText()).contains("Reference contains", "Accepted messages and failed deliveries");
        assertThat(browser().text(By.cssSelector("#results thead"))).isEqualTo(
                "Reference Subject Sender Accepted Deliveries");
        assertThat(browser().findAll(By.cssSelector("#results .badge"))).extracting(WebElement::getText)
                .contains("delivered").doesNotContain("zugestellt", "fehlgeschlagen");
        browser().screenshot("messages-search-en");
        browser().assertAccessible();
        browser().open("/console/messages?lang=de");
    }

    private static Alert confirm() {
        return new WebDriverWait(browser().driver(), Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
    }
}
