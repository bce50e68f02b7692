package de.amtsbote.sandbox.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import de.amtsbote.crypto.content.ContentDigester;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The peer's HTTP protocol (see {@code sandbox/loopback-protocol.md}): routes each request and turns refusals into
 * {@code {"error": …}} answers.
 */
final class PeerHttpHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(PeerHttpHandler.class.getName());

    /** JSON requests carry at most small letters with base64 attachments; deliveries stream and have no limit. */
    private static final int MAX_JSON_REQUEST = 64 << 20;
    private static final int DEFAULT_POLL_LIMIT = 50;
    private static final int MAX_POLL_LIMIT = 1000;

    private final PostOffice office;
    private final DeliveryLog log;
    private final Faults faults;
    private final Clock clock;
    private final boolean storeContent;
    private final Consumer<ReceivedMessage> onNewDelivery;

    PeerHttpHandler(PostOffice office, DeliveryLog log, Faults faults, Clock clock, boolean storeContent,
                    Consumer<ReceivedMessage> onNewDelivery) {
        this.office = office;
        this.log = log;
        this.faults = faults;
        this.clock = clock;
        this.storeContent = storeContent;
        this.onNewDelivery = onNewDelivery;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (PeerException e) {
            answerError(exchange, e.status(), e.getMessage());
        } catch (IOException e) {
            // The client went away or the answer could not be written; there is nobody left to tell.
            LOG.log(System.Logger.Level.DEBUG, "exchange " + exchange.getRequestURI() + " broke off", e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to handle " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI(), e);
            answerError(exchange, 500, "internal error: " + e);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String first = path.isEmpty() ? "" : path.get(0);
        int size = path.size();
        if (first.equals("mailboxes") && size >= 3) {
            String mailbox = path.get(1);
            String collection = path.get(2);
            if (collection.equals("messages") && size == 3) {
                if (method.equals("POST")) {
                    receiveDelivery(exchange, mailbox);
                    return;
                }
                requireMethod(method, "GET");
                listReceived(exchange, mailbox);
                return;
            }
            if (collection.equals("messages") && size == 5 && path.get(4).equals("read")) {
                requireMethod(method, "POST");
                String receiptId = office.read(mailbox, path.get(3));
                answerJson(exchange, 202, PeerJson.object().put("receiptId", receiptId));
                return;
            }
            if (collection.equals("messages") && size == 5 && path.get(4).equals("reject")) {
                requireMethod(method, "POST");
                String reason = PeerJson.text(readJson(exchange), "reason");
                String receiptId = office.reject(mailbox, path.get(3), reason);
                answerJson(exchange, 202, PeerJson.object().put("receiptId", receiptId));
                return;
            }
            if (collection.equals("outgoing") && size == 3) {
                requireMethod(method, "POST");
                String id = office.send(mailbox, letter(readJson(exchange)));
                answerJson(exchange, 201, PeerJson.object().put("id", id));
                return;
            }
            if (collection.equals("outgoing") && size == 4) {
                requireMethod(method, "GET");
                answerJson(exchange, 200, outgoingJson(office.outgoing(mailbox, path.get(3))));
                return;
            }
        } else if (first.equals("outbound")) {
            if (size == 1) {
                requireMethod(method, "GET");
                listOutbound(exchange);
                return;
            }
            if (size == 2) {
                requireMethod(method, "DELETE");
                office.acknowledge(path.get(1));
                answerEmpty(exchange);
                return;
            }
            if (size == 4 && path.get(2).equals("parts")) {
                requireMethod(method, "GET");
                servePart(exchange, path.get(1), path.get(3));
                return;
            }
        } else if (first.equals("receipts") && size == 1) {
            requireMethod(method, "POST");
            JsonNode receipt = readJson(exchange);
            Instant retrievedAt = PeerJson.instant(receipt, "retrievedAt");
            if (retrievedAt == null) {
                throw PeerException.badRequest("'retrievedAt' is required");
            }
            office.retrieved(PeerJson.text(receipt, "transportId"), PeerJson.optionalText(receipt, "from"),
                    PeerJson.optionalText(receipt, "to"), retrievedAt);
            answerEmpty(exchange);
            return;
        } else if (first.equals("control") && size == 2 && path.get(1).equals("faults")) {
            if (method.equals("DELETE")) {
                faults.clear();
                answerEmpty(exchange);
                return;
            }
            requireMethod(method, "POST");
            faults.set(faultPlan(readJson(exchange)));
            answerEmpty(exchange);
            return;
        } else if (first.equals("control") && size == 2 && path.get(1).equals("stats")) {
            requireMethod(method, "GET");
            answerJson(exchange, 200, statsJson(log.stats()));
            return;
        }
        throw PeerException.notFound("no such resource: " + method + " " + exchange.getRequestURI().getRawPath());
    }

    // --- deliveries

    /**
     * Receives one delivery, streaming: each part is digested (and written to disk if content is stored) as it
     * passes, so a part of any size needs only a buffer's worth of memory. Every request leaves one log line.
     */
    private void receiveDelivery(HttpExchange exchange, String mailbox) throws IOException {
        Instant start = clock.instant();
        String deliveryId = exchange.getRequestHeaders().getFirst("X-Delivery-Id");
        String messageId = exchange.getRequestHeaders().getFirst("X-Message-Id");
        String node = exchange.getRequestHeaders().getFirst("X-Node");
        int attempt = attemptForLog(exchange.getRequestHeaders().getFirst("X-Attempt"));
        CountingInputStream body = new CountingInputStream(exchange.getRequestBody());

        int status;
        ObjectNode answer;
        boolean duplicate = false;
        boolean fault = false;
        Path staged = null;
        try {
            try {
                OptionalInt injected = faults.takeFailure();
                if (injected.isPresent()) {
                    fault = true;
                    status = injected.getAsInt();
                    answer = error("injected fault " + status);
                    if (status == 503) {
                        exchange.getResponseHeaders().set("Retry-After", "1");
                    }
                    drain(body);
                } else {
                    office.requireMailbox(mailbox);
                    DeliveryHeaders headers = DeliveryHeaders.parse(exchange.getRequestHeaders());
                    requireMatchingContentLength(exchange, headers);
                    String transportId = PostOffice.newId();
                    // A redelivery's content is only digested: the first copy is the one kept.
                    if (storeContent && office.delivery(headers.deliveryId()).isEmpty()) {
                        staged = office.stagingDirectory(mailbox, transportId);
                    }
                    List<StoredPart> parts = readParts(body, headers, staged);
                    PostOffice.Commit commit = office.commit(new PostOffice.Reception(transportId,
                            headers.deliveryId(), headers.messageId(), headers.attempt(), headers.node(), mailbox,
                            headers.sender(), headers.subject(), headers.reference(), parts, staged));
                    staged = null;
                    duplicate = commit.duplicate();
                    status = duplicate ? 200 : 201;
                    answer = receptionJson(commit);
                    if (!duplicate) {
                        onNewDelivery.accept(commit.message());
                    }
                }
            } catch (PeerException e) {
                status = e.status();
                answer = error(e.getMessage());
                drain(body);
            }
            pause(faults.delayMillis());
        } catch (IOException e) {
            // The connection broke mid-body (a gateway node killed, a client timeout): log the cut-off attempt,
            // because crash tests look for exactly these. The half-received parts go first, so that whoever reads
            // the log line finds the mailbox as it stays.
            PostOffice.deleteTree(staged);
            log.record(new PeerLogEntry(deliveryId, messageId, node, attempt, mailbox, start, clock.instant(),
                    body.count(), false, 0, false));
            throw e;
        } finally {
            PostOffice.deleteTree(staged);
        }
        log.record(new PeerLogEntry(deliveryId, messageId, node, attempt, mailbox, start, clock.instant(),
                body.count(), duplicate, status, fault));
        answerJson(exchange, status, answer);
    }

    private List<StoredPart> readParts(InputStream body, DeliveryHeaders headers, Path staged) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        List<StoredPart> parts = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < headers.parts().size(); i++) {
            DeliveryHeaders.DeclaredPart declared = headers.parts().get(i);
            ContentDigester digester = new ContentDigester();
            try (OutputStream out = staged == null
                    ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(staged.resolve(fileName(i, declared.name())))) {
                long remaining = declared.size();
                while (remaining > 0) {
                    int n = body.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw PeerException.badRequest("body is shorter than X-Parts declares: it ends after "
                                + (total + declared.size() - remaining) + " of " + headers.declaredBytes()
                                + " bytes, in part " + i);
                    }
                    digester.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    remaining -= n;
                }
            }
            total += declared.size();
            parts.add(new StoredPart(declared.name(), declared.mediaType(), declared.size(), digester.hex()));
        }
        long extra = drain(body);
        if (extra > 0) {
            throw PeerException.badRequest("body is longer than X-Parts declares: " + (total + extra) + " bytes, "
                    + "not " + total);
        }
        return parts;
    }

    private static void requireMatchingContentLength(HttpExchange exchange, DeliveryHeaders headers) {
        String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null && !contentLength.trim().equals(Long.toString(headers.declaredBytes()))) {
            throw PeerException.badRequest("Content-Length " + contentLength.trim() + " does not match the "
                    + headers.declaredBytes() + " bytes X-Parts declares");
        }
    }

    /** Part files are numbered and their names reduced to safe characters: names come from outside. */
    private static String fileName(int index, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
        if (safe.length() > 100) {
            safe = safe.substring(safe.length() - 100);
        }
        return String.format("%02d-%s", index, safe.isEmpty() ? "part" : safe);
    }

    private void listReceived(HttpExchange exchange, String mailbox) throws IOException {
        ObjectNode answer = PeerJson.object().put("mailbox", mailbox);
        ArrayNode messages = answer.putArray("messages");
        for (ReceivedMessage message : office.received(mailbox)) {
            ObjectNode node = messages.addObject()
                    .put("transportId", message.transportId())
                    .put("deliveryId", message.deliveryId())
                    .put("messageId", message.messageId())
                    .put("sender", message.sender())
                    .put("subject", message.subject())
                    .put("reference", message.reference())
                    .put("receivedAt", PeerJson.time(message.receivedAt()))
                    .put("readAt", PeerJson.time(message.readAt()))
                    .put("rejectedAt", PeerJson.time(message.rejectedAt()))
                    .put("rejectReason", message.rejectReason());
            node.set("parts", PeerJson.parts(message.parts(), false));
        }
        answerJson(exchange, 200, answer);
    }

    // --- the outbound queue

    private void listOutbound(HttpExchange exchange) throws IOException {
        int limit = DEFAULT_POLL_LIMIT;
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("limit=")) {
                    limit = pollLimit(parameter.substring("limit=".length()));
                }
            }
        }
        ObjectNode answer = PeerJson.object();
        ArrayNode items = answer.putArray("items");
        for (ObjectNode item : office.pending(limit)) {
            items.add(item);
        }
        answerJson(exchange, 200, answer);
    }

    private static int pollLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_POLL_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal below, which names the bad value
        }
        throw PeerException.badRequest("limit must be a whole number from 1 to " + MAX_POLL_LIMIT + ", got '"
                + text + "'");
    }

    private void servePart(HttpExchange exchange, String id, String indexText) throws IOException {
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            throw PeerException.notFound("outbound message " + id + " has no part '" + indexText + "'");
        }
        Path file = office.outgoingPart(id, index);
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    // --- JSON bodies

    private static OutgoingLetter letter(JsonNode json) {
        List<OutgoingLetter.Attachment> attachments = new ArrayList<>();
        for (JsonNode attachment : json.path("attachments")) {
            byte[] content;
            try {
                content = Base64.getDecoder().decode(PeerJson.text(attachment, "contentBase64"));
            } catch (IllegalArgumentException e) {
                throw PeerException.badRequest("'contentBase64' is not base64: " + e.getMessage());
            }
            attachments.add(new OutgoingLetter.Attachment(PeerJson.text(attachment, "name"),
                    PeerJson.text(attachment, "mediaType"), content));
        }
        String body = PeerJson.optionalText(json, "body");
        return new OutgoingLetter(PeerJson.text(json, "to"), PeerJson.text(json, "subject"),
                body == null ? "" : body, PeerJson.flag(json, "receiptWanted"), attachments);
    }

    private static FaultPlan faultPlan(JsonNode json) {
        try {
            return new FaultPlan((int) PeerJson.number(json, "failNext", 0), (int) PeerJson.number(json, "status", 503),
                    PeerJson.number(json, "delayMillis", 0));
        } catch (IllegalArgumentException e) {
            throw PeerException.badRequest(e.getMessage());
        }
    }

    private static ObjectNode receptionJson(PostOffice.Commit commit) {
        ReceivedMessage message = commit.message();
        ObjectNode answer = PeerJson.object()
                .put("transportId", message.transportId())
                .put("receivedAt", PeerJson.time(message.receivedAt()))
                .put("duplicate", commit.duplicate());
        ArrayNode parts = answer.putArray("parts");
        for (StoredPart part : message.parts()) {
            parts.addObject().put("name", part.name()).put("size", part.size()).put("sha256", part.sha256());
        }
        return answer;
    }

    private static ObjectNode outgoingJson(OutgoingMessage message) {
        ObjectNode node = PeerJson.object()
                .put("id", message.id())
                .put("from", message.from())
                .put("to", message.to())
                .put("subject", message.subject())
                .put("receiptWanted", message.receiptWanted())
                .put("sentAt", PeerJson.time(message.sentAt()))
                .put("acknowledged", message.acknowledged())
                .put("retrievedAt", PeerJson.time(message.retrievedAt()));
        node.set("parts", PeerJson.parts(message.parts(), true));
        return node;
    }

    private static ObjectNode statsJson(PeerStats stats) {
        ObjectNode node = PeerJson.object()
                .put("requests", stats.requests())
                .put("unique", stats.unique())
                .put("duplicates", stats.duplicates());
        ObjectNode byNode = node.putObject("byNode");
        stats.byNode().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> byNode.put(e.getKey(), e.getValue()));
        node.put("faults", stats.faults());
        return node;
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_JSON_REQUEST + 1);
        if (bytes.length > MAX_JSON_REQUEST) {
            throw new PeerException(413, "JSON request larger than " + MAX_JSON_REQUEST + " bytes");
        }
        JsonNode json;
        try {
            json = PeerJson.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw PeerException.badRequest("request body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw PeerException.badRequest("request body must be a JSON object");
        }
        return json;
    }

    // --- answers

    private static ObjectNode error(String message) {
        return PeerJson.object().put("error", message);
    }

    private static void answerError(HttpExchange exchange, int status, String message) {
        try {
            answerJson(exchange, status, error(message));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not answer " + status + " (" + message + ")", e);
        }
    }

    private static void answerJson(HttpExchange exchange, int status, ObjectNode json) throws IOException {
        byte[] bytes = PeerJson.MAPPER.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void answerEmpty(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(204, -1);
    }

    // --- helpers

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new PeerException(405, "method " + method + " not allowed here, use " + expected);
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                try {
                    segments.add(PercentDecoding.decode(segment));
                } catch (IllegalArgumentException e) {
                    throw PeerException.badRequest("path segment '" + segment + "': " + e.getMessage());
                }
            }
        }
        return segments;
    }

    private static int attemptForLog(String header) {
        try {
            return header == null ? 0 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0; // the delivery is refused for it; the log line just shows no attempt number
        }
    }

    /** Reads what is left of a request body, so the answer reaches a client that is still sending. */
    private static long drain(InputStream body) throws IOException {
        return body.transferTo(OutputStream.nullOutputStream());
    }

    private static void pause(long millis) throws IOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while delaying the answer (peer shutting down)", e);
        }
    }

    /** Counts the body bytes read, for the log. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
