package de.amtsbote.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/** What channel tests read back through the API: a message's deliveries and evidence, the inbox. */
public final class MessagesApi {

    private final ApiClient api;
    private final Duration wait;

    public MessagesApi(ApiClient api, Duration wait) {
        this.api = api;
        this.wait = wait;
    }

    /** The message's first (only) delivery. */
    public JsonNode delivery(String messageId) {
        return api.get("/api/v1/messages/" + messageId).json().get("deliveries").get(0);
    }

    /** Waits until the delivery is in one of {@code states}; fails at once if it ends elsewhere. */
    public JsonNode awaitState(String messageId, String... states) {
        List<String> wanted = List.of(states);
        Eventually.await("delivery of " + messageId + " is in " + wanted, wait, () -> {
            JsonNode d = delivery(messageId);
            String state = d.get("state").asString();
            if (!wanted.contains(state)) {
                assertThat(state).as("delivery ended elsewhere: " + d).isNotIn("FAILED", "EXPIRED", "RETRIEVED");
            }
            return wanted.contains(state);
        });
        return delivery(messageId);
    }

    /** The evidence events of a message, in order. */
    public List<String> events(String messageId) {
        List<String> events = new ArrayList<>();
        api.get("/api/v1/messages/" + messageId).json().get("evidence")
                .forEach(e -> events.add(e.get("event").asString()));
        return events;
    }

    /** Waits until the message has evidence of {@code event}. */
    public void awaitEvent(String messageId, String event) {
        Eventually.await(messageId + " has " + event + " evidence", wait, () -> events(messageId).contains(event));
    }

    /** The signed evidence document of the message's first {@code event}. */
    public String evidenceDocument(String messageId, String event) {
        for (JsonNode e : api.get("/api/v1/messages/" + messageId).json().get("evidence")) {
            if (e.get("event").asString().equals(event)) {
                return api.get("/api/v1/evidence/" + e.get("id").asString()).text();
            }
        }
        throw new AssertionError("no " + event + " evidence for " + messageId);
    }

    /** The signed evidence documents of every {@code event} of the message, in order. */
    public List<String> evidenceDocuments(String messageId, String event) {
        List<String> documents = new ArrayList<>();
        for (JsonNode e : api.get("/api/v1/messages/" + messageId).json().get("evidence")) {
            if (e.get("event").asString().equals(event)) {
                documents.add(api.get("/api/v1/evidence/" + e.get("id").asString()).text());
            }
        }
        return documents;
    }

    /**
     * Waits for evidence of {@code event} that carries a transport proof (a receipt kept verbatim) and returns it; a
     * delivery can have several documents of one event, the first without proof (the gateway's own record).
     */
    public String awaitEvidenceWithProof(String messageId, String event) {
        Eventually.await(messageId + " has " + event + " evidence with a transport proof", wait,
                () -> evidenceDocuments(messageId, event).stream().anyMatch(d -> d.contains("TransportProof")));
        return evidenceDocuments(messageId, event).stream().filter(d -> d.contains("TransportProof")).findFirst()
                .orElseThrow();
    }

    /** The transport proof inside an evidence document (the receipt kept verbatim), as UTF-8 text. */
    public static String transportProof(String evidence) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<(?:\\w+:)?TransportProof[^>]*>([^<]+)<")
                .matcher(evidence);
        assertThat(m.find()).as("evidence carries a transport proof: " + evidence).isTrue();
        return new String(java.util.Base64.getMimeDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The inbox entry with this subject, if there is one. */
    public Optional<JsonNode> inboxEntry(String subject) {
        JsonNode page = api.get("/api/v1/inbox?limit=200").json();
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(m -> m.get("subject").asString().equals(subject)).findFirst();
    }

    /** Waits for the inbox entry with this subject. */
    public JsonNode awaitInbox(String subject) {
        Eventually.await("\"" + subject + "\" is in the inbox", wait, () -> inboxEntry(subject).isPresent());
        return inboxEntry(subject).orElseThrow();
    }
}
