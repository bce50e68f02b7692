package de.amtsbote.gateway.console.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The security officer's work in a real browser, each page screenshot and checked with axe: a key from generation
 * through its certificate request and import to a rotation with overlap; a certificate about to expire, warned about
 * on the inventory and the start page; a partner certificate imported and checked.
 */
class CertificatesBrowserTest extends CertificatesGateway {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }

    @BeforeEach
    void startBrowser() {
        browser().login(OFFICER, PASSWORD);
    }


    @Test
    void csrThenImportThenRotationVisible() throws Exception {
        browser().open("/console/certificates");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Schlüssel und Zertifikate");
        assertThat(browser().find(By.linkText("Vertrauensanker")).getAttribute("href"))
                .endsWith("/console/certificates/trust");
        browser().screenshot("certificates-inventory");
        browser().assertAccessible();

        browser().find(By.linkText("Schlüssel erzeugen")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console/certificates/keys/new"));
        new Select(browser().find(By.id("owner"))).selectByValue("stadt-bad-vilbel");
        new Select(browser().find(By.id("purpose"))).selectByValue("SIGNING");
        new Select(browser().find(By.id("keySpec"))).selectByValue("ec:P-256");
        type("organisation", "Magistrat der Stadt Bad Vilbel");
        type("commonName", "Poststelle");
        type("emails", "poststelle@bad-vilbel.example");
        browser().screenshot("certificates-generate");
        browser().assertAccessible();
        submit("form.cert-form");

        browser().waitFor(d -> d.getCurrentUrl().contains("/console/certificates/keys/stadt-bad-vilbel.signing."));
        String first = keyIdFromUrl();
        assertThat(browser().text(By.id("key-state"))).contains("wartet");
        assertThat(browser().text(By.cssSelector("p.notice"))).contains(first);
        String csr = browser().find(By.id("csr-pem")).getAttribute("value");
        assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        browser().screenshot("certificates-key");
        browser().assertAccessible();

        paste("import-chain", pem(issueFor(csr, CertificateProfile.ENCRYPTION, Duration.ofDays(400))));
        submit("#import-form");
        browser().waitFor(d -> !d.findElements(By.id("import-problem")).isEmpty());
        assertThat(browser().text(By.id("import-problem"))).contains("WRONG_KEY_USAGE");
        assertThat(browser().find(By.id("import-chain")).getAttribute("aria-describedby")).contains("import-problem");
        browser().screenshot("certificates-import-error");
        browser().assertAccessible();

        paste("import-chain", pem(issueFor(csr, CertificateProfile.SIGNING, Duration.ofDays(400))));
        submit("#import-form");
        waitForText("key-state", "aktiv");
        assertThat(browser().text(By.id("key-status"))).contains("gültig");

        WebElement overlap = browser().find(By.id("rotate-overlap"));
        assertThat(overlap.getAttribute("value")).isEqualTo("30");
        new Select(browser().find(By.id("rotate-keySpec"))).selectByValue("ec:P-256");
        submit("#rotate-form");
        browser().waitFor(d -> !d.getCurrentUrl().endsWith(first) && d.getCurrentUrl().contains("/keys/"));
        String second = keyIdFromUrl();
        assertThat(browser().text(By.id("key-state"))).contains("wartet");
        assertThat(browser().mainText()).contains("ersetzt dieser Schlüssel den aktiven Schlüssel " + first);
        String successorCsr = browser().find(By.id("csr-pem")).getAttribute("value");
        paste("import-chain", pem(issueFor(successorCsr, CertificateProfile.SIGNING, Duration.ofDays(400))));
        submit("#import-form");
        waitForText("key-state", "aktiv");
        assertThat(browser().text(By.cssSelector("p.notice"))).contains(first, "Überlappung");

        browser().open("/console/certificates/keys/" + first);
        assertThat(browser().text(By.id("key-state"))).contains("Überlappung", "bis");
        browser().open("/console/certificates");
        assertThat(browser().text(By.id("key-" + first))).contains("Überlappung");
        assertThat(browser().text(By.id("key-" + second))).contains("aktiv");
        browser().screenshot("certificates-rotated");
        browser().assertAccessible();
    }

    @Test
    void expiryWarningVisible() throws Exception {
        browser().open("/console/certificates/keys/new?owner=stadt-viernheim&purpose=ENCRYPTION");
        new Select(browser().find(By.id("keySpec"))).selectByValue("ec:P-256");
        submit("form.cert-form");
        browser().waitFor(d -> d.getCurrentUrl().contains("/keys/stadt-viernheim.encryption."));
        String id = keyIdFromUrl();
        String csr = browser().find(By.id("csr-pem")).getAttribute("value");
        paste("import-chain", pem(issueFor(csr, CertificateProfile.ENCRYPTION, Duration.ofDays(10))));
        submit("#import-form");
        waitForText("key-state", "aktiv");
        assertThat(browser().text(By.id("key-status"))).contains("läuft bald ab");

        browser().open("/console/certificates");
        assertThat(browser().text(By.id("key-" + id))).contains("läuft bald ab");
        assertThat(browser().text(By.cssSelector("ul.cert-counts"))).containsPattern("läuft bald ab [1-9]");
        assertThat(browser().text(By.id("expiry-timeline-caption"))).isNotEmpty();
        browser().screenshot("certificates-expiring");
        browser().assertAccessible();

        browser().open("/console");
        String panel = browser().text(By.id("panel-expiring"));
        assertThat(panel).containsPattern("läuft bald ab [1-9]");
        assertThat(browser().mainText()).contains(id);
        browser().screenshot("certificates-dashboard");
        browser().assertAccessible();
    }

    @Test
    void aPartnerCertificateIsImportedAndItsRevocationChecked() throws Exception {
        browser().open("/console/certificates/partners/new");
        type("address", "smime:poststelle@landkreis-browser().example");
        paste("partner-chain", "kein Zertifikat");
        submit("#partner-form");
        browser().waitFor(d -> !d.findElements(By.id("partner-problem")).isEmpty());
        assertThat(browser().text(By.id("partner-problem"))).contains("MALFORMED_PEM");
        browser().screenshot("certificates-partner-import");
        browser().assertAccessible();

        paste("partner-chain", pem(partnerCertificate("Landkreis", "poststelle@landkreis-browser().example",
                CertificateProfile.ENCRYPTION, Duration.ofDays(300))));
        submit("#partner-form");
        browser().waitFor(d -> d.getCurrentUrl().contains("/console/certificates/partners/")
                && !d.getCurrentUrl().endsWith("/new"));
        assertThat(browser().mainText()).contains("smime:poststelle@landkreis-browser().example", "importiert");
        submit("#check-form");
        waitForText("partner-check", "nicht gesperrt");
        assertThat(browser().text(By.cssSelector("p.notice"))).contains("nicht gesperrt");
        browser().screenshot("certificates-partner");
        browser().assertAccessible();
    }

    @Test
    void theAuditorSeesTheInventoryWithoutForms() {
        browser().logout();
        browser().login(AUDITOR, PASSWORD);
        browser().open("/console/certificates");
        assertThat(browser().findAll(By.linkText("Schlüssel erzeugen"))).isEmpty();
        assertThat(browser().mainText()).contains("Eigene Schlüssel", "Zertifikate der Partner");
        browser().screenshot("certificates-inventory-auditor");
        browser().assertAccessible();
    }

    /** Waits until the element shows the text, looking again while the page is being replaced. */
    private static void waitForText(String id, String text) {
        browser().waitFor(d -> {
            try {
                return d.findElement(By.id(id)).getText().contains(text);
            } catch (StaleElementReferenceException | NoSuchElementException replaced) {
                return false;
            }
        });
    }

    private static void type(String id, String text) {
        WebElement e = browser().find(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Puts a long text into a field at once, as pasting does (typing a PEM chain key by key takes long). */
    private static void paste(String id, String text) {
        ((JavascriptExecutor) browser().driver()).executeScript("arguments[0].value = arguments[1];",
                browser().find(By.id(id)), text);
    }

    private static void submit(String form) {
        browser().find(By.cssSelector(form + " button[type=submit]")).click();
    }

    private static String keyIdFromUrl() {
        return browser().url().replaceAll(".*/keys/", "").replaceAll("[?#].*", "");
    }
}
