package de.amtsbote.adapter.mail;

import de.amtsbote.spi.TransientTransportException;
import java.io.IOException;
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

    /** Deletes a spool file; one that cannot be deleted is logged, not thrown, since its mail is already done. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "spool file " + file + " could not be deleted", e);
        }
    }
}
