package de.amtsbote.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small records an adapter must remember across gateway nodes and restarts — what it signed, so that a signed
 * receipt arriving days later at another node can be checked against it (RFC 2634 2.6), or a provider's hash that
 * its confirmations will quote. Values are small (at most {@value #MAX_BYTES} bytes); the gateway keeps them in its
 * database, per channel, until they expire. Writing a key again replaces its value.
 */
public interface ChannelMemory {

    int MAX_BYTES = 64 * 1024;

    /** Remembers {@code value} under {@code key} for at least {@code keepFor}; durable when this returns. */
    void remember(String key, byte[] value, Duration keepFor);

    /** What was remembered under {@code key}, unless it expired. */
    Optional<byte[]> recall(String key);

    /** A memory in this process only, for tests and single-process tools. */
    static ChannelMemory inProcess() {
        Map<String, byte[]> values = new ConcurrentHashMap<>();
        return new ChannelMemory() {
            @Override
            public void remember(String key, byte[] value, Duration keepFor) {
                if (value.length > MAX_BYTES) {
                    throw new IllegalArgumentException("channel memory values are at most " + MAX_BYTES + " bytes");
                }
                values.put(key, value.clone());
            }

            @Override
            public Optional<byte[]> recall(String key) {
                return Optional.ofNullable(values.get(key)).map(byte[]::clone);
            }
        };
    }
}
