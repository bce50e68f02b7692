package de.amtsbote.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What operators and integrators use besides the message API: health, metrics, the OpenAPI description. */
class OperationsApiTest extends RunningGateway {

    @Test
    void healthIsOpenWithoutAuthentication() {
        Response health = client(null).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.text()).doesNotContain("jdbc", "password");
    }

    @Test
    void metricsNeedTheMonitoringRole() {
        assertThat(client(null).get("/actuator/prometheus").status()).isEqualTo(401);
        Response asClient = badVilbel().get("/actuator/prometheus");
        assertThat(asClient.status()).isEqualTo(403);
        assertThat(asClient.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:forbidden");
    }

    @Test
    void publishesAcceptedDispatchedQueueDepthAndLatency() {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"], "subject": "Metrik",
                 "options": {"sign": false, "encrypt": false}}"""));
        String id = r.json().get("id").asString();
        await("delivered", Duration.ofSeconds(30), () -> badVilbel().get("/api/v1/messages/" + id).json()
                .get("deliveries").get(0).get("state").asString().equals("DELIVERED"));
        await("the queue-depth gauge was refreshed", Duration.ofSeconds(15),
                () -> client(MONITORING_TOKEN).get("/actuator/prometheus").text().contains("amtsbote_outbox_waiting"));

        String metrics = client(MONITORING_TOKEN).get("/actuator/prometheus").text();

        assertThat(metrics)
                .contains("amtsbote_messages_accepted_total")
                .contains("amtsbote_deliveries_dispatched_total{", "outcome=\"success\"")
                .contains("amtsbote_dispatch_latency_seconds_bucket")
                .contains("amtsbote_outbox_waiting", "amtsbote_outbox_scheduled")
                .contains("resilience4j_circuitbreaker_state");
    }

    @Test
    void describesTheApiInOpenApiForAuthenticatedClients() {
        assertThat(client(null).get("/v3/api-docs").status()).isEqualTo(401);
        Response docs = badVilbel().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/messages")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/inbox/{id}/ack")).isTrue();
        var submit = docs.json().get("paths").get("/api/v1/messages").get("post");
        assertThat(submit.get("requestBody").get("content").has("multipart/form-data")).isTrue();
        assertThat(submit.get("responses").has("202")).isTrue();
        assertThat(submit.get("responses").has("422")).isTrue();
        assertThat(submit.get("parameters").get(0).get("required").asBoolean()).isTrue();
        assertThat(docs.json().get("components").get("securitySchemes").has("bearer")).isTrue();
    }

    @Test
    void answersAnUnknownPathWithAProblemDocument() {
        Response r = badVilbel().get("/api/v1/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("type").asString()).isEqualTo("urn:amtsbote:problem:not-found");
    }
}
