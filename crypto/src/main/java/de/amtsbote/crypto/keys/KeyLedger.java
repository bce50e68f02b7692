package de.amtsbote.crypto.keys;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The life of each key of a vault — pending, active, overlap, retired, with the times — in a small properties file
 * next to the store. The store (file or token) holds keys and certificates; PKCS#11 offers no portable place for such
 * metadata, so both vaults keep it here, in the same form.
 *
 * <p>Changes are made under an exclusive lock (a {@code .lock} file, so the CLI and a running gateway do not lose each
 * other's changes) and written atomically; readers reload the file when it changed on disk.
 */
final class KeyLedger {

    private static final int FORMAT = 1;
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** One key's line in the ledger. */
    record Entry(KeyRef ref, KeyState state, Instant created, Duration overlap, Instant activated, Instant until,
                 Instant retired) {

        Entry {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(overlap, "overlap");
            if (state == KeyState.OVERLAP && until == null) {
                throw new IllegalArgumentException("key " + ref + " is in overlap without an end");
            }
        }

        static Entry pending(KeyRef ref, Instant created, Duration predecessorOverlap) {
            return new Entry(ref, KeyState.PENDING, created, predecessorOverlap, null, null, null);
        }

        /** The state at {@code now}: an overlap that has ended counts as retired. */
        KeyState stateAt(Instant now) {
            return state == KeyState.OVERLAP && !now.isBefore(until) ? KeyState.RETIRED : state;
        }

        Entry activate(Instant now) {
            return new Entry(ref, KeyState.ACTIVE, created, overlap, now, null, null);
        }

        Entry overlapUntil(Instant end) {
            return new Entry(ref, KeyState.OVERLAP, created, overlap, activated, end, null);
        }

        Entry retire(Instant now) {
            return new Entry(ref, KeyState.RETIRED, created, overlap, activated, until, now);
        }
    }

    private final Path file;
    private final String storeDescription;
    private Map<String, Entry> entries = Map.of();
    private Version version;

    private record Version(Object fileKey, long modified, long size) {
    }

    private KeyLedger(Path file, String storeDescription) {
        this.file = file.toAbsolutePath().normalize();
        this.storeDescription = storeDescription;
    }

    static KeyLedger open(Path file, String storeDescription) throws KeyVaultException {
        KeyLedger ledger = new KeyLedger(file, storeDescription);
        ledger.refresh();
        return ledger;
    }

    Path file() {
        return file;
    }

    /** Reloads the ledger if the file changed since it was last read; true if it did. */
    synchronized boolean refresh() throws KeyVaultException {
        Version now = currentVersion();
        if (Objects.equals(now, version) && now != null) {
            return false;
        }
        if (now == null) {
            boolean changed = !entries.isEmpty();
            entries = Map.of();
            version = null;
            return changed;
        }
        try {
            entries = parse(Files.readString(file, StandardCharsets.UTF_8));
            version = now;
            return true;
        } catch (NoSuchFileException e) {
            entries = Map.of();
            version = null;
            return true;
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "the key ledger " + file
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The entries by key id, oldest first. */
    synchronized Map<String, Entry> entries() {
        return entries;
    }

    /** Replaces the ledger's content on disk; call only while holding {@link #lock()}. */
    synchronized void write(Map<String, Entry> newEntries) throws KeyVaultException {
        try {
            AtomicFiles.write(file, format(newEntries).getBytes(StandardCharsets.UTF_8));
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(newEntries));
            version = currentVersion();
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "the key ledger " + file
                    + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Exclusive access to ledger and store, across threads of this process and across processes. */
    Lock lock() throws KeyVaultException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        jvmLock.lock();
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(jvmLock, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException closing) {
                e.addSuppressed(closing);
            } finally {
                jvmLock.unlock();
            }
            throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "cannot lock " + lockFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** Held while a change to ledger and store is made. */
    static final class Lock implements AutoCloseable {
        private final ReentrantLock jvmLock;
        private final FileChannel channel;
        private final FileLock fileLock;

        private Lock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
            this.jvmLock = jvmLock;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() throws KeyVaultException {
            try {
                fileLock.release();
                channel.close();
            } catch (IOException e) {
                throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "cannot release the ledger lock: "
                        + e.getMessage(), e);
            } finally {
                jvmLock.unlock();
            }
        }
    }

    private Version currentVersion() throws KeyVaultException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            // an atomic rename gives the file a new inode, so the file key changes with every write
            return new Version(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "the key ledger " + file
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    private String format(Map<String, Entry> all) {
        StringBuilder b = new StringBuilder();
        b.append("# Amtsbote key ledger for ").append(storeDescription.replace('\n', ' ')).append('\n');
        b.append("# The life of each key (PENDING, ACTIVE, OVERLAP, RETIRED). Written by Amtsbote under a lock;\n");
        b.append("# edit by hand only while no Amtsbote process runs.\n");
        b.append("ledger.format=").append(FORMAT).append('\n');
        for (Entry e : all.values()) {
            Map<String, String> fields = new TreeMap<>();
            fields.put("owner", e.ref().owner());
            fields.put("purpose", e.ref().purpose().name());
            fields.put("state", e.state().name());
            fields.put("created", e.created().toString());
            fields.put("overlap", e.overlap().toString());
            if (e.activated() != null) {
                fields.put("activated", e.activated().toString());
            }
            if (e.until() != null) {
                fields.put("until", e.until().toString());
            }
            if (e.retired() != null) {
                fields.put("retired", e.retired().toString());
            }
            b.append('\n');
            fields.forEach((k, v) -> b.append("key.").append(e.ref().id()).append('.').append(k).append('=')
                    .append(v).append('\n'));
        }
        return b.toString();
    }

    private Map<String, Entry> parse(String text) throws KeyVaultException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw inconsistent("is not a properties file: " + e.getMessage());
        }
        String format = p.getProperty("ledger.format");
        if (!String.valueOf(FORMAT).equals(format)) {
            throw inconsistent("has format " + format + "; this version reads format " + FORMAT);
        }
        Map<String, Map<String, String>> byId = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.equals("ledger.format")) {
                continue;
            }
            int dot = name.lastIndexOf('.');
            if (!name.startsWith("key.") || dot <= 4) {
                throw inconsistent("has an unknown line " + name);
            }
            byId.computeIfAbsent(name.substring(4, dot), k -> new TreeMap<>()).put(name.substring(dot + 1),
                    p.getProperty(name));
        }
        java.util.List<Entry> parsed = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : byId.entrySet()) {
            parsed.add(entry(e.getKey(), e.getValue()));
        }
        parsed.sort((a, b) -> a.created().compareTo(b.created()));
        Map<String, Entry> result = new LinkedHashMap<>();
        parsed.forEach(e -> result.put(e.ref().id(), e));
        return Collections.unmodifiableMap(result);
    }

    private Entry entry(String id, Map<String, String> f) throws KeyVaultException {
        try {
            return new Entry(new KeyRef(f.get("owner"), KeyPurpose.valueOf(f.get("purpose")), id),
                    KeyState.valueOf(f.get("state")), Instant.parse(f.get("created")),
                    Duration.parse(f.get("overlap")), instant(f.get("activated")), instant(f.get("until")),
                    instant(f.get("retired")));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "the key ledger " + file
                    + " has a broken entry for key " + id + ": " + f, e);
        }
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }

    private KeyVaultException inconsistent(String what) {
        return new KeyVaultException(KeyVaultException.Reason.STORE_FAILURE, "the key ledger " + file + " " + what);
    }
}
