package de.amtsbote.adapter.bebpo;

import de.amtsbote.spi.ChannelMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message ids whose process cards are still of interest (stored, not yet retrieved), kept in the channel memory
 * under {@code pending:<node>}: the channel memory cannot list its keys, so the channel keeps its own small index.
 * Each node keeps its own (written under a lock in this process only), so that two nodes never overwrite each other's
 * index; a node polls the cards of what it sent. An index holds at most {@value #MAX_ENTRIES} ids (about 40 KiB of
 * the memory's 64 KiB per value): beyond that, the oldest is dropped (it is then no longer asked about, and the
 * delivery stays SENT or DELIVERED in the gateway); entries older than the age limit are dropped at each poll.
 */
final class PendingIndex {

    static final int MAX_ENTRIES = 1500;
    private static final System.Logger LOG = System.getLogger(PendingIndex.class.getName());

    private final ChannelMemory memory;
    private final String key;
    private final Duration keepFor;

    PendingIndex(ChannelMemory memory, String nodeId, Duration keepFor) {
        this.memory = memory;
        this.key = "pending:" + nodeId;
        this.keepFor = keepFor;
    }

    synchronized void add(String messageId, Instant at) {
        Map<String, Instant> entries = read();
        entries.remove(messageId);
        entries.put(messageId, at);
        while (entries.size() > MAX_ENTRIES) {
            String oldest = entries.keySet().iterator().next();
            entries.remove(oldest);
            LOG.log(System.Logger.Level.WARNING, "beBPo: more than {0} deliveries wait for their process cards;"
                    + " no longer asking about {1}", MAX_ENTRIES, oldest);
        }
        write(entries);
    }

    synchronized void remove(String messageId) {
        Map<String, Instant> entries = read();
        if (entries.remove(messageId) != null) {
            write(entries);
        }
    }

    /** The ids, oldest first, after dropping those added before {@code notBefore}. */
    synchronized Map<String, Instant> entries(Instant notBefore) {
        Map<String, Instant> entries = read();
        if (entries.values().removeIf(t -> t.isBefore(notBefore))) {
            write(entries);
        }
        return entries;
    }

    private Map<String, Instant> read() {
        Map<String, Instant> entries = new LinkedHashMap<>();
        memory.recall(key).ifPresent(bytes -> {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    String id = in.readUTF();
                    entries.put(id, Instant.ofEpochSecond(in.readLong()));
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "beBPo: the pending index {0} cannot be read and starts"
                        + " empty: {1}", key, e.getMessage());
                entries.clear();
            }
        });
        return entries;
    }

    private void write(Map<String, Instant> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.size() * 34 + 4);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(entries.size());
            for (Map.Entry<String, Instant> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().getEpochSecond());
            }
            out.flush();
            memory.remember(key, bytes.toByteArray(), keepFor);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the pending index", e);
        }
    }
}
