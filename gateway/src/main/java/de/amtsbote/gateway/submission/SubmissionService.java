package de.amtsbote.gateway.submission;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.content.ContentManifest;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.content.ContentTooLargeException;
import de.amtsbote.gateway.content.StoredContent;
import de.amtsbote.gateway.messages.MessageRepository;
import de.amtsbote.gateway.outbox.WorkRunner;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.gateway.routing.Route;
import de.amtsbote.gateway.routing.Router;
import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.security.CurrentClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadFileCountLimitException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.stereotype.Service;

/**
 * Takes a submission off the wire. The request is read as a stream, part by part, in one pass:
 *
 * <ol>
 *   <li>the envelope (which must be the first part) is checked, the sender's permission and every recipient's
 *       route are decided — all before a byte of content is stored, so most refusals cost nothing;
 *   <li>each attachment streams into the content store (digest and encryption on the way), within the size limit;
 *   <li>one transaction accepts the message ({@link Acceptance}).
 * </ol>
 *
 * Whatever refuses the submission after content was stored removes that content again: a refused request leaves
 * nothing behind.
 */
@Service
public class SubmissionService {

    private static final Logger log = LoggerFactory.getLogger(SubmissionService.class);
    private static final String ENVELOPE = "envelope";
    private static final String ATTACHMENT = "attachment";
    private static final int MAX_FILE_NAME = 255;
    /** Room for multipart boundaries and part headers on top of the content limit. */
    private static final long FRAMING_ALLOWANCE = 1 << 20;
    private static final long DRAIN_LIMIT = 8L << 20;

    private final EnvelopeReader envelopes;
    private final ParticipantDirectory participants;
    private final Router router;
    private final ContentStore content;
    private final MessageRepository messages;
    private final Acceptance acceptance;
    private final WorkRunner runner;
    private final SubmissionProperties limits;
    private final MeterRegistry meters;

    SubmissionService(EnvelopeReader envelopes, ParticipantDirectory participants, Router router, ContentStore content,
                      MessageRepository messages, Acceptance acceptance, WorkRunner runner,
                      SubmissionProperties limits, MeterRegistry meters) {
        this.envelopes = envelopes;
        this.participants = participants;
        this.router = router;
        this.content = content;
        this.messages = messages;
        this.acceptance = acceptance;
        this.runner = runner;
        this.limits = limits;
        this.meters = meters;
    }

    /** The outcome: the message id, and whether it is new (202) or a replay of an earlier submission (200). */
    public record Outcome(String messageId, boolean created) {
    }

