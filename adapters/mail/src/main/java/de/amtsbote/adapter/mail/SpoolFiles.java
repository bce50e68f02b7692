package de.amtsbote.adapter.mail;

import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.ContentSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary files of the mail channels: a mail being built, received or decrypted, deleted when it is done. */
public final class SpoolFiles {

    private static final System.Logger LOG = System.getLogger(SpoolFiles.class.getName());

    private SpoolFiles() {
    }

    /** A new file for an outbound mail; a full or unwritable spool is transient (an operator frees it). */
    public static Path create(Path spool, String prefix) throws TransientTransportException {
        try {
            return Files.createTempFile(spool, prefix, ".eml");
        } catch (IOException e) {
            throw new TransientTransportException("cannot create a spool file in " + spool + ": " + e.getMessage(), e);
        }
    }

    /** A spool file and how many bytes it holds. */
    public record Spooled(Path file, long size) {
    }

    /**
     * A new spool file with the bytes of a stored mail (a quarantined one, for its recheck). Content that cannot be
     * read, or a full spool, is transient; nothing is left behind then. The caller deletes the file when done.
     */
    public static Spooled copy(Path spool, String prefix, ContentSource source, String what)
            throws TransientTransportException {
        Path file = create(spool, prefix);
        try (InputStream in = source.open();
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            return new Spooled(file, in.transferTo(out));
        } catch (IOException e) {
            deleteQuietly(file);
            throw new TransientTransportException(what + " cannot be read into the spool: " + e.getMessage(), e);
        }
    }

    /** Deletes a spool file; one that cannot be deleted is logged, not thrown, since its mail is already done. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "spool file " + file + " could not be deleted", e);
        }
    }
}
