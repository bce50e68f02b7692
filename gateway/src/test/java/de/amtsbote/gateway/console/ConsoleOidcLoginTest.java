package de.amtsbote.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.Browser;
import de.amtsbote.gateway.testing.BrowserExtension;
import de.amtsbote.gateway.testing.ConsoleGateway;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Logging in through the authority's identity provider (OpenID Connect), roles from a claim. */
class ConsoleOidcLoginTest extends ConsoleGateway {

    private static final IdentityProvider IDP = start();
    @RegisterExtension
    static final BrowserExtension CHROMIUM = new BrowserExtension();

    private static Browser browser() {
        return CHROMIUM.browser();
    }

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry p) {
        String r = "spring.security.oauth2.client.registration.verwaltungsportal.";
        p.add(r + "client-id", () -> IdentityProvider.CLIENT_ID);
        p.add(r + "client-secret", () -> IdentityProvider.CLIENT_SECRET);
        p.add(r + "client-name", () -> "Verwaltungsportal Hessen");
        p.add(r + "authorization-grant-type", () -> "authorization_code");
        p.add(r + "scope", () -> "openid");
        p.add(r + "redirect-uri", () -> "{baseUrl}/console/oauth2/code/{registrationId}");
        p.add(r + "provider", () -> "portal");
        String pr = "spring.security.oauth2.client.provider.portal.";
        p.add(pr + "authorization-uri", () -> IDP.base() + "/authorize");
        p.add(pr + "token-uri", () -> IDP.base() + "/token");
        p.add(pr + "jwk-set-uri", () -> IDP.base() + "/jwks");
        p.add(pr + "user-name-attribute", () -> "preferred_username");
        p.add("amtsbote.console.oidc.registration", () -> "verwaltungsportal");
        p.add("amtsbote.console.oidc.role-mapping.amtsbote-pruefung", () -> "AUDITOR");
        p.add("amtsbote.console.oidc.role-mapping.amtsbote-betrieb", () -> "OPERATOR");
    }


    @AfterAll
    static void stop() {
        IDP.close();
    }

    @Test
    void aPersonWithAMappedGroupLogsInThroughTheProviderAndGetsThatRole() {
        IDP.nextPerson("k.betrieb", List.of("alle-bediensteten", "amtsbote-betrieb"));
        browser().open("/console/login");
        assertThat(browser().text(By.id("oidc-login"))).isEqualTo("Anmelden über Verwaltungsportal Hessen");
        browser().screenshot("login-oidc");
        browser().assertAccessible();
        browser().find(By.id("oidc-login")).click();
        browser().waitFor(d -> d.getCurrentUrl().endsWith("/console"));
        assertThat(browser().text(By.cssSelector("form.logout strong"))).isEqualTo("k.betrieb");
        assertThat(browser().text(By.cssSelector("nav.main-nav"))).contains("Nachrichten", "Quarantäne")
                .doesNotContain("Zertifikate", "Prüfprotokoll");
        assertThat(jdbc.sql("select detail from audit_entry where action = 'console.login' and actor_id = 'k.betrieb'")
                .query(String.class).list()).anySatisfy(d -> assertThat(d).contains("oidc"));
    }

    @Test
    void aPersonWithoutAMappedGroupIsRefusedWithAReason() {
        IDP.nextPerson("h.besucher", List.of("alle-bediensteten"));
        browser().open("/console/login");
        browser().find(By.id("oidc-login")).click();
        browser().waitFor(d -> d.getCurrentUrl().contains("error=no-role"));
        assertThat(browser().text(By.id("login-error"))).contains("keine Rolle");
        browser().screenshot("login-oidc-no-role");
        browser().open("/console");
        assertThat(browser().url()).endsWith("/console/login");
    }

    @Test
    void localUsersStillLogInBesideTheProvider() {
        browser().login(OPERATOR, PASSWORD);
        assertThat(browser().url()).endsWith("/console");
    }

    private static IdentityProvider start() {
        try {
            return new IdentityProvider();
        } catch (Exception e) {
            throw new UncheckedIOException(new java.io.IOException("cannot start the identity provider", e));
        }
    }
}
