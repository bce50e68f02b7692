package de.amtsbote.adapter.bebpo;

import jakarta.mail.internet.MimeBodyPart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;

/**
 * An intermediary's answer as received: the SOAP envelope (parsed, not yet verified) and the MTOM parts by Content-ID,
 * read from the spool file the answer was written to. Close it to delete the file.
 */
final class OsciAnswer implements AutoCloseable {

    private final Document envelope;
    private final Map<String, MimeBodyPart> parts;
    private final Path file;
    private final AutoCloseable source;

    OsciAnswer(Document envelope, Map<String, MimeBodyPart> parts, Path file, AutoCloseable source) {
        this.envelope = envelope;
        this.parts = Map.copyOf(parts);
        this.file = file;
        this.source = source;
    }

    Document envelope() {
        return envelope;
    }

    /** The part with this Content-ID (without angle brackets), re-readable as often as needed. */
    Optional<Part> part(String contentId) {
        MimeBodyPart p = parts.get(contentId);
        return p == null ? Optional.empty() : Optional.of(() -> {
            try {
                return p.getInputStream();
            } catch (jakarta.mail.MessagingException e) {
                throw new IOException("MTOM part " + contentId + " cannot be read: " + e.getMessage(), e);
            }
        });
    }

    /** The answer's bytes exactly as received (for a quarantine). */
    InputStream raw() throws IOException {
        return Files.newInputStream(file);
    }

    Path file() {
        return file;
    }

    @FunctionalInterface
    interface Part {
        InputStream open() throws IOException;
    }

    @Override
    public void close() {
        try {
            if (source != null) {
                source.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("spool file " + file + " cannot be deleted", e);
        } catch (Exception e) {
            throw new IllegalStateException("answer " + file + " cannot be closed", e);
        }
    }
}
