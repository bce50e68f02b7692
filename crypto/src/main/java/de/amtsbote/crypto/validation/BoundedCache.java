package de.amtsbote.crypto.validation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small least-recently-used map with a fixed capacity, safe for concurrent use. Revocation answers are cached
 * per certificate and per CRL source; the bound keeps a stream of certificates from many CAs from growing memory.
 * Two threads missing the same key at once both fetch; the later one's entry wins — harmless, and simpler than
 * coalescing fetches.
 */
final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The entry for {@code key} if it is still usable; an unusable one is removed. */
    synchronized V get(K key, Predicate<V> usable) {
        V v = entries.get(key);
        if (v != null && !usable.test(v)) {
            entries.remove(key);
            return null;
        }
        return v;
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized int size() {
        return entries.size();
    }
}
