package de.amtsbote.sandbox.loopback;

import de.amtsbote.sandbox.JsonLines;

import de.amtsbote.crypto.content.ContentDigester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The peer's state: what its mailboxes received, what outside parties sent, and the queue the gateway fetches from.
 * Every change is written to the journal before it becomes visible, under one lock, so the journal's order is the
 * state's order and replaying it on start rebuilds exactly what the last run answered.
 *
 * <p>Journal events, one JSON object a line, told apart by {@code "type"}: {@code received} (a new delivery from
 * the gateway), {@code read} and {@code rejected} (the recipient opened or refused it; each queues a receipt),
 * {@code outgoing} (an outside party's message, queued for the gateway), {@code acknowledged} (the gateway deleted a
 * queue item), {@code retrieved} (the gateway's retrieval receipt for an outgoing message).
 */
final class PostOffice implements AutoCloseable {

    private final Set<String> mailboxes;
    private final String domain;
    private final Clock clock;
    private final Path mailboxRoot;
    private final Path outgoingRoot;
    private final JsonLines journal;

    private final Map<String, ReceivedMessage> byDeliveryId = new HashMap<>();
    private final Map<String, ReceivedMessage> byTransportId = new LinkedHashMap<>();
    private final Map<String, OutgoingMessage> outgoing = new LinkedHashMap<>();
    private final Map<String, QueuedReceipt> receipts = new HashMap<>();
    /** Ids of the items the gateway has not deleted yet, oldest first. */
    private final Set<String> queue = new LinkedHashSet<>();

    /** A receipt waiting for the gateway: the recipient read or rejected the delivery {@code transportId}. */
    private record QueuedReceipt(String id, String transportId, String event, Instant at, String reason) {
    }

    /** A delivery of which every byte was read, ready to be committed or recognised as a duplicate. */
    record Reception(String transportId, String deliveryId, String messageId, int attempt, String node,
                     String mailbox, String sender, String subject, String reference, List<StoredPart> parts,
                     Path stagedContent) {
    }

    /** The outcome of {@link #commit}: the message as first received, and whether this was a redelivery. */
    record Commit(ReceivedMessage message, boolean duplicate) {
    }

    PostOffice(Path dataDir, Set<String> mailboxes, String domain, Clock clock) throws IOException {
        this.mailboxes = Set.copyOf(mailboxes);
        this.domain = domain;
        this.clock = clock;
        this.mailboxRoot = dataDir.resolve("mailboxes");
        this.outgoingRoot = dataDir.resolve("outgoing");
        Files.createDirectories(mailboxRoot);
        Files.createDirectories(outgoingRoot);
        Path journalFile = dataDir.resolve("journal.jsonl");
        this.journal = JsonLines.open(journalFile, PeerJson.MAPPER);
        for (JsonNode event : journal.readAll()) {
            apply(event);
        }
    }

    // --- deliveries from the gateway

    void requireMailbox(String mailbox) {
        if (!mailboxes.contains(mailbox)) {
            throw PeerException.unknownMailbox(mailbox);
        }
    }

    /** Where a delivery's parts are written while it is being received; moved into the mailbox on commit. */
    Path stagingDirectory(String mailbox, String transportId) throws IOException {
        return Files.createDirectories(mailboxRoot.resolve(mailbox).resolve(".receiving-" + transportId));
    }

    synchronized Optional<ReceivedMessage> delivery(String deliveryId) {
        return Optional.ofNullable(byDeliveryId.get(deliveryId));
    }

    /**
     * Takes a fully read delivery, unless its delivery id came before: then the first one stands, this one's
     * content is discarded, and the caller answers with the first transport id.
     */
    synchronized Commit commit(Reception reception) throws IOException {
        ReceivedMessage earlier = byDeliveryId.get(reception.deliveryId());
        if (earlier != null) {
            deleteTree(reception.stagedContent());
            return new Commit(earlier, true);
        }
        if (reception.stagedContent() != null) {
            Files.move(reception.stagedContent(),
                    mailboxRoot.resolve(reception.mailbox()).resolve(reception.transportId()),
                    StandardCopyOption.ATOMIC_MOVE);
        }
        ObjectNode event = PeerJson.object()
                .put("type", "received")
                .put("transportId", reception.transportId())
                .put("deliveryId", reception.deliveryId())
                .put("messageId", reception.messageId())
                .put("attempt", reception.attempt())
                .put("node", reception.node())
                .put("mailbox", reception.mailbox())
                .put("sender", reception.sender())
                .put("subject", reception.subject())
                .put("reference", reception.reference())
                .put("receivedAt", PeerJson.time(clock.instant()));
        event.set("parts", PeerJson.parts(reception.parts(), false));
        record(event);
        return new Commit(byDeliveryId.get(reception.deliveryId()), false);
    }

    /** The recipient opens a message: a RETRIEVED receipt is queued for the gateway. Returns the receipt's id. */
    synchronized String read(String mailbox, String transportId) {
        ReceivedMessage message = unanswered(mailbox, transportId);
        String receiptId = newId();
        record(PeerJson.object().put("type", "read").put("transportId", message.transportId())
                .put("receiptId", receiptId).put("at", PeerJson.time(clock.instant())));
        return receiptId;
    }

    /** The recipient refuses a message: a FAILED receipt with the reason is queued. Returns the receipt's id. */
    synchronized String reject(String mailbox, String transportId, String reason) {
        if (reason == null || reason.isBlank()) {
            throw PeerException.badRequest("a rejection needs a reason");
        }
        ReceivedMessage message = unanswered(mailbox, transportId);
        String receiptId = newId();
        record(PeerJson.object().put("type", "rejected").put("transportId", message.transportId())
                .put("receiptId", receiptId).put("at", PeerJson.time(clock.instant())).put("reason", reason));
        return receiptId;
    }

    /** The automatic reader ({@code readAfter}): reads the message unless someone answered it already. */
    synchronized void readIfUnanswered(String transportId) {
        ReceivedMessage message = byTransportId.get(transportId);
        if (message != null && !message.answered()) {
            read(message.mailbox(), transportId);
        }
    }

    synchronized List<ReceivedMessage> received(String mailbox) {
        requireMailbox(mailbox);
        List<ReceivedMessage> messages = new ArrayList<>();
        for (ReceivedMessage message : byTransportId.values()) {
            if (message.mailbox().equals(mailbox)) {
                messages.add(message);
            }
        }
        return messages;
    }

    synchronized List<ReceivedMessage> unanswered() {
        List<ReceivedMessage> messages = new ArrayList<>();
        for (ReceivedMessage message : byTransportId.values()) {
            if (!message.answered()) {
                messages.add(message);
            }
        }
        return messages;
    }

    private ReceivedMessage unanswered(String mailbox, String transportId) {
        requireMailbox(mailbox);
        ReceivedMessage message = byTransportId.get(transportId);
        if (message == null || !message.mailbox().equals(mailbox)) {
            throw PeerException.notFound("mailbox " + mailbox + " has no message " + transportId);
        }
        if (message.readAt() != null) {
            throw new PeerException(409, "message " + transportId + " was already read at " + message.readAt());
        }
        if (message.rejectedAt() != null) {
            throw new PeerException(409, "message " + transportId + " was already rejected at "
                    + message.rejectedAt());
        }
        return message;
    }

    // --- messages from outside parties to the gateway

    /** Stores an outside party's letter and queues it for the gateway. Returns its transport id. */
    String send(String mailbox, OutgoingLetter letter) throws IOException {
        requireMailbox(mailbox);
        if (letter.to().indexOf('@') <= 0 || letter.to().endsWith("@")) {
            throw PeerException.badRequest("'to' must be an address <participant>@<domain>, got '" + letter.to() + "'");
        }
        String id = newId();
        Path directory = Files.createDirectories(outgoingRoot.resolve(id));
        List<StoredPart> parts = new ArrayList<>();
        parts.add(writePart(directory, 0, "body.txt", "text/plain; charset=UTF-8",
                letter.body().getBytes(StandardCharsets.UTF_8)));
        for (OutgoingLetter.Attachment attachment : letter.attachments()) {
            parts.add(writePart(directory, parts.size(), attachment.name(), attachment.mediaType(),
                    attachment.content()));
        }
        ObjectNode event = PeerJson.object()
                .put("type", "outgoing")
                .put("id", id)
                .put("mailbox", mailbox)
                .put("from", mailbox + "@" + domain)
                .put("to", letter.to())
                .put("subject", letter.subject())
                .put("receiptWanted", letter.receiptWanted())
                .put("sentAt", PeerJson.time(clock.instant()));
        event.set("parts", PeerJson.parts(parts, false));
        synchronized (this) {
            record(event);
        }
        return id;
    }

    synchronized OutgoingMessage outgoing(String mailbox, String id) {
        requireMailbox(mailbox);
        OutgoingMessage message = outgoing.get(id);
        if (message == null || !message.mailbox().equals(mailbox)) {
            throw PeerException.notFound("mailbox " + mailbox + " sent no message " + id);
        }
        return message;
    }

    /** Where part {@code index} of outgoing message {@code id} is stored. */
    synchronized Path outgoingPart(String id, int index) {
        OutgoingMessage message = outgoing.get(id);
        if (message == null) {
            throw PeerException.notFound("no outbound message " + id);
        }
        if (index < 0 || index >= message.parts().size()) {
            throw PeerException.notFound("outbound message " + id + " has no part " + index);
        }
        return outgoingRoot.resolve(id).resolve(Integer.toString(index));
    }

    /** The gateway's retrieval receipt: its participant took the outgoing message {@code id}. */
    synchronized void retrieved(String id, String from, String to, Instant retrievedAt) {
        OutgoingMessage message = outgoing.get(id);
        if (message == null) {
            throw PeerException.notFound("no outgoing message " + id);
        }
        if (message.retrievedAt() != null) {
            return; // a repeated receipt changes nothing: the first account of the retrieval stands
        }
        record(PeerJson.object().put("type", "retrieved").put("id", id).put("from", from).put("to", to)
                .put("retrievedAt", PeerJson.time(retrievedAt)));
    }

    // --- the queue the gateway fetches from

    /** The oldest {@code limit} items the gateway has not deleted yet, as the protocol's JSON. */
    synchronized List<ObjectNode> pending(int limit) {
        List<ObjectNode> items = new ArrayList<>();
        for (String id : queue) {
            if (items.size() == limit) {
                break;
            }
            items.add(item(id));
        }
        return items;
    }

    synchronized List<String> pendingIds() {
        return List.copyOf(queue);
    }

    /** The gateway deletes an item it has stored. Deleting an unknown or deleted item is harmless. */
    synchronized void acknowledge(String id) {
        if (queue.contains(id)) {
            record(PeerJson.object().put("type", "acknowledged").put("id", id));
        }
    }

    private ObjectNode item(String id) {
        OutgoingMessage message = outgoing.get(id);
        if (message != null) {
            ObjectNode node = PeerJson.object()
                    .put("id", id)
                    .put("kind", "message")
                    .put("from", message.from())
                    .put("to", message.to())
                    .put("subject", message.subject())
                    .put("receiptWanted", message.receiptWanted())
                    .put("sentAt", PeerJson.time(message.sentAt()));
            node.set("parts", PeerJson.parts(message.parts(), true));
            return node;
        }
        QueuedReceipt receipt = receipts.get(id);
        return PeerJson.object()
                .put("id", id)
                .put("kind", "receipt")
                .put("transportId", receipt.transportId())
                .put("event", receipt.event())
                .put("at", PeerJson.time(receipt.at()))
                .put("reason", receipt.reason());
    }

    // --- journal

    private void record(ObjectNode event) {
        journal.append(event);
        apply(event);
    }

    private void apply(JsonNode event) {
        String type = PeerJson.text(event, "type");
        switch (type) {
            case "received": {
                ReceivedMessage message = new ReceivedMessage(
                        PeerJson.text(event, "transportId"), PeerJson.text(event, "deliveryId"),
                        PeerJson.optionalText(event, "messageId"), PeerJson.text(event, "mailbox"),
                        PeerJson.optionalText(event, "sender"), PeerJson.optionalText(event, "subject"),
                        PeerJson.optionalText(event, "reference"), PeerJson.instant(event, "receivedAt"),
                        PeerJson.parts(event.path("parts")), null, null, null);
                byDeliveryId.put(message.deliveryId(), message);
                byTransportId.put(message.transportId(), message);
                break;
            }
            case "read":
            case "rejected": {
                ReceivedMessage message = byTransportId.get(PeerJson.text(event, "transportId"));
                Instant at = PeerJson.instant(event, "at");
                String reason = PeerJson.optionalText(event, "reason");
                ReceivedMessage answered = type.equals("read") ? message.read(at) : message.rejected(at, reason);
                byTransportId.put(answered.transportId(), answered);
                byDeliveryId.put(answered.deliveryId(), answered);
                String receiptId = PeerJson.text(event, "receiptId");
                receipts.put(receiptId, new QueuedReceipt(receiptId, answered.transportId(),
                        type.equals("read") ? "RETRIEVED" : "FAILED", at, reason));
                queue.add(receiptId);
                break;
            }
            case "outgoing": {
                OutgoingMessage message = new OutgoingMessage(
                        PeerJson.text(event, "id"), PeerJson.text(event, "mailbox"), PeerJson.text(event, "from"),
                        PeerJson.text(event, "to"), PeerJson.text(event, "subject"),
                        PeerJson.flag(event, "receiptWanted"), PeerJson.instant(event, "sentAt"),
                        PeerJson.parts(event.path("parts")), false, null);
                outgoing.put(message.id(), message);
                queue.add(message.id());
                break;
            }
            case "acknowledged": {
                String id = PeerJson.text(event, "id");
                queue.remove(id);
                outgoing.computeIfPresent(id, (key, message) -> message.acknowledge());
                break;
            }
            case "retrieved": {
                outgoing.computeIfPresent(PeerJson.text(event, "id"),
                        (key, message) -> message.retrieved(PeerJson.instant(event, "retrievedAt")));
                break;
            }
            default:
                throw new IllegalStateException("journal event of unknown type '" + type + "'");
        }
    }

    private StoredPart writePart(Path directory, int index, String name, String mediaType, byte[] content)
            throws IOException {
        Files.write(directory.resolve(Integer.toString(index)), content);
        return new StoredPart(name, mediaType, content.length, ContentDigester.hexOf(content));
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.delete(paths.get(i));
        }
    }

    /** Removes what deliveries cut off by a crash or a broken connection left behind. */
    void removeUnfinishedReceptions() throws IOException {
        for (String mailbox : mailboxes) {
            Path directory = mailboxRoot.resolve(mailbox);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            List<Path> leftovers = new ArrayList<>();
            try (var list = Files.list(directory)) {
                list.filter(p -> p.getFileName().toString().startsWith(".receiving-")).forEach(leftovers::add);
            }
            for (Path leftover : leftovers) {
                deleteTree(leftover);
            }
        }
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
