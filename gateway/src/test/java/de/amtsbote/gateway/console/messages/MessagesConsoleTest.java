package de.amtsbote.gateway.console.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.evidence.EvidenceVerifier;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ConsoleGateway;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.loopback.FaultPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * What the message console's tests share: messages submitted through the API as a client system would, deliveries
 * brought into the state a test needs (delivered, failed, waiting for a retry, being dispatched), and reading back
 * deliveries, outbox work and audit entries. Same world as every console test (one Spring context).
 */
abstract class MessagesConsoleTest extends ConsoleGateway {

    static final Duration WAIT = Duration.ofSeconds(30);

    @AfterEach
    void clearPeerFaults() {
        PEER.clearFaults();
    }

    /** A reference no other test uses. */
    static String reference(String what) {
        return "AZ " + what + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Submits as stadt-bad-vilbel to one recipient; returns the message id. */
    String submit(String recipient, String reference, String subject) {
        return submit(badVilbel(), "stadt-bad-vilbel", recipient, reference, subject);
    }

    String submit(ApiClient client, String sender, String recipient, String reference, String subject) {
        ApiClient.Response r = client.submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["%s"], "subject": "%s", "reference": "%s",
                 "body": "Guten Tag", "options": {"sign": false, "encrypt": false}}
                """.formatted(sender, recipient, subject, reference))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7 Bescheid".getBytes()));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    /** A message delivered to kreis-bergstrasse over loopback. */
    String delivered(String reference, String subject) {
        String id = submit("participant:kreis-bergstrasse", reference, subject);
        awaitState(id, 0, "DELIVERED");
        return id;
    }

    /** A message whose delivery the peer refused for good (an injected 422): FAILED after one attempt. */
    String failed(String reference, String subject) {
        PEER.injectFaults(new FaultPlan(1, 422, 0));
        String id = submit("participant:kreis-bergstrasse", reference, subject);
        awaitState(id, 0, "FAILED");
        PEER.clearFaults();
        return id;
    }

    /**
     * A message whose delivery waits for its next attempt, a day from now: the peer answered 503 (Retry-After: 1) and
     * the test moves the waiting work's due time a day ahead before it is claimed again.
     */
    String waiting(String reference, String subject) {
        PEER.injectFaults(new FaultPlan(1, 503, 0));
        String id = submit("participant:kreis-bergstrasse", reference, subject);
        await("delivery of " + id + " waits for a retry a day ahead", WAIT, () -> {
            JsonNode d = delivery(id, 0);
            assertThat(d.get("state").asString()).as("delivery of " + id).isIn("ACCEPTED", "DISPATCHING",
                    "RETRY_WAIT");
            return d.get("state").asString().equals("RETRY_WAIT") && jdbc.sql("""
                    update outbox set due_at = :later
                    where kind = 'DISPATCH' and subject_id = :delivery and lease_token is null
                    """)
                    .param("later", OffsetDateTime.now(ZoneOffset.UTC).plusDays(1))
                    .param("delivery", d.get("id").asString()).update() == 1;
        });
        PEER.clearFaults();
        assertThat(delivery(id, 0).get("state").asString()).isEqualTo("RETRY_WAIT");
        return id;
    }

    JsonNode message(String id) {
        return message(badVilbel(), id);
    }

    static JsonNode message(ApiClient client, String id) {
        return client.get("/api/v1/messages/" + id).json();
    }

    JsonNode delivery(String id, int index) {
        return message(id).get("deliveries").get(index);
    }

    String deliveryId(String messageId, int index) {
        return delivery(messageId, index).get("id").asString();
    }

    void awaitState(String id, int index, String state) {
        awaitState(badVilbel(), id, index, state);
    }

    /** Waits until the message's delivery {@code index} (0 = first) is in {@code state}, read as {@code client}. */
    static void awaitState(ApiClient client, String id, int index, String state) {
        await("delivery " + index + " of " + id + " is " + state, WAIT, () -> {
            JsonNode deliveries = message(client, id).get("deliveries");
            return deliveries.size() > index && deliveries.get(index).get("state").asString().equals(state);
        });
    }

    /** The message's delivery rows, in order: state per delivery. */
    List<String> states(String messageId) {
        return jdbc.sql("select state from delivery where message_id = :m order by position").param("m", messageId)
                .query(String.class).list();
    }

    /** When the delivery's dispatch work is due, if it has any. */
    java.util.Optional<Instant> dueOf(String deliveryId) {
        return jdbc.sql("select due_at from outbox where kind = 'DISPATCH' and subject_id = :d").param("d", deliveryId)
                .query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant);
    }

    /** The console actions recorded about a delivery: "actor action detail", oldest first. */
    List<String> consoleActions(String deliveryId) {
        return jdbc.sql("""
                select actor_kind, actor_id, action, subjects, detail from audit_entry
                where action like 'message.%' and subjects like :subject order by seq
                """)
                .param("subject", "%delivery:" + deliveryId + "%")
                .query((rs, i) -> rs.getString("actor_kind") + " " + rs.getString("actor_id") + " "
                        + rs.getString("action") + " " + rs.getString("subjects") + " " + rs.getString("detail"))
                .list();
    }

    /** Checks evidence documents against the console test world's root, revocation soft-fail (no OCSP here). */
    static EvidenceVerifier verifier() {
        return new EvidenceVerifier(AlgorithmPolicy.bsi(), PkixCertificateValidator.builder()
                .policy(AlgorithmPolicy.bsi()).trustAnchor(ROOT.certificate()).softFail().build());
    }
}
