package de.amtsbote.gateway.inbox;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.security.CurrentClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Received messages for the caller's participants: list, read, download content and transport proofs, acknowledge. */
@RestController
@Tag(name = "Inbox", description = "messages received for the caller's participants")
@RequestMapping("/api/v1/inbox")
class InboxController {

    private static final int MAX_LIMIT = 200;

    private final InboxService inbox;

    InboxController(InboxService inbox) {
        this.inbox = inbox;
    }

    /** Newest first. {@code next} is the link to the following page, absent on the last one. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Page list(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor,
              @RequestParam(defaultValue = "false") boolean unacknowledged) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        List<InboxMessage> items = inbox.page(CurrentClient.get(), unacknowledged, decode(cursor), limit);
        String next = null;
        if (items.size() == limit) {
            InboxMessage last = items.get(items.size() - 1);
            next = "/api/v1/inbox?limit=" + limit + "&unacknowledged=" + unacknowledged + "&cursor="
                    + encode(last.receivedAt(), last.id());
        }
        return new Page(items, next);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    InboxMessage get(@PathVariable String id) {
        return inbox.read(id, CurrentClient.get());
    }

    @GetMapping("/{id}/body")
    void body(@PathVariable String id, HttpServletResponse response) throws IOException {
        ClientSystem client = CurrentClient.get();
        try (InputStream in = inbox.body(id, client)) {
            response.setContentType("text/plain;charset=UTF-8");
            copy(in, response);
        }
    }

    /** The attachment decrypted, with its size and its SHA-256 (RFC 9530 Repr-Digest) so the client can check it. */
    @GetMapping("/{id}/attachments/{index}")
    void attachment(@PathVariable String id, @PathVariable int index, HttpServletResponse response) throws IOException {
        ClientSystem client = CurrentClient.get();
        InboxMessage message = inbox.visibleTo(id, client);
        InboxMessage.Attachment attachment = message.attachments().stream().filter(a -> a.index() == index).findFirst()
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "message " + id + " has no attachment " + index));
        try (InputStream in = inbox.attachment(id, index, client)) {
            response.setContentType(attachment.mediaType());
            response.setContentLengthLong(attachment.size());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                    .filename(attachment.fileName(), StandardCharsets.UTF_8).build().toString());
            response.setHeader("Repr-Digest", "sha-256=:" + Base64.getEncoder()
                    .encodeToString(HexFormat.of().parseHex(attachment.sha256())) + ":");
            copy(in, response);
        }
    }

    /**
     * A transport's proof about the message (De-Mail Eingangs- or Abholbestätigung) exactly as the transport gave it,
     * with its media type and its SHA-256 (RFC 9530 Repr-Digest); {@code index} as in the message's {@code proofs}.
     */
    @GetMapping("/{id}/proofs/{index}")
    void proof(@PathVariable String id, @PathVariable int index, HttpServletResponse response) throws IOException {
        InboxRepository.ProofContent proof = inbox.proof(id, index, CurrentClient.get());
        byte[] content = proof.content();
        response.setContentType(proof.mediaType());
        response.setContentLength(content.length);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("proof-" + index + (proof.mediaType().equalsIgnoreCase("message/rfc822") ? ".eml" : ""))
                .build().toString());
        response.setHeader("Repr-Digest", "sha-256=:" + Base64.getEncoder()
                .encodeToString(HexFormat.of().parseHex(ContentDigester.hexOf(content))) + ":");
        OutputStream out = response.getOutputStream();
        out.write(content);
        out.flush();
    }

    /** Idempotent: acknowledging again answers the same and sends no second receipt. */
    @PostMapping(path = "/{id}/ack", produces = MediaType.APPLICATION_JSON_VALUE)
    InboxMessage acknowledge(@PathVariable String id) {
        return inbox.acknowledge(id, CurrentClient.get());
    }

    private static void copy(InputStream in, HttpServletResponse response) throws IOException {
        OutputStream out = response.getOutputStream();
        in.transferTo(out);
        out.flush();
    }

    private static String encode(Instant at, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static InboxRepository.Cursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            return new InboxRepository.Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "cursor is not one this API handed out");
        }
    }

    record Page(List<InboxMessage> items, String next) {
    }
}