    public Outcome submit(HttpServletRequest request, String idempotencyHeader) throws IOException {
        ClientSystem client = CurrentClient.get();
        String key = IdempotencyKey.parse(idempotencyHeader);
        if (!JakartaServletFileUpload.isMultipartContent(request)
                || !String.valueOf(request.getContentType()).toLowerCase().startsWith("multipart/form-data")) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "a submission is multipart/form-data with a "
                    + "part 'envelope' and zero or more parts 'attachment'; got " + request.getContentType());
        }
        long maxContent = limits.maxMessageSize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > maxContent + limits.maxEnvelopeSize().toBytes() + FRAMING_ALLOWANCE) {
            throw tooLarge(maxContent);
        }
        JakartaServletFileUpload<?, ?> upload = new JakartaServletFileUpload<>();
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        upload.setMaxFileCount(limits.maxAttachments() + 1L);
        upload.setMaxPartHeaderSize(16 * 1024);
        try {
            return read(upload.getItemIterator(request), client, key, maxContent);
        } catch (FileUploadFileCountLimitException e) {
            throw drained(request, new ApiException(ProblemType.MESSAGE_TOO_LARGE, "more than "
                    + limits.maxAttachments() + " attachments").with("limit", limits.maxAttachments()));
        } catch (FileUploadException e) {
            throw drained(request, new ApiException(ProblemType.MALFORMED_REQUEST, "the multipart body is malformed: "
                    + e.getMessage()));
        } catch (ApiException e) {
            throw drained(request, e);
        }
    }

    /**
     * Reads and discards what is left of a refused request body, up to {@value #DRAIN_LIMIT} bytes, so that a client
     * still sending gets to read the problem document: Tomcat closes the connection under a client that is still
     * sending (for a 413 always), which most HTTP clients report as a reset, not as the answer. Bodies refused
     * before they were read are not drained; clients avoid sending those by asking {@code Expect: 100-continue}.
     */
    private static ApiException drained(HttpServletRequest request, ApiException refusal) {
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending; the refusal is what matters and is answered as far as the connection allows
            log.debug("client went away while the rest of a refused submission was drained: {}", e.toString());
        }
        return refusal;
    }

    private Outcome read(FileItemInputIterator parts, ClientSystem client, String key, long maxContent)
            throws IOException {
        if (!parts.hasNext()) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request has no parts; the first part must be '"
                    + ENVELOPE + "'");
        }
        FileItemInput first = parts.next();
        if (!ENVELOPE.equals(first.getFieldName())) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the first part must be '" + ENVELOPE + "', got '"
                    + first.getFieldName() + "'");
        }
        Envelope envelope;
        try (InputStream in = first.getInputStream()) {
            envelope = envelopes.read(in);
        }
        CurrentClient.actingFor(envelope.sender());
        Participant sender = participants.find(envelope.sender()).filter(Participant::own)
                .orElseThrow(() -> new ApiException(ProblemType.FORBIDDEN, "participant '" + envelope.sender()
                        + "' is not served by this gateway").with("participant", envelope.sender()));
        // a repeated submission is answered for what was accepted then, even if routing would differ today
        Optional<MessageRepository.Submitted> earlier = messages.findByIdempotencyKey(client.id(), key);
        List<Route> routes = earlier.isPresent() ? List.of()
                : router.resolve(sender, envelope.recipients(), envelope.options());
        List<StoredContent> written = new ArrayList<>();
        boolean accepted = false;
        try {
            byte[] bodyBytes = envelope.body().getBytes(StandardCharsets.UTF_8);
            StoredContent body = earlier.isPresent() ? digestOnly(new ByteArrayInputStream(bodyBytes), maxContent)
                    : content.write(new ByteArrayInputStream(bodyBytes), maxContent);
            if (earlier.isEmpty()) {
                written.add(body);
            }
            long remaining = maxContent - body.size();
            List<Acceptance.Attachment> attachments = new ArrayList<>();
            int index = 0;
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                String where = "part " + (index + 2);
                if (!ATTACHMENT.equals(part.getFieldName())) {
                    throw new ApiException(ProblemType.MALFORMED_REQUEST, where + " is named '" + part.getFieldName()
                            + "'; after the envelope only parts named '" + ATTACHMENT + "' may follow");
                }
                String fileName = fileName(part, where);
                String mediaType = mediaType(part, where);
                StoredContent stored;
                try (InputStream in = part.getInputStream()) {
                    stored = earlier.isPresent() ? digestOnly(in, remaining) : content.write(in, remaining);
                } catch (ContentTooLargeException e) {
                    throw tooLarge(maxContent);
                }
                if (earlier.isEmpty()) {
                    written.add(stored);
                }
                remaining -= stored.size();
                attachments.add(new Acceptance.Attachment(fileName, mediaType, stored));
                index++;
            }
            ContentManifest manifest = new ContentManifest(envelope.subject(), body, attachments.stream()
                    .map(a -> new ContentManifest.Entry(a.fileName(), a.mediaType(), a.content().size(),
                            a.content().sha256())).toList());
            String fingerprint = fingerprint(envelope, manifest);
            if (earlier.isPresent()) {
                return replay(earlier.get(), fingerprint, key);
            }
            checkChannelLimits(routes, manifest.totalBytes());
            String messageId;
            try {
                messageId = acceptance.accept(client.id(), key, fingerprint, envelope, routes, body, attachments,
                        manifest);
            } catch (DuplicateKeyException e) {
                // another request with the same key committed between our lookup and our commit
                return replay(messages.findByIdempotencyKey(client.id(), key).orElseThrow(() -> e), fingerprint, key);
            }
            accepted = true;
            runner.wakeUp();
            meters.counter("amtsbote.messages.accepted").increment();
            log.info("accepted message {} from {} (client {}) for {} recipients, {} bytes", messageId, sender.id(),
                    client.id(), routes.size(), manifest.totalBytes());
            return new Outcome(messageId, true);
        } finally {
            if (!accepted) {
                written.forEach(c -> content.discard(c.id()));
            }
        }
    }

    private static Outcome replay(MessageRepository.Submitted earlier, String fingerprint, String key) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + key
                    + "' was used for message " + earlier.messageId() + " with other content")
                    .with("messageId", earlier.messageId());
        }
        return new Outcome(earlier.messageId(), false);
    }

    private void checkChannelLimits(List<Route> routes, long totalBytes) {
        for (Route r : routes) {
            if (totalBytes > r.maxBytes()) {
                throw new ApiException(ProblemType.RECIPIENT_UNREACHABLE, "recipient " + r.recipient()
                        + " cannot be reached: the message has " + totalBytes + " bytes, channel '"
                        + r.address().channel() + "' carries at most " + r.maxBytes())
                        .with("recipient", r.recipient()).with("limit", r.maxBytes());
            }
        }
    }

    /**
     * "Same content" for idempotency: the normalised envelope and the content manifest. A retry that formats its
     * JSON differently is still the same submission; a changed attachment or recipient is not.
     */
    private static String fingerprint(Envelope e, ContentManifest manifest) {
        String text = String.join("\n", "sender " + e.sender(), "recipients " + String.join(" ", e.recipients()),
                "reference " + e.reference(), "options " + new java.util.TreeSet<>(e.options()), manifest.text());
        return ContentDigester.hexOf(text.getBytes(StandardCharsets.UTF_8));
    }

    private static StoredContent digestOnly(InputStream in, long maxBytes) throws IOException {
        ContentDigester digester = new ContentDigester();
        try (InputStream watched = digester.watch(in)) {
            byte[] buffer = new byte[64 * 1024];
            while (watched.read(buffer) >= 0) {
                if (digester.bytes() > maxBytes) {
                    throw new ContentTooLargeException(maxBytes);
                }
            }
        }
        return new StoredContent(null, digester.bytes(), digester.hex());
    }

    private static String fileName(FileItemInput part, String where) {
        String name = part.getName();
        if (name == null || name.isBlank()) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, where + " (attachment) has no filename");
        }
        if (name.length() > MAX_FILE_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || name.contains("/") || name.contains("\\")) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, where + " has an unusable filename: at most "
                    + MAX_FILE_NAME + " characters, no control characters, no path separators");
        }
        return name;
    }

    private static String mediaType(FileItemInput part, String where) {
        String type = part.getContentType();
        if (type == null || type.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            return MediaType.parseMediaType(type).toString();
        } catch (InvalidMediaTypeException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, where + " has an invalid Content-Type '" + type + "'");
        }
    }

    private ApiException tooLarge(long limit) {
        return new ApiException(ProblemType.MESSAGE_TOO_LARGE, "the message exceeds the limit of " + limit
                + " bytes for body and attachments").with("limit", limit);
    }

}
