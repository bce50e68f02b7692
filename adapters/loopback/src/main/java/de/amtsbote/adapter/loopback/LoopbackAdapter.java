package de.amtsbote.adapter.loopback;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelDescription;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.RetrievalConfirmation;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import de.amtsbote.spi.TransportProof;
import de.amtsbote.spi.TransportReceipt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The loopback channel: plain HTTP to the sandbox's loopback peer, a stand-in "post office" for outside parties.
 * It neither signs nor encrypts, and says so in {@link #describe()}; it exists so that the gateway's outbox, crash
 * recovery, multi-node dispatch, receipts and inbox can be exercised over a real transport. The protocol is
 * described in the sandbox module's {@code loopback-protocol.md}.
 *
 * <p>A dispatch streams the body and the attachments in one request and is confirmed by the peer's mailbox in the
 * same exchange ({@link DispatchResult.Outcome#DELIVERED}); the peer recognises a repeated delivery id and answers
 * with the first transport id. {@link #poll()} fetches what outside parties sent and the receipts for earlier
 * deliveries, and deletes each item from the peer's queue only after the sink stored it.
 *
 * <p>Timeouts: {@code timeout} is how long the peer may stay silent. The JDK client's request timeout also runs
 * while the body is being sent, which would cut off a large upload that is still progressing; so dispatch does not
 * use it, but measures silence itself: it fails when the peer has taken no body bytes for {@code timeout}, or has
 * not answered within {@code timeout} after the last byte. Small requests use the JDK's request timeout. Reading an
 * inbound part that stalls after its headers arrived is not timed (the JDK client offers no read timeout).
 */
public final class LoopbackAdapter implements ChannelAdapter {

    static final String CHANNEL = "loopback";
    static final String DISPLAY_NAME = "Loopback (diagnostic, unsigned and unencrypted)";

    private static final String BODY_NAME = "body.txt";
    private static final String BODY_MEDIA_TYPE = "text/plain; charset=UTF-8";
    private static final String JSON = "application/json";
    /** Answers are kept as transport proof, so they are held to the proof's limit. */
    private static final int MAX_ANSWER_BYTES = TransportProof.MAX_BYTES;
    private static final int MAX_ERROR_TEXT = 300;

    private final LoopbackSettings settings;
    private final String peer;
    private final String base;
    private final ChannelDescription description;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final ObjectMapper json = JsonMapper.builder().build();
    private volatile ChannelContext context;
    private volatile boolean closed;

    LoopbackAdapter(LoopbackSettings settings) {
        this.settings = settings;
        URI endpoint = settings.endpoint();
        int port = endpoint.getPort() >= 0 ? endpoint.getPort()
                : endpoint.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        this.peer = endpoint.getHost() + ":" + port;
        String text = endpoint.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.description = new ChannelDescription(CHANNEL, DISPLAY_NAME,
                Set.of(DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT), settings.maxMessageBytes());
        AtomicInteger threads = new AtomicInteger();
        this.httpThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "loopback-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                // the peer is reached directly; a proxy configured for the JVM must not sit in between
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpThreads)
                .build();
    }

    @Override
    public void start(ChannelContext context) {
        this.context = context;
    }

    @Override
    public ChannelDescription describe() {
        return description;
    }

    @Override
    public AddressCheck checkAddress(String address) {
        return LoopbackAddresses.check(address, settings.domain());
    }

    /** All mailboxes live on one peer, so one circuit breaker: the endpoint's {@code host:port}. */
    @Override
    public String peerOf(ChannelAddress recipient) {
        return peer;
    }

    // --- dispatch

    @Override
    public DispatchResult dispatch(OutboundEnvelope envelope) throws TransportException {
        ChannelContext started = started();
        String mailbox = deliverableMailbox(envelope.recipient());
        List<Upload.Part> parts = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        ContentDigester bodyDigest = new ContentDigester();
        parts.add(new Upload.Part(BODY_NAME, BODY_MEDIA_TYPE, measure(envelope, bodyDigest), envelope.body()));
        digests.add(bodyDigest.hex());
        for (OutboundAttachment attachment : envelope.attachments()) {
            parts.add(new Upload.Part(attachment.fileName(), attachment.mediaType(), attachment.size(),
                    attachment.content()));
            digests.add(attachment.sha256());
        }
        Upload upload = new Upload(parts);
        long total = upload.totalBytes();
        if (total > settings.maxMessageBytes()) {
            throw new PermanentTransportException("message of " + total + " bytes exceeds the loopback channel's"
                    + " limit of " + settings.maxMessageBytes() + " bytes");
        }

        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/mailboxes/" + HeaderText.encode(mailbox)
                        + "/messages"))
                .header("Content-Type", "application/octet-stream")
                .header("X-Delivery-Id", envelope.deliveryId())
                .header("X-Message-Id", envelope.messageId())
                .header("X-Attempt", Integer.toString(envelope.attempt()))
                .header("X-Node", started.nodeId())
                .header("X-Sender", envelope.senderAddress().address())
                .header("X-Subject", HeaderText.encode(envelope.subject()))
                .header("X-Parts", partsHeader(parts))
                .POST(total == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        // a known length: the peer can refuse a wrong size early, and a short stream fails here
                        : HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(upload::open), total));
        if (envelope.reference() != null) {
            request.header("X-Reference", HeaderText.encode(envelope.reference()));
        }
        HttpResponse<byte[]> response = awaitAnswer(
                http.sendAsync(request.build(), BoundedBody.handler(MAX_ANSWER_BYTES)), upload);
        int status = response.statusCode();
        if (status != 200 && status != 201) {
            throw refusal(response);
        }
        return delivered(response, parts, digests);
    }

    private String deliverableMailbox(ChannelAddress recipient) throws PermanentTransportException {
        AddressCheck check = checkAddress(recipient.address());
        if (!check.isValid()) {
            throw new PermanentTransportException("cannot deliver to " + recipient + ": " + check.problem());
        }
        if (LoopbackAddresses.isGatewayParticipant(check.normalized())) {
            throw new PermanentTransportException(recipient + " is a gateway participant; the loopback peer only"
                    + " delivers to its own mailboxes at " + settings.domain());
        }
        return LoopbackAddresses.mailbox(check.normalized());
    }

    /**
     * The body's size, for {@code X-Parts}, by reading it once; its digest comes along. Bodies are small text,
     * so reading one twice is cheaper than holding it.
     */
    private static long measure(OutboundEnvelope envelope, ContentDigester digester)
            throws TransientTransportException {
        try (InputStream body = digester.watch(envelope.body().open())) {
            return body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new TransientTransportException("cannot read the body of delivery " + envelope.deliveryId()
                    + ": " + e.getMessage(), e);
        }
    }

    private static String partsHeader(List<Upload.Part> parts) {
        List<String> entries = new ArrayList<>();
        for (Upload.Part part : parts) {
            entries.add(HeaderText.encode(part.name()) + ";" + HeaderText.encode(part.mediaType()) + ";"
                    + part.size());
        }
        return String.join(",", entries);
    }

    /**
     * Waits for the peer's answer as long as the transfer keeps moving: the deadline is {@code timeout} after the
     * last body byte was taken, so only silence fails a dispatch, not size.
     */
    private HttpResponse<byte[]> awaitAnswer(CompletableFuture<HttpResponse<byte[]>> answer, Upload upload)
            throws TransportException {
        long timeoutNanos = settings.timeout().toNanos();
        try {
            while (true) {
                long left = timeoutNanos - upload.nanosSinceProgress();
                if (left <= 0) {
                    answer.cancel(true);
                    throw new TransientTransportException(upload.finished()
                            ? "loopback peer " + peer + " did not answer within " + settings.timeout()
                                    + " after the message was sent"
                            : "loopback peer " + peer + " took no data for " + settings.timeout()
                                    + " while the message was being sent");
                }
                try {
                    return answer.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // Not a failure yet: the body may have moved meanwhile, which moves the deadline. Look again.
                }
            }
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransientTransportException("interrupted while dispatching to loopback peer " + peer, e);
        } catch (ExecutionException e) {
            IOException content = upload.contentFailure();
            if (content instanceof Upload.SizeMismatchException) {
                throw new PermanentTransportException("the delivery's content does not match its declared size: "
                        + content.getMessage(), content);
            }
            if (content != null) {
                throw new TransientTransportException("cannot read the delivery's content: " + content.getMessage(),
                        content);
            }
            throw transportFailure(e.getCause(), "dispatch");
        }
    }

    private DispatchResult delivered(HttpResponse<byte[]> response, List<Upload.Part> parts, List<String> digests)
            throws TransportException {
        JsonNode answer = parseAnswer(response);
        String transportId = text(answer, "transportId");
        Instant receivedAt = instant(answer, "receivedAt");
        if (transportId == null || transportId.isBlank() || receivedAt == null) {
            throw new TransientTransportException("loopback peer " + peer + " answered " + response.statusCode()
                    + " without a transport id and time: " + errorText(response.body()));
        }
        JsonNode received = answer.path("parts");
        // The peer digests what it received; a difference means the content was changed on the way.
        for (int i = 0; i < parts.size(); i++) {
            String theirs = text(received.path(i), "sha256");
            if (theirs == null || !theirs.equalsIgnoreCase(digests.get(i))) {
                throw new PermanentTransportException("loopback peer " + peer + " received part '"
                        + parts.get(i).name() + "' with SHA-256 " + theirs + ", the gateway sent " + digests.get(i));
            }
        }
        return DispatchResult.delivered(transportId, receivedAt,
                new TransportProof(JSON, response.body(), Assurance.UNAUTHENTICATED));
    }

    // --- poll

    /**
     * Fetches the peer's queue once and hands each item to the sink. An item is deleted on the peer only after the
     * sink returned; if the sink throws, that item and the rest stay queued and come again with the next poll.
     */
    @Override
    public void poll() throws TransportException {
        ChannelContext started = started();
        HttpResponse<byte[]> response = exchange(
                HttpRequest.newBuilder(uri("/outbound?limit=" + settings.pollLimit())).GET(), "fetching the queue");
        if (response.statusCode() != 200) {
            throw refusal(response);
        }
        JsonNode items = parseAnswer(response).path("items");
        if (!items.isArray()) {
            throw new TransientTransportException("loopback peer " + peer + " answered the queue without items: "
                    + errorText(response.body()));
        }
        for (JsonNode item : items) {
            String id = text(item, "id");
            if (id == null || id.isBlank()) {
                throw new PermanentTransportException("loopback peer " + peer + " offered an item without an id: "
                        + item);
            }
            hand(started, id, item);
            acknowledge(id);
        }
    }

    private void hand(ChannelContext started, String id, JsonNode item) {
        String kind = text(item, "kind");
        List<PartInfo> parts = null;
        try {
            if ("message".equals(kind)) {
                parts = parts(item);
                started.inbound().accept(inboundMessage(started, id, item, parts));
            } else if ("receipt".equals(kind)) {
                started.inbound().receipt(receipt(item));
            } else {
                throw new UnusableItem("unknown item kind '" + kind + "'");
            }
        } catch (UnusableItem e) {
            started.inbound().quarantine(new QuarantinedMessage(id, "loopback peer " + peer + " offered an unusable "
                    + (kind == null ? "item" : kind) + ": " + e.getMessage(), started.clock().instant(),
                    raw(id, item, parts)));
        }
    }

    private InboundMessage inboundMessage(ChannelContext started, String id, JsonNode item, List<PartInfo> parts)
            throws UnusableItem {
        ChannelAddress from = address(item, "from");
        ChannelAddress to = address(item, "to");
        if (!LoopbackAddresses.isGatewayParticipant(to.address())) {
            throw new UnusableItem("recipient " + to + " is not a gateway participant (<participant>@"
                    + LoopbackAddresses.GATEWAY_DOMAIN + ")");
        }
        String subject = text(item, "subject");
        if (subject == null) {
            throw new UnusableItem("it has no subject");
        }
        if (parts.isEmpty() || parts.get(0).index() != 0) {
            throw new UnusableItem("it has no body (part 0)");
        }
        List<InboundPart> attachments = new ArrayList<>();
        for (PartInfo part : parts.subList(1, parts.size())) {
            attachments.add(new InboundPart(part.name(), part.mediaType(), partSource(id, part)));
        }
        return new InboundMessage(id, from, to, subject, partSource(id, parts.get(0)), started.clock().instant(),
                item.path("receiptWanted").asBoolean(false), SignatureCheck.unsigned(), attachments);
    }

    private TransportReceipt receipt(JsonNode item) throws UnusableItem {
        String transportId = text(item, "transportId");
        if (transportId == null || transportId.isBlank()) {
            throw new UnusableItem("it names no transport id");
        }
        TransportReceipt.Event event;
        try {
            event = TransportReceipt.Event.valueOf(String.valueOf(text(item, "event")));
        } catch (IllegalArgumentException e) {
            throw new UnusableItem("unknown receipt event '" + text(item, "event") + "'");
        }
        Instant at = instant(item, "at");
        if (at == null) {
            throw new UnusableItem("it has no valid time 'at'");
        }
        String reason = text(item, "reason");
        if (event == TransportReceipt.Event.FAILED && (reason == null || reason.isBlank())) {
            throw new UnusableItem("a FAILED receipt without a reason");
        }
        // The peer lists several items in one answer, so the proof is this item re-serialised from what was parsed.
        TransportProof proof = new TransportProof(JSON, json.writeValueAsBytes(item), Assurance.UNAUTHENTICATED);
        return new TransportReceipt(CHANNEL, transportId, event, at, reason, proof);
    }

    /** What the queue says about one part of a message item. */
    private record PartInfo(int index, String name, String mediaType, long size, String sha256) {
    }

    private static List<PartInfo> parts(JsonNode item) throws UnusableItem {
        TreeMap<Integer, PartInfo> parts = new TreeMap<>();
        for (JsonNode part : item.path("parts")) {
            JsonNode index = part.path("index");
            JsonNode size = part.path("size");
            String name = text(part, "name");
            String mediaType = text(part, "mediaType");
            if (!index.isIntegralNumber() || !size.isIntegralNumber() || size.longValue() < 0 || name == null
                    || mediaType == null) {
                throw new UnusableItem("part " + part + " lacks an index, a name, a media type or a size");
            }
            parts.put(index.intValue(), new PartInfo(index.intValue(), name, mediaType, size.longValue(),
                    text(part, "sha256")));
        }
        return new ArrayList<>(parts.values());
    }

    private ChannelAddress address(JsonNode item, String field) throws UnusableItem {
        String value = text(item, field);
        AddressCheck check = checkAddress(value);
        if (!check.isValid()) {
            throw new UnusableItem("'" + field + "': " + check.problem());
        }
        return new ChannelAddress(CHANNEL, check.normalized());
    }

    /** A part's content, fetched from the peer each time it is opened and checked against size and digest. */
    private ContentSource partSource(String id, PartInfo part) {
        return () -> openPart(id, part);
    }

    private InputStream openPart(String id, PartInfo part) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri("/outbound/" + HeaderText.encode(id) + "/parts/"
                + part.index())).timeout(settings.timeout()).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while fetching part "
                    + part.index() + " of loopback item " + id);
            interrupted.initCause(e);
            throw interrupted;
        }
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new IOException("loopback peer " + peer + " answered " + response.statusCode() + " for part "
                        + part.index() + " of item " + id + ": " + errorText(body.readNBytes(MAX_ERROR_TEXT * 4)));
            }
        }
        return new VerifiedPartStream(response.body(), "part " + part.index() + " of loopback item " + id,
                part.size(), part.sha256());
    }

    /**
     * The quarantined item as received: its JSON on the first line, then (when the item listed its parts readably)
     * the parts' bytes in order, fetched from the peer while the sink reads, so nothing is lost once it is deleted.
     */
    private ContentSource raw(String id, JsonNode item, List<PartInfo> parts) {
        byte[] itemJson = (json.writeValueAsString(item) + "\n").getBytes(StandardCharsets.UTF_8);
        List<Upload.Part> content = new ArrayList<>();
        content.add(new Upload.Part("item", JSON, itemJson.length, () -> new ByteArrayInputStream(itemJson)));
        if (parts != null) {
            for (PartInfo part : parts) {
                content.add(new Upload.Part(part.name(), part.mediaType(), part.size(), partSource(id, part)));
            }
        }
        return () -> new Upload(content).open();
    }

    private void acknowledge(String id) throws TransportException {
        HttpResponse<byte[]> response = exchange(
                HttpRequest.newBuilder(uri("/outbound/" + HeaderText.encode(id))).DELETE(), "deleting item " + id);
        int status = response.statusCode();
        // 404: already gone, which is what deleting wants
        if (status / 100 != 2 && status != 404) {
            throw refusal(response);
        }
    }

    /** Something in the queue that cannot become a message or receipt: it is quarantined with this reason. */
    private static final class UnusableItem extends Exception {
        UnusableItem(String reason) {
            super(reason);
        }
    }

    // --- retrieval receipts

    @Override
    public void confirmRetrieval(RetrievalConfirmation confirmation) throws TransportException {
        started();
        ObjectNode receipt = json.createObjectNode()
                .put("transportId", confirmation.transportId())
                .put("from", confirmation.recipient().address())
                .put("to", confirmation.sender().address())
                .put("retrievedAt", confirmation.retrievedAt().toString());
        HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(uri("/receipts"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(receipt))),
                "sending the retrieval receipt for " + confirmation.transportId());
        if (response.statusCode() / 100 != 2) {
            throw refusal(response);
        }
    }

    // --- shutdown

    /** Stops the client's threads. (HttpClient.close() exists only from JDK 21; the client itself is dropped.) */
    @Override
    public void close() {
        closed = true;
        context = null;
        httpThreads.shutdownNow();
    }

    // --- HTTP helpers

    /** One small request with the JDK's request timeout; failures to reach the peer become transient. */
    private HttpResponse<byte[]> exchange(HttpRequest.Builder request, String what) throws TransientTransportException {
        try {
            return http.send(request.timeout(settings.timeout()).build(), BoundedBody.handler(MAX_ANSWER_BYTES));
        } catch (IOException e) {
            throw transportFailure(e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientTransportException("interrupted while " + what + " at loopback peer " + peer, e);
        }
    }

    private TransientTransportException transportFailure(Throwable cause, String what) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new TransientTransportException("could not connect to loopback peer " + peer + " within "
                    + settings.timeout() + " (" + what + ")", cause);
        }
        if (cause instanceof ConnectException) {
            return new TransientTransportException("cannot connect to loopback peer " + peer + " (" + what + "): "
                    + (cause.getMessage() == null ? "connection refused" : cause.getMessage()), cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new TransientTransportException("loopback peer " + peer + " did not answer within "
                    + settings.timeout() + " (" + what + ")", cause);
        }
        return new TransientTransportException("exchange with loopback peer " + peer + " failed (" + what + "): "
                + cause, cause);
    }

    /**
     * An answer that is not success: overload and server trouble may pass (transient, honouring Retry-After); a
     * refusal of the request itself will not (permanent, with the peer's own words).
     */
    private TransportException refusal(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String message = "loopback peer " + peer + " answered " + status + ": " + errorText(response.body());
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientTransportException(message, retryAfter(response.headers()), null);
        }
        if (status >= 400) {
            return new PermanentTransportException(message);
        }
        return new TransientTransportException("unexpected answer: " + message);
    }

    private Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            // not seconds: it may be an HTTP date instead
        }
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(started().clock().instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null; // unreadable: the gateway's own backoff applies
        }
    }

    private JsonNode parseAnswer(HttpResponse<byte[]> response) throws TransientTransportException {
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new TransientTransportException("loopback peer " + peer + " answered " + response.statusCode()
                    + " with unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The peer's {@code {"error": …}} text, or the start of whatever it sent. */
    private String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "(no details)";
        }
        try {
            JsonNode answer = json.readTree(body);
            String error = text(answer, "error");
            if (error != null) {
                return error;
            }
        } catch (JacksonException e) {
            // not JSON: fall back to the text itself
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null; // callers treat a missing and an unreadable time alike and say so
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private ChannelContext started() {
        ChannelContext current = context;
        if (closed) {
            throw new IllegalStateException("loopback adapter is closed");
        }
        if (current == null) {
            throw new IllegalStateException("loopback adapter used before start()");
        }
        return current;
    }
}
