package de.amtsbote.gateway.demail;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ChannelTestGateway;
import de.amtsbote.gateway.testing.Eventually;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.demail.DeMailProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway makes of a De-Mail provider that misbehaves: busy (4xx) is retried and the message reaches the
 * recipient once; a provider whose SMTP is down gets the message once it is back; a provider that refuses the
 * gateway's client certificate keeps the delivery waiting with a reason that names the certificate, and gets it once
 * it accepts the certificate again; confirmations waiting in a mailbox whose IMAP is down arrive once it is back.
 * Nothing accepted is lost, and no recipient gets a message twice.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeMailFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-demail-faults-");
    private static final DeMailWorld WORLD = DeMailWorld.startIn(DATA);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayWithTheDeMailChannel(DynamicPropertyRegistry p) {
        ChannelTestGateway.register(p, DATA, "demail-faults", WORLD.gatewayProperties(), TOKEN, DeMailWorld.BAD_VILBEL);
        ChannelTestGateway.retryingQuickly(p);
    }

    @AfterEach
    void providerHealthyAgain() throws IOException {
        DeMailProvider provider = WORLD.ours();
        provider.faults().tempFail(0).refuseClientCertificates(false);
        provider.startSmtp();
        provider.startImap();
    }

    @AfterAll
    static void stopTheWorld() {
        WORLD.close();
    }

    @Test
    void retriesABusyProviderAndTheRecipientGetsTheMessageOnce() {
        WORLD.ours().faults().tempFail(2);

        String subject = "Bei Überlast " + UUID.randomUUID();
        String id = submit(subject, "\"receipts\": [\"delivery\"]");
        JsonNode delivery = messages().awaitState(id, "DELIVERED");

        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(copiesAtTheRecipient(subject)).isEqualTo(1);
    }

    @Test
    void sendsOnceTheProvidersSmtpIsBack() throws Exception {
        WORLD.ours().stopSmtp();
        String subject = "Während der Wartung " + UUID.randomUUID();
        String id = submit(subject, "\"receipts\": [\"delivery\"]");
        Eventually.await("a failed attempt is recorded", WAIT, () -> messages().delivery(id).get("attempts").asInt() >= 2);
        assertThat(messages().delivery(id).get("state").asString()).isIn("DISPATCHING", "RETRY_WAIT");
        assertThat(messages().delivery(id).get("lastError").asString()).isNotBlank();

        WORLD.ours().startSmtp();
        messages().awaitState(id, "DELIVERED");

        assertThat(copiesAtTheRecipient(subject)).isEqualTo(1);
    }

    @Test
    void aRefusedClientCertificateKeepsTheDeliveryWaitingWithItsReasonUntilTheProviderAcceptsItAgain() {
        WORLD.ours().faults().refuseClientCertificates(true);
        String subject = "Zertifikat abgelehnt " + UUID.randomUUID();
        String id = submit(subject, "\"receipts\": [\"delivery\"]");

        Eventually.await("the refusal is recorded", WAIT, () -> messages().delivery(id).get("attempts").asInt() >= 2);
        JsonNode waiting = messages().delivery(id);
        assertThat(waiting.get("state").asString()).isIn("DISPATCHING", "RETRY_WAIT");
        assertThat(waiting.get("lastError").asString()).contains("client certificate");
        assertThat(copiesAtTheRecipient(subject)).isZero();

        WORLD.ours().faults().refuseClientCertificates(false);
        messages().awaitState(id, "DELIVERED");

        assertThat(copiesAtTheRecipient(subject)).isEqualTo(1);
    }

    @Test
    void confirmationsWaitingWhileImapIsDownArriveOnceItIsBack() throws Exception {
        WORLD.ours().stopImap();
        String subject = "Postfach nicht erreichbar " + UUID.randomUUID();
        String id = submit(subject, "\"receipts\": [\"dispatch\", \"delivery\"]");
        messages().awaitState(id, "SENT");
        Eventually.await("the Eingangsbestätigung waits at the provider", WAIT,
                () -> WORLD.demail.provider("dmda-b").log().stream()
                        .anyMatch(e -> e.event().equals("confirmation-issued")
                                && "confirmation of receipt".equals(e.get("type"))
                                && DeMailWorld.BAD_VILBEL_ADDRESS.equals(e.get("to"))
                                && "true".equals(e.get("delivered"))));
        assertThat(messages().delivery(id).get("state").asString()).isEqualTo("SENT");

        WORLD.ours().startImap();
        messages().awaitState(id, "DELIVERED");

        assertThat(messages().evidenceDocuments(id, "RelayAcceptance")).anyMatch(d -> d.contains("TransportProof"));
        assertThat(messages().evidenceDocuments(id, "DeliveryAcceptance")).hasSize(1);
    }

    private ApiClient api() {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), TOKEN);
    }

    private MessagesApi messages() {
        return new MessagesApi(api(), WAIT);
    }

    private String submit(String subject, String receipts) {
        ApiClient.Response r = api().submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["participant:kreis-bergstrasse"], "subject": "%s",
                 "body": "Guten Tag", "options": {"sign": true, "encrypt": false, %s}}"""
                .formatted(DeMailWorld.BAD_VILBEL, subject, receipts))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private long copiesAtTheRecipient(String subject) {
        return WORLD.demail.mailbox(DeMailWorld.KREIS).messages().stream().filter(m -> subject.equals(m.subject()))
                .count();
    }
}
