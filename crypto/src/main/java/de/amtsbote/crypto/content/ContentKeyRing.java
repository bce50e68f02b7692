package de.amtsbote.crypto.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The master keys for content at rest. Each key lives in its own file {@code <key-id>.key} (Base64 of 32 random
 * bytes) in one directory; every stored item names the key it was written with, so old keys keep decrypting after
 * a new one is added. New content uses the key whose id sorts last (ids are generated as {@code content-<utc time>}).
 *
 * <p>The key material never leaves this class except into the cipher; {@link #toString()} shows ids only.
 */
public final class ContentKeyRing {

    static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String SUFFIX = ".key";

    private final TreeMap<String, byte[]> keys;

    private ContentKeyRing(TreeMap<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a content key ring needs at least one key");
        }
        this.keys = keys;
    }

    /** A ring from keys given directly; for tests and for keys that come from a secret manager. */
    public static ContentKeyRing of(Map<String, byte[]> keys) {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        keys.forEach((id, key) -> copy.put(checkId(id), checkKey(id, key.clone())));
        return new ContentKeyRing(copy);
    }

    /**
     * Loads every {@code *.key} file of a directory. If the directory holds no key and {@code createIfEmpty} is set,
     * generates the first key there (readable by the owner only); otherwise an empty directory is an error, so a
     * production node never silently starts with a key of its own that its peers do not have.
     */
    public static ContentKeyRing load(Path directory, boolean createIfEmpty, Clock clock) {
        try {
            Files.createDirectories(directory);
            TreeMap<String, byte[]> keys = readAll(directory);
            if (keys.isEmpty()) {
                if (!createIfEmpty) {
                    throw new IllegalStateException("no content key (*.key) in " + directory.toAbsolutePath()
                            + "; create one with './amtsbote content-key new " + directory + "'");
                }
                generate(directory, clock);
                keys = readAll(directory);
            }
            return new ContentKeyRing(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read content keys from " + directory.toAbsolutePath(), e);
        }
    }

    /** Writes a new random key into the directory and returns its id; it becomes the current key. */
    public static String generate(Path directory, Clock clock) throws IOException {
        Files.createDirectories(directory);
        String id = "content-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(clock.instant().atOffset(ZoneOffset.UTC));
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path file = directory.resolve(id + SUFFIX);
        Path tmp = directory.resolve(id + SUFFIX + ".tmp");
        Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        ownerOnly(tmp);
        Files.move(tmp, file); // fails if the id exists: never overwrite a key that content depends on
        return id;
    }

    public String currentId() {
        return keys.lastKey();
    }

    public Set<String> ids() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    byte[] key(String id) {
        byte[] key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("content key '" + id + "' is not in the key ring " + ids());
        }
        return key;
    }

    @Override
    public String toString() {
        return "ContentKeyRing" + ids();
    }

    private static TreeMap<String, byte[]> readAll(Path directory) throws IOException {
        TreeMap<String, byte[]> keys = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))::iterator) {
                String name = file.getFileName().toString();
                String id = checkId(name.substring(0, name.length() - SUFFIX.length()));
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("content key file " + file + " is not Base64");
                }
                keys.put(id, checkKey(id, key));
            }
        }
        return keys;
    }

    private static String checkId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("content key id '" + id + "' must be 1-64 of [A-Za-z0-9._-]");
        }
        return id;
    }

    private static byte[] checkKey(String id, byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("content key '" + id + "' has " + key.length + " bytes, needs " + KEY_BYTES);
        }
        return key;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): rely on the directory's ACLs
        }
    }
}
