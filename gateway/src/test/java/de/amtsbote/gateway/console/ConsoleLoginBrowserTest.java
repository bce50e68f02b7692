package de.amtsbote.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import de.amtsbote.gateway.testing.ConsoleGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** Logging in and out in a real browser, per role, with the pages' accessibility checked. */
class ConsoleLoginBrowserTest extends ConsoleGateway {

    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }



    @Test
    void theLoginPageIsAccessibleAndReachableByKeyboard() {
        browser().open("/console/login");
        browser().screenshot("login");
        browser().assertAccessible();
        assertThat(browser().tabOrder(3)).as("skip link, then the form in reading order")
                .satisfies(order -> assertThat(order.get(0)).contains("Zum Inhalt springen"));
        assertThat(String.join("|", browser().tabOrder(12))).contains("input#username").contains("input#password");
    }

    @Test
    void aWrongPasswordIsShownAsAnAlertOnTheForm() {
        browser().login(AUDITOR, "not the password");
        assertThat(browser().text(By.id("login-error"))).contains("falsch");
        assertThat(browser().find(By.id("username")).getAttribute("aria-describedby")).isEqualTo("login-error");
        browser().screenshot("login-failed");
        browser().assertAccessible();
    }

    @Test
    void eachRoleSeesOnlyItsAreasInTheNavigation() {
        browser().login(OFFICER, PASSWORD);
        assertThat(navigation()).contains("Schlüssel und Zertifikate").doesNotContain("Nachrichten", "Prüfprotokoll");
        browser().screenshot("home-security-officer");
        browser().assertAccessible();
        browser().logout();

        browser().login(OPERATOR, PASSWORD);
        assertThat(navigation()).contains("Nachrichten", "Quarantäne").doesNotContain("Zertifikate", "Prüfprotokoll");
        browser().screenshot("home-operator");
        browser().logout();

        browser().login(AUDITOR, PASSWORD);
        assertThat(navigation()).contains("Nachrichten", "Quarantäne", "Schlüssel und Zertifikate", "Prüfprotokoll");
        browser().screenshot("home-auditor");
        browser().assertAccessible();
    }

    @Test
    void anOperatorWhoOpensTheCertificatesIsToldNo() {
        browser().login(OPERATOR, PASSWORD);
        browser().open("/console/certificates");
        assertThat(browser().text(By.tagName("h1"))).isEqualTo("Kein Zugriff");
        browser().screenshot("denied");
        browser().assertAccessible();
    }

    @Test
    void theLanguageCanBeSwitchedToEnglish() {
        browser().login(AUDITOR, PASSWORD);
        browser().find(By.cssSelector("a[hreflang=en]")).click();
        browser().waitFor(d -> d.findElement(By.tagName("html")).getAttribute("lang").equals("en"));
        assertThat(navigation()).contains("Messages", "Audit trail");
        browser().screenshot("home-auditor-en");
        browser().find(By.cssSelector("a[hreflang=de]")).click();
    }

    private static String navigation() {
        return browser().text(By.cssSelector("nav.main-nav"));
    }
}
