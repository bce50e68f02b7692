package de.amtsbote.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ConsoleGateway;
import de.amtsbote.gateway.testing.ConsoleSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who gets into the console and into which area, over plain HTTP. */
class ConsoleAccessTest extends ConsoleGateway {

    @Test
    void anAnonymousVisitorIsSentToTheLoginPage() {
        HttpResponse<String> r = ConsoleSession.anonymous(base()).get("/console/messages");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
    }

    @Test
    void theLoginPageIsGermanByDefaultAndEnglishOnRequest() {
        ConsoleSession s = ConsoleSession.anonymous(base());
        assertThat(s.get("/console/login").body()).contains("<html lang=\"de\"").contains("Benutzername");
        var en = s.get("/console/login?lang=en");
        assertThat(en.body()).contains("<html lang=\"en\"").contains("User name");
        assertThat(s.get("/console/login").body()).as("the choice is kept").contains("User name");
    }

    @Test
    void aWrongPasswordIsRefusedAndAudited() {
        HttpResponse<String> r = ConsoleSession.anonymous(base()).attempt(AUDITOR, "wrong");
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?error=credentials");
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'console.login-refused'"
                + " and actor_id = :u").param("u", AUDITOR).query(Long.class).single()).isPositive();
    }

    @Test
    void repeatedFailuresLockTheUserNameEvenForTheRightPassword() {
        ConsoleSession s = ConsoleSession.anonymous(base());
        for (int i = 0; i < 3; i++) {
            s.attempt("o.both", "guess " + i);
        }
        HttpResponse<String> r = s.attempt("o.both", PASSWORD);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?error=locked");
    }

    @Test
    void eachRoleReachesItsAreasAndIsRefusedTheOthers() {
        ConsoleSession officer = session(OFFICER);
        assertThat(officer.get("/console/certificates").statusCode()).isNotIn(302, 403);
        assertThat(officer.get("/console/messages").statusCode()).isEqualTo(403);
        assertThat(officer.get("/console/audit").statusCode()).isEqualTo(403);

        ConsoleSession operator = session(OPERATOR);
        assertThat(operator.get("/console/certificates").statusCode()).isEqualTo(403);
        assertThat(operator.get("/console/audit").statusCode()).isEqualTo(403);
        assertThat(operator.get("/console/certificates").body()).contains("Kein Zugriff");

        ConsoleSession auditor = session(AUDITOR);
        assertThat(auditor.post("/console/certificates/keys", Map.of("owner", "x")).statusCode()).isEqualTo(403);
        assertThat(auditor.post("/console/messages/x/retry", Map.of()).statusCode()).isEqualTo(403);
        assertThat(auditor.post("/console/quarantine/x/release", Map.of()).statusCode()).isEqualTo(403);
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        ConsoleSession operator = session(OPERATOR);
        assertThat(operator.postRaw("/console/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(operator.get("/console").statusCode()).as("still logged in").isEqualTo(200);
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyAndAreNotFramed() {
        HttpResponse<String> r = session(AUDITOR).get("/console");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
    }

    @Test
    void loginAndLogoutAreAudited() {
        ConsoleSession s = session(OFFICER);
        s.post("/console/logout", Map.of());
        assertThat(jdbc.sql("select action from audit_entry where actor_id = :u and actor_kind = 'PERSON'"
                + " order by seq").param("u", OFFICER).query(String.class).list())
                .contains("console.login", "console.logout");
        assertThat(s.get("/console").statusCode()).as("logged out").isEqualTo(302);
    }

    @Test
    void everyPageHasExactlyOneMainLandmark() {
        ConsoleSession auditor = session(AUDITOR);
        for (String page : java.util.List.of("/console", "/console/messages", "/console/quarantine", "/console/audit",
                "/console/certificates", "/console/denied")) {
            String body = auditor.get(page).body();
            assertThat(body.split("<main", -1)).as(page).hasSize(2);
        }
        assertThat(ConsoleSession.anonymous(base()).get("/console/login").body().split("<main", -1)).hasSize(2);
    }

    @Test
    void theApiStillRefusesConsoleSessions() {
        ConsoleSession s = session(OPERATOR);
        assertThat(s.get("/api/v1/inbox").statusCode()).isEqualTo(401);
    }
}
