package de.amtsbote.gateway.api;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every way the API can refuse a request. The {@link #uri()} of each is its stable {@code type} in RFC 9457
 * problem documents: client systems may switch on it. Listed with explanations in docs/api.md.
 */
public enum ProblemType {
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Not permitted"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request"),
    INVALID_ENVELOPE("invalid-envelope", HttpStatus.BAD_REQUEST, "Invalid envelope"),
    IDEMPOTENCY_KEY_MISSING("idempotency-key-missing", HttpStatus.BAD_REQUEST, "Idempotency-Key header missing"),
    IDEMPOTENCY_KEY_INVALID("idempotency-key-invalid", HttpStatus.BAD_REQUEST, "Idempotency-Key header invalid"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.CONFLICT, "Idempotency key used for other content"),
    RECIPIENT_UNREACHABLE("recipient-unreachable", HttpStatus.UNPROCESSABLE_CONTENT, "Recipient cannot be reached"),
    OPTION_NOT_SUPPORTED("option-not-supported", HttpStatus.UNPROCESSABLE_CONTENT, "Option not supported for recipient"),
    CERTIFICATE_REFUSED("certificate-refused", HttpStatus.UNPROCESSABLE_CONTENT, "Certificate or key refused"),
    MESSAGE_TOO_LARGE("message-too-large", HttpStatus.CONTENT_TOO_LARGE, "Message too large"),
    TRUST_ANCHOR_REFUSED("trust-anchor-refused", HttpStatus.UNPROCESSABLE_CONTENT, "Certificate cannot be a trust anchor"),
    TRUST_ANCHOR_CONFLICT("trust-anchor-conflict", HttpStatus.CONFLICT, "Trust anchors not changed"),
    UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private static final String PREFIX = "urn:amtsbote:problem:";

    private final String slug;
    private final HttpStatus status;
    private final String title;

    ProblemType(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(PREFIX + slug);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
