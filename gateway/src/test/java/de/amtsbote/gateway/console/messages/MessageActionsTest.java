package de.amtsbote.gateway.console.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.evidence.EvidenceChain;
import de.amtsbote.crypto.evidence.VerifiedEvidence;
import de.amtsbote.gateway.testing.ConsoleSession;
import de.amtsbote.sandbox.loopback.FaultPlan;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Retry and cancel over HTTP: who may, what each does to deliveries, outbox work, evidence and the audit trail. */
class MessageActionsTest extends MessagesConsoleTest {

    private static String path(String messageId, String deliveryId, String action) {
        return "/console/messages/" + messageId + "/deliveries/" + deliveryId + "/" + action;
    }

    /** Posts the action's form as the operator's browser would, follows the redirect and returns the page shown. */
    private static String act(ConsoleSession s, String messageId, String deliveryId, String action, String reason) {
        HttpResponse<String> r = s.post(path(messageId, deliveryId, action), Map.of("reason", reason));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/console/messages/" + messageId);
        return s.get(java.net.URI.create(location).getPath()).body();
    }

    @Test
    void theSecurityOfficerCannotEvenReadMessages() {
        String id = delivered(reference("officer"), "Für die Sicherheit tabu");
        ConsoleSession officer = session(OFFICER);
        assertThat(officer.get("/console/messages").statusCode()).isEqualTo(403);
        assertThat(officer.get("/console/messages/" + id).statusCode()).isEqualTo(403);
        String evidenceId = message(id).get("evidence").get(0).get("id").asString();
        assertThat(officer.get("/console/messages/" + id + "/evidence/" + evidenceId).statusCode()).isEqualTo(403);
        assertThat(officer.get("/console/messages/" + id + "/evidence-bundle").statusCode()).isEqualTo(403);
        assertThat(officer.get("/console").body()).doesNotContain("Nachrichten der letzten 24 Stunden");
    }

    @Test
    void auditorsAndOfficersCannotRetryOrCancelAndNothingChanges() {
        String waiting = waiting(reference("roles"), "Wartet");
        String failed = failed(reference("roles"), "Gescheitert");
        String waitingDelivery = deliveryId(waiting, 0);
        String failedDelivery = deliveryId(failed, 0);
        var dueBefore = dueOf(waitingDelivery).orElseThrow();

        for (String person : List.of(AUDITOR, OFFICER)) {
            ConsoleSession s = session(person);
            Map<String, String> form = Map.of("reason", "darf ich nicht");
            assertThat(s.post(path(waiting, waitingDelivery, "retry"), form).statusCode()).as(person).isEqualTo(403);
            assertThat(s.post(path(waiting, waitingDelivery, "cancel"), form).statusCode()).as(person).isEqualTo(403);
            assertThat(s.post(path(failed, failedDelivery, "retry"), form).statusCode()).as(person).isEqualTo(403);
        }

        assertThat(states(waiting)).containsExactly("RETRY_WAIT");
        assertThat(dueOf(waitingDelivery)).contains(dueBefore);
        assertThat(states(failed)).containsExactly("FAILED");
        assertThat(consoleActions(waitingDelivery)).isEmpty();
        assertThat(consoleActions(failedDelivery)).isEmpty();
    }

    @Test
    void theAuditorSeesTheMessageButNoActions() {
        String id = failed(reference("auditor"), "Nur lesen");
        String page = session(AUDITOR).get("/console/messages/" + id).body();
        assertThat(page).contains("Nur lesen", "fehlgeschlagen").doesNotContain("/retry", "/cancel", "Erneut senden");
        assertThat(session(OPERATOR).get("/console/messages/" + id).body()).contains("/retry", "Erneut senden");
    }

    @Test
    void cancellingAWaitingDeliveryEndsItFailedWithTheReasonAndRemovesItsWork() {
        String id = waiting(reference("cancel"), "Abzubrechen");
        String delivery = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, delivery, "cancel", "Empfänger verzogen");

