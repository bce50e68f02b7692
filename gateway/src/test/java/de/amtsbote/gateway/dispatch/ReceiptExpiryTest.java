package de.amtsbote.gateway.dispatch;

import de.amtsbote.gateway.testing.Fleet;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A delivery whose requested receipt does not come in time ends as EXPIRED, with evidence saying so. */
class ReceiptExpiryTest extends RunningGateway {

    /** A context of its own needs a database of its own: H2 locks its file to one process context. */
    private static final java.nio.file.Path OWN_DATA = Fleet.temporaryDirectory("amtsbote-expiry-test-");

    @DynamicPropertySource
    static void shortReceiptTimeout(DynamicPropertyRegistry p) {
        p.add("amtsbote.dispatch.receipt-timeout", () -> "2s");
        p.add("amtsbote.storage.directory", OWN_DATA::toString);
    }

    @Test
    void endsAsExpiredWhenTheRetrievalReceiptDoesNotCome() {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["loopback:buergerbuero@loopback.example"],
                 "subject": "Ladung", "options": {"sign": false, "encrypt": false, "receipts": ["retrieval"]}}"""));
        String id = r.json().get("id").asString();

        await("the delivery expired", Duration.ofSeconds(30), () -> state(id).equals("EXPIRED"));

        JsonNode message = badVilbel().get("/api/v1/messages/" + id).json();
        assertThat(message.get("deliveries").get(0).get("lastError").asString()).contains("no RETRIEVED receipt within");
        assertThat(message.get("evidence").get(message.get("evidence").size() - 1).get("event").asString())
                .isEqualTo("RetrievalExpiry");
    }

    @Test
    void aDeliveryThatAsksForNoReceiptNeverExpires() throws InterruptedException {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["loopback:buergerbuero@loopback.example"],
                 "subject": "Mitteilung", "options": {"sign": false, "encrypt": false}}"""));
        String id = r.json().get("id").asString();
        await("the delivery was delivered", Duration.ofSeconds(30), () -> state(id).equals("DELIVERED"));

        Thread.sleep(3_000); // longer than the receipt timeout

        assertThat(state(id)).isEqualTo("DELIVERED");
        assertThat(jdbc.sql("select count(*) from outbox o join delivery d on d.id = o.subject_id where d.message_id = :m")
                .param("m", id).query(Long.class).single()).isZero();
    }

    private String state(String id) {
        return badVilbel().get("/api/v1/messages/" + id).json().get("deliveries").get(0).get("state").asString();
    }
}
