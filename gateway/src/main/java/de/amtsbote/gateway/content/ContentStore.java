package de.amtsbote.gateway.content;

import de.amtsbote.crypto.content.ContentCipher;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.support.Ids;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Message content on disk, encrypted at rest. Content goes in and out as streams and is never held whole in
 * memory: the plaintext passes a digester and the cipher on its way to the file.
 *
 * <p>Files are written before the database row that refers to them commits. A submission that fails removes its
 * files; one interrupted by a crash leaves orphans that {@link ContentSweeper} removes.
 */
@Component
public class ContentStore {

    private static final Logger log = LoggerFactory.getLogger(ContentStore.class);

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final ContentCipher cipher;
    private final Ids ids;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final boolean fsync;

    public ContentStore(ContentProperties properties, ContentCipher cipher, Ids ids, JdbcClient jdbc, Clock clock) {
        this.root = Objects.requireNonNull(properties.directory(), "amtsbote.content.directory").toAbsolutePath();
        this.cipher = cipher;
        this.ids = ids;
        this.jdbc = jdbc;
        this.clock = clock;
        this.fsync = properties.fsync();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the content store at " + root, e);
        }
    }

    /**
     * Streams {@code in} into a new item. Throws {@link ContentTooLargeException} (and keeps nothing) as soon as
     * more than {@code maxBytes} arrive.
     */
    public StoredContent write(InputStream in, long maxBytes) throws IOException {
        String id = ids.next();
        Path file = pathOf(id);
        Files.createDirectories(file.getParent());
        ContentDigester digester = new ContentDigester();
        boolean complete = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream toFile = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the channel is closed (after fsync) by the outer try
                }
            };
            try (OutputStream out = digester.watch(cipher.encrypt(toFile, id))) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (digester.bytes() + n > maxBytes) {
                        throw new ContentTooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (fsync) {
                channel.force(true);
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
        return new StoredContent(id, digester.bytes(), digester.hex());
    }

    /** Records an item in the caller's transaction: it is kept if, and only if, that transaction commits. */
    public void register(StoredContent content) {
        jdbc.sql("insert into content (id, size, sha256, created_at) values (:id, :size, :sha256, :now)")
                .param("id", content.id()).param("size", content.size()).param("sha256", content.sha256())
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
    }

    /** The plaintext of an item; reading fails with {@code ContentIntegrityException} if the file was altered. */
    public InputStream open(String id) throws IOException {
        try {
            return cipher.decrypt(Files.newInputStream(pathOf(id)), id);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("content " + id + " is missing from the content store " + root);
        }
    }

    public void delete(String id) throws IOException {
        Files.deleteIfExists(pathOf(id));
    }

    /**
     * Removes content that was written but not accepted after all. If the file system refuses now, the file is an
     * orphan without a database row, and {@link ContentSweeper} removes it later; the caller's own outcome stands.
     */
    public void discard(String id) {
        try {
            delete(id);
        } catch (IOException e) {
            log.warn("could not remove unaccepted content {} now, the sweeper will: {}", id, e.toString());
        }
    }

    public Path root() {
        return root;
    }

    Path pathOf(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a content id: " + id);
        }
        // the last characters of a UUIDv7 are random: they spread files evenly over 256 folders
        return root.resolve(id.substring(34, 36)).resolve(id);
    }
}