        assertThat(shown).contains("role=\"status\">Die Zustellung ist abgebrochen und endet als fehlgeschlagen (sie war"
                + " im Zustand wartet auf neuen Versuch (RETRY_WAIT)).");
        JsonNode d = delivery(id, 0);
        assertThat(d.get("state").asString()).isEqualTo("FAILED");
        assertThat(d.get("lastError").asString()).isEqualTo("cancelled by " + OPERATOR + ": Empfänger verzogen");
        assertThat(dueOf(delivery)).as("the dispatch work is gone").isEmpty();
        List<String> events = new ArrayList<>();
        message(id).get("evidence").forEach(e -> events.add(e.get("event").asString()));
        assertThat(events).endsWith("RelayFailure", "RelayFailure");
        assertThat(consoleActions(delivery)).singleElement().asString()
                .startsWith("PERSON " + OPERATOR + " message.cancel message:" + id + " delivery:" + delivery + " ")
                .contains("\"reason\":\"Empfänger verzogen\"", "\"state\":\"RETRY_WAIT\"");
    }

    @Test
    void retryingAWaitingDeliveryDispatchesItNowAndIsAudited() {
        String id = waiting(reference("now"), "Sofort");
        String delivery = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, delivery, "retry", "Gegenstelle wieder erreichbar");

        assertThat(shown).contains("wird jetzt versandt");
        awaitState(id, 0, "DELIVERED");
        assertThat(delivery(id, 0).get("attempts").asInt()).isEqualTo(2);
        assertThat(message(id).get("deliveries")).hasSize(1);
        assertThat(consoleActions(delivery)).singleElement().asString()
                .startsWith("PERSON " + OPERATOR + " message.retry message:" + id + " delivery:" + delivery + " ")
                .contains("Gegenstelle wieder erreichbar");
    }

    @Test
    void retryingAFailedDeliveryOpensANewOneAndTheApiAndEvidenceChainStayConsistent() throws Exception {
        String id = failed(reference("resend"), "Erneut");
        String ended = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, ended, "retry", "Postfach wieder eingerichtet");

        assertThat(shown).contains("Eine neue Zustellung an denselben Empfänger wird versandt");
        awaitState(id, 1, "DELIVERED");
        JsonNode m = message(id);
        JsonNode first = m.get("deliveries").get(0);
        JsonNode second = m.get("deliveries").get(1);
        assertThat(first.get("state").asString()).as("an ended delivery stays ended").isEqualTo("FAILED");
        assertThat(first.get("retryOf").isNull()).isTrue();
        assertThat(second.get("retryOf").asString()).isEqualTo(ended);
        assertThat(second.get("recipient").asString()).isEqualTo(first.get("recipient").asString());
        assertThat(second.get("address").asString()).isEqualTo(first.get("address").asString());
        assertThat(second.get("attempts").asInt()).isEqualTo(1);

        // every document verifies, and the message's evidence is one tree: each delivery's chain from the acceptance
        LinkedHashMap<String, VerifiedEvidence> chain = new LinkedHashMap<>();
        List<String> secondEvents = new ArrayList<>();
        String resubmission = null;
        for (JsonNode e : m.get("evidence")) {
            byte[] document = badVilbel().get("/api/v1/evidence/" + e.get("id").asString()).body();
            VerifiedEvidence v = verifier().verify(document);
            chain.put(e.get("event").asString() + " " + e.get("id").asString(), v);
            if (second.get("id").asString().equals(v.deliveryId())) {
                secondEvents.add(v.event());
                if (v.event().equals("Resubmission")) {
                    resubmission = new String(document, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(EvidenceChain.check(chain).complete()).isTrue();
        assertThat(secondEvents).containsExactly("Resubmission", "DispatchAttempt", "DeliveryAcceptance");
        assertThat(resubmission).contains("retry of delivery " + ended, "requested by " + OPERATOR,
                "Postfach wieder eingerichtet", "to=\"ACCEPTED\"");
        assertThat(consoleActions(ended)).singleElement().asString()
                .contains("message.retry message:" + id + " delivery:" + ended + " delivery:"
                        + second.get("id").asString())
                .contains("\"newDelivery\":\"" + second.get("id").asString() + "\"");
        assertThat(operator.get("/console/messages/" + id).body()).contains("Zustellung 2", "Wiederholung von",
                "Erneut gesendet als");
    }

    @Test
    void anEndedDeliveryIsSentAgainOnlyOnce() {
        String id = failed(reference("once"), "Nur einmal");
        String ended = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);
        act(operator, id, ended, "retry", "erster Versuch");

        String shown = act(operator, id, ended, "retry", "zweiter Versuch");

        assertThat(shown).contains("role=\"alert\"").contains("wurde bereits erneut gesendet");
        assertThat(jdbc.sql("select count(*) from delivery where message_id = :m").param("m", id)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(consoleActions(ended)).hasSize(1);
    }

    @Test
    void cancelInAWrongStateNamesTheStateAndChangesNothing() {
        String id = delivered(reference("wrong"), "Schon zugestellt");
        String delivery = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, delivery, "cancel", "zu spät");

        assertThat(shown).contains("role=\"alert\"").contains("im Zustand zugestellt (DELIVERED)",
                "kann nicht abgebrochen werden");
        assertThat(states(id)).containsExactly("DELIVERED");
        assertThat(consoleActions(delivery)).isEmpty();
    }

    @Test
    void retryOfADeliveredDeliveryNamesTheState() {
        String id = delivered(reference("wrong retry"), "Zugestellt");
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, deliveryId(id, 0), "retry", "nochmal");

        assertThat(shown).contains("DELIVERED", "kann nicht wiederholt werden");
        assertThat(states(id)).containsExactly("DELIVERED");
    }

    @Test
    void aDeliveryBeingDispatchedCannotBeCancelled() {
        PEER.injectFaults(new FaultPlan(0, 200, 4_000));
        String id = submit("participant:kreis-bergstrasse", reference("busy"), "In Übergabe");
        awaitState(id, 0, "DISPATCHING");
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, deliveryId(id, 0), "cancel", "halt");

        assertThat(shown).contains("(DISPATCHING)",
                "kann nicht abgebrochen werden");
        PEER.clearFaults();
        awaitState(id, 0, "DELIVERED");
        assertThat(consoleActions(deliveryId(id, 0))).isEmpty();
    }

    @Test
    void anActionWithoutAReasonIsRefusedAtTheField() {
        String id = waiting(reference("reason"), "Ohne Grund");
        String delivery = deliveryId(id, 0);
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + id);

        String shown = act(operator, id, delivery, "cancel", "   ");

        assertThat(shown).contains("Bitte einen Grund angeben.")
                .contains("id=\"cancel-" + delivery + "-error\"")
                .contains("aria-describedby=\"cancel-" + delivery + "-error cancel-" + delivery + "-hint\"");
        assertThat(act(operator, id, delivery, "retry", "x".repeat(501))).contains(
                "Der Grund darf höchstens 500 Zeichen lang sein.");
        assertThat(states(id)).containsExactly("RETRY_WAIT");
        assertThat(consoleActions(delivery)).isEmpty();
    }

    @Test
    void anUnknownMessageIsTheConsoleNotFoundPage() {
        ConsoleSession auditor = session(AUDITOR);
        HttpResponse<String> r = auditor.get("/console/messages/gibt-es-nicht");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no message gibt-es-nicht", "Nicht gefunden.");
        assertThat(auditor.get("/console/messages/gibt-es-nicht/evidence-bundle").statusCode()).isEqualTo(404);

        ConsoleSession operator = session(OPERATOR);
        HttpResponse<String> post = operator.post(path("gibt-es-nicht", "auch-nicht", "cancel"),
                Map.of("reason", "weg damit"));
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).contains("message gibt-es-nicht has no delivery auch-nicht");
    }

    @Test
    void aDeliveryOfAnotherMessageIsNotFound() {
        String one = waiting(reference("other"), "Eine");
        String other = delivered(reference("other"), "Andere");
        ConsoleSession operator = session(OPERATOR);
        operator.get("/console/messages/" + other);

        HttpResponse<String> r = operator.post(path(other, deliveryId(one, 0), "cancel"), Map.of("reason", "falsch"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(states(one)).containsExactly("RETRY_WAIT");
    }

    @Test
    void evidenceDownloadsAsTheSignedDocumentAndIsRecorded() throws Exception {
        String id = delivered(reference("download"), "Nachweis");
        String evidenceId = message(id).get("evidence").get(2).get("id").asString();
        ConsoleSession auditor = session(AUDITOR);

        HttpResponse<String> r = auditor.get("/console/messages/" + id + "/evidence/" + evidenceId);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"evidence-" + evidenceId + ".xml\"");
        byte[] api = badVilbel().get("/api/v1/evidence/" + evidenceId).body();
        assertThat(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(api);
        assertThat(verifier().verify(api).event()).isEqualTo("DeliveryAcceptance");
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'evidence.read' and actor_kind = 'PERSON'"
                + " and actor_id = :a and subjects = :s").param("a", AUDITOR)
                .param("s", "message:" + id + " evidence:" + evidenceId).query(Long.class).single()).isEqualTo(1);

        String otherMessage = delivered(reference("download"), "Andere");
        assertThat(auditor.get("/console/messages/" + otherMessage + "/evidence/" + evidenceId).statusCode())
                .as("evidence of another message").isEqualTo(404);
    }

    @Test
    void theEvidenceBundleDownloadsAsAZip() {
        String id = delivered(reference("bundle"), "Paket");
        ConsoleSession auditor = session(AUDITOR);

        HttpResponse<String> r = auditor.get("/console/messages/" + id + "/evidence-bundle");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"evidence-" + id + ".zip\"");
        assertThat(r.body()).startsWith("PK").contains("zustellnachweis.pdf");
    }
}
