package de.amtsbote.gateway.submission;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;

/**
 * The {@code Idempotency-Key} header (IETF draft-ietf-httpapi-idempotency-key-header): required, because a client
 * that retries after a timeout must not send an official letter twice. The value may be an RFC 8941 string
 * ({@code "…"}) or a bare token; a UUID is the usual choice.
 */
final class IdempotencyKey {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX = 255;

    private IdempotencyKey() {
    }

    static String parse(String header) {
        if (header == null || header.isBlank()) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_MISSING, "submissions need an Idempotency-Key header "
                    + "(a UUID per message), so that a retried request is not sent twice");
        }
        String key = header.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > MAX) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_INVALID, "the Idempotency-Key must be 1-" + MAX
                    + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                throw new ApiException(ProblemType.IDEMPOTENCY_KEY_INVALID, "the Idempotency-Key may contain only "
                        + "visible ASCII characters other than quotes and backslashes");
            }
        }
        return key;
    }
}
