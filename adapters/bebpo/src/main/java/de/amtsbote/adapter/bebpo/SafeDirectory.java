package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.pki.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SAFE-like directory (contract section 1): {@code GET <directory>/mailboxes/{id}}, JSON, 404 for an unknown
 * mailbox. Entries are cached for the configured time; {@link #cached} answers from the cache only, for callers that
 * must not do I/O.
 */
final class SafeDirectory {

    /** A directory entry is a few certificates; anything much larger is not one. */
    private static final int MAX_ENTRY_BYTES = 256 * 1024;

    private final URI base;
    private final HttpClient http;
    private final Duration ttl;
    private final Duration timeout;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(MailboxEntry entry, Instant until) {
    }

    SafeDirectory(URI base, HttpClient http, Duration ttl, Duration timeout, Clock clock) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.http = http;
        this.ttl = ttl;
        this.timeout = timeout;
        this.clock = clock;
    }

    URI base() {
        return base;
    }

    /** The cached entry, without I/O; empty when not cached or expired. */
    Optional<MailboxEntry> cached(String id) {
        Cached c = cache.get(id);
        return c == null ? Optional.empty() : Optional.of(c.entry());
    }

    /**
     * The mailbox's entry, from the cache or the directory.
     *
     * @throws UnknownMailboxException when the directory does not know it (404)
     * @throws DirectoryException      when the directory cannot be asked or answers something unusable
     */
    MailboxEntry lookup(String id) throws UnknownMailboxException, DirectoryException {
        Cached c = cache.get(id);
        if (c != null && clock.instant().isBefore(c.until())) {
            return c.entry();
        }
        MailboxEntry entry = fetch(id);
        cache.put(id, new Cached(entry, clock.instant().plus(ttl)));
        return entry;
    }

    /** Forgets an entry, so that the next lookup asks the directory (after a certificate was refused). */
    void forget(String id) {
        cache.remove(id);
    }

    private MailboxEntry fetch(String id) throws UnknownMailboxException, DirectoryException {
        URI uri = URI.create(base + "/mailboxes/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DirectoryException("the directory " + base + " did not answer within " + timeout
                    + " for mailbox " + id, e);
        } catch (IOException e) {
            throw new DirectoryException("the directory " + base + " cannot be reached for mailbox " + id + ": "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryException("interrupted while asking the directory for mailbox " + id, e);
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ENTRY_BYTES + 1);
            if (response.statusCode() == 404) {
                throw new UnknownMailboxException("the directory " + base + " knows no mailbox " + id);
            }
            if (response.statusCode() != 200) {
                throw new DirectoryException("the directory " + base + " answered HTTP " + response.statusCode()
                        + " for mailbox " + id);
            }
            if (bytes.length > MAX_ENTRY_BYTES) {
                throw new DirectoryException("the directory's entry for " + id + " is larger than "
                        + MAX_ENTRY_BYTES + " bytes");
            }
            return parse(id, json.readTree(bytes));
        } catch (IOException e) {
            throw new DirectoryException("the directory's answer for mailbox " + id + " cannot be read: " + e, e);
        } catch (JacksonException e) {
            throw new DirectoryException("the directory's entry for mailbox " + id + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private MailboxEntry parse(String id, JsonNode node) throws DirectoryException {
        if (node == null || !node.isObject()) {
            throw new DirectoryException("the directory's entry for mailbox " + id + " is not a JSON object");
        }
        String listed = string(node, "id", id);
        if (!id.equals(listed)) {
            throw new DirectoryException("the directory answered for mailbox " + listed + " when asked for " + id);
        }
        URI intermediary;
        try {
            intermediary = URI.create(required(node, "intermediary", id));
        } catch (IllegalArgumentException e) {
            throw new DirectoryException("the directory's intermediary URL of " + id + " is not a URL", e);
        }
        if (intermediary.getHost() == null || !(intermediary.getScheme().equalsIgnoreCase("http")
                || intermediary.getScheme().equalsIgnoreCase("https"))) {
            throw new DirectoryException("the directory's intermediary URL of " + id + " is not an http(s) URL: "
                    + intermediary);
        }
        JsonNode bebpo = node.get("bebpo");
        return new MailboxEntry(id, string(node, "name", id), bebpo != null && bebpo.asBoolean(false), intermediary,
                certificate(node, "intermediaryCertificate", id, true),
                certificate(node, "encryptionCertificate", id, false),
                certificate(node, "signatureCertificate", id, false),
                certificate(node, "originCertificate", id, false));
    }

    private static String string(JsonNode node, String field, String id) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? id : v.asString();
    }

    private static String required(JsonNode node, String field, String id) throws DirectoryException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isString() || v.asString().isBlank()) {
            throw new DirectoryException("the directory's entry for mailbox " + id + " lacks " + field);
        }
        return v.asString();
    }

    private static X509Certificate certificate(JsonNode node, String field, String id, boolean needed)
            throws DirectoryException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
            if (needed) {
                throw new DirectoryException("the directory's entry for mailbox " + id + " lacks " + field);
            }
            return null;
        }
        try {
            return Pem.readCertificate(v.asString());
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new DirectoryException("the directory's " + field + " of mailbox " + id
                    + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The directory cannot be asked now, or its answer is unusable. */
    static final class DirectoryException extends Exception {
        DirectoryException(String message) {
            super(message);
        }

        DirectoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The directory does not know the mailbox. */
    static final class UnknownMailboxException extends Exception {
        UnknownMailboxException(String message) {
            super(message);
        }
    }
}
