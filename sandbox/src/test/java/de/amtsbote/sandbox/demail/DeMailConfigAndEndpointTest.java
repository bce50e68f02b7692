package de.amtsbote.sandbox.demail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The JSON configuration (with a generated PKI), the Sandbox's --demail option and the HTTP endpoint. */
class DeMailConfigAndEndpointTest {

    private static final String CONFIG = """
            {
              "data-dir": "data",
              "pki-dir": "pki",
              "http-port": 0,
              "providers": [
                {"name": "dmda-a", "dmda-domain": "dmda-a.de-mail.de", "domains": ["bad-vilbel.de-mail.de"],
                 "accounts": [{"id": "amtsbote", "holder": "Stadt Bad Vilbel", "public-body": true,
                               "client-certificates": ["pki/client-gateway.pem"],
                               "addresses": ["poststelle@bad-vilbel.de-mail.de"]}]},
                {"name": "dmda-b", "dmda-domain": "dmda-b.de-mail.de",
                 "mailboxes": [{"address": "erika.mustermann@dmda-b.de-mail.de", "holder": "Erika Mustermann",
                                "password": "erika", "secure-login": "never"}]}
              ]
            }
            """;

    @Test
    void startsFromJsonWithAGeneratedPkiAndServesTheHttpEndpoint(@TempDir Path dir) throws Exception {
        DeMailPki.generateOrLoad(dir.resolve("pki"), java.time.Clock.systemUTC()).ensureClient("gateway");
        Path file = dir.resolve("demail.json");
        Files.writeString(file, CONFIG);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Sandbox sandbox = Sandbox.start(List.of("--loopback=false", "--demail=" + file),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("demail dmda-a smtps 127.0.0.1:").contains("demail http http://127.0.0.1:")
                    .endsWith("sandbox ready\n");
            assertThat(dir.resolve("pki/dmda-a.de-mail.de.signing.pem")).exists();
            DeMailProviders demail = sandbox.demail();
            String base = "http://127.0.0.1:" + demail.httpPort() + "/demail/";
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(base
                    + "mailboxes/erika.mustermann@dmda-b.de-mail.de/send")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"to\": \"poststelle@bad-vilbel.de-mail.de\", \"subject\": \"Antrag\", \"body\": \"Text\","
                            + " \"receiptConfirmation\": true}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(json(sent.body()).get("demailMessageId").asString()).endsWith("@dmda-b.de-mail.de>");

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base
                    + "mailboxes/erika.mustermann@dmda-b.de-mail.de/send")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"to\": \"meldung@dmda-a.de-mail.de\", \"subject\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(json(refused.body()).get("error").asString()).startsWith("550 5.1.1 ");

            DeMailWorld.await("deposit at the gateway's mailbox", () -> !demail.mailbox(
                    "poststelle@bad-vilbel.de-mail.de").messages().isEmpty());
            demail.settle();
            HttpResponse<String> messages = http.send(HttpRequest.newBuilder(URI.create(base
                    + "mailboxes/erika.mustermann@dmda-b.de-mail.de/messages")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json(messages.body()).get(0).get("messageType").asString()).isEqualTo("confirmation of receipt");

            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base
                    + "mailboxes/erika.mustermann@dmda-b.de-mail.de/secure-login"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json(login.body()).get("confirmed").asInt()).isZero();

            HttpResponse<String> log = http.send(HttpRequest.newBuilder(URI.create(base + "log?provider=dmda-b"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(log.body()).contains("\"event\":\"accepted\"").contains("\"event\":\"refused\"")
                    .contains("\"event\":\"secure-login\"").doesNotContain("\"provider\":\"dmda-a\"");
        }
    }

    @Test
    void refusesUnknownKeysNamingThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demail.json");
        Files.writeString(file, "{\"providers\": [], \"smtp\": 1}");
        assertThatThrownBy(() -> DeMailConfig.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'smtp'");
    }

    @Test
    void refusesAnAccountAddressOnAForeignDomain(@TempDir Path dir) throws Exception {
        DeMailPki pki = DeMailPki.generateOrLoad(dir, java.time.Clock.systemUTC());
        assertThatThrownBy(() -> ProviderConfig.builder("a", "dmda-a.de-mail.de").pki(pki)
                .account(AccountConfig.builder("x").clientFingerprint("00".repeat(32)).address("x@dmda-b.de-mail.de")
                        .build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not on one of its domains");
    }

    @Test
    void parsesSecureLoginTimers() {
        assertThat(SecureLoginTimer.parse("after:15s").after()).hasSeconds(15);
        assertThat(SecureLoginTimer.parse("at-once").after()).isZero();
        assertThat(SecureLoginTimer.parse("never").automatic()).isFalse();
        assertThatThrownBy(() -> SecureLoginTimer.parse("soon")).hasMessageContaining("never, at-once or after:");
    }

    private static JsonNode json(String body) {
        return DeMailLog.JSON.readTree(body);
    }
}
