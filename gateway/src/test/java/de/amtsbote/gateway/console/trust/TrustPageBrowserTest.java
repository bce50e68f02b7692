package de.amtsbote.gateway.console.trust;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/** The trust anchor page in a real browser, per role, with screenshots and the accessibility check on each state. */
class TrustPageBrowserTest extends TrustGateway {

    private static final String PAGE = "/console/certificates/trust";
    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }

    @Autowired
    CertificateValidator validator;



    @Test
    void anOfficerAddsAndRemovesATrustAnchor() {
        Stranger stranger = Stranger.create("Zweckverband KommunalPKI");
        browser().login(OFFICER, PASSWORD).open(PAGE);
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Vertrauensanker");
        assertThat(browser().mainText()).contains(configuredFingerprint(), "Nur in der Konfigurationsdatei entfernbar");
        browser().screenshot("trust-list");
        browser().assertAccessible();

        browser().find(By.id("pem")).sendKeys(stranger.rootPem());
        browser().find(By.id("reason")).sendKeys("Vorgang 4711: Zweckverband angeschlossen");
        browser().find(By.cssSelector("form.trust-add button[type=submit]")).click();
        browser().waitFor(d -> !d.findElements(By.cssSelector("p.notice")).isEmpty());

        assertThat(browser().text(By.cssSelector("p.notice"))).contains("hinzugefügt", "Zweckverband KommunalPKI");
        assertThat(browser().text(By.id("anchor-" + stranger.fingerprint()))).contains("Hinzugefügt von " + OFFICER,
                "Vorgang 4711", "noch");
        assertThat(stranger.validateWith(validator).valid()).isTrue();
        browser().screenshot("trust-added");
        browser().assertAccessible();

        WebElement row = browser().find(By.id("anchor-" + stranger.fingerprint()));
        row.findElement(By.name("reason")).sendKeys("Testende");
        row.findElement(By.cssSelector("button.danger")).click();
        var confirm = browser().driver().switchTo().alert();
        assertThat(confirm.getText()).contains("wirklich entfernen", "Zweckverband KommunalPKI");
        confirm.accept();
        browser().waitFor(ExpectedConditions.stalenessOf(row)::apply);

        assertThat(browser().text(By.cssSelector("p.notice"))).contains("entfernt");
        assertThat(browser().findAll(By.id("anchor-" + stranger.fingerprint()))).isEmpty();
        assertThat(browser().text(By.cssSelector("table.trust-history"))).contains(stranger.fingerprint(), "Testende");
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        browser().screenshot("trust-removed");
        browser().assertAccessible();
    }

    @Test
    void malformedPemAndAnEndEntityCertificateAreRefusedWithTheirReasons() {
        browser().login(OFFICER, PASSWORD).open(PAGE);
        browser().find(By.id("pem")).sendKeys("-----BEGIN CERTIFICATE-----\nMIIB-das-ist-kein-zertifikat\n"
                + "-----END CERTIFICATE-----");
        browser().find(By.id("reason")).sendKeys("Versuch");
        browser().find(By.cssSelector("form.trust-add button[type=submit]")).click();
        browser().waitFor(d -> !d.findElements(By.id("add-error")).isEmpty());

        assertThat(browser().text(By.id("add-error"))).contains("kein lesbares PEM-Zertifikat", "not readable PEM");
        assertThat(browser().find(By.id("pem")).getAttribute("aria-describedby")).contains("add-error");
        assertThat(browser().find(By.id("pem")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser().find(By.id("pem")).getAttribute("value")).as("the text is kept for correction")
                .contains("das-ist-kein-zertifikat");
        browser().screenshot("trust-error");
        browser().assertAccessible();

        WebElement pem = browser().find(By.id("pem"));
        pem.clear();
        pem.sendKeys(endEntityPem());
        browser().find(By.cssSelector("form.trust-add button[type=submit]")).click();
        browser().waitFor(ExpectedConditions.stalenessOf(pem)::apply);

        assertThat(browser().text(By.id("add-error"))).contains("kein CA-Zertifikat", "basicConstraints");
        browser().screenshot("trust-error-not-ca");
        browser().assertAccessible();
    }

    @Test
    void anAuditorReadsThePageWithoutForms() {
        browser().login(AUDITOR, PASSWORD).open(PAGE);
        assertThat(browser().mainText()).contains(configuredFingerprint(), "Entfernte Vertrauensanker");
        assertThat(browser().findAll(By.id("pem"))).isEmpty();
        assertThat(browser().findAll(By.cssSelector("form.trust-remove"))).isEmpty();
        browser().screenshot("trust-auditor");
        browser().assertAccessible();
    }

    @Test
    void anOperatorIsToldNo() {
        browser().login(OPERATOR, PASSWORD).open(PAGE);
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Kein Zugriff");
        assertThat(browser().mainText()).doesNotContain(configuredFingerprint());
    }

    @Test
    void theEnglishPageIsAccessibleToo() {
        browser().login(OFFICER, PASSWORD).open(PAGE + "?lang=en");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Trust anchors");
        browser().screenshot("trust-list-en");
        browser().assertAccessible();
        browser().open(PAGE + "?lang=de");
    }
}
