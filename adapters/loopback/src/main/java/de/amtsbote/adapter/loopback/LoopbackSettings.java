package de.amtsbote.adapter.loopback;

import de.amtsbote.spi.ChannelSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The loopback channel's configuration, read from {@code amtsbote.channels.loopback.*}.
 *
 * @param endpoint        the peer's base URI ({@code http://127.0.0.1:8181})
 * @param domain          the peer's domain: recipients are {@code <mailbox>@<domain>}
 * @param timeout         how long the peer may stay silent: to connect, while a message is being sent (no byte
 *                        accepted), and for the answer after the last byte
 * @param maxMessageBytes the largest message (body and attachments) the channel carries
 * @param pollLimit       how many queued items one poll fetches
 */
record LoopbackSettings(URI endpoint, String domain, Duration timeout, long maxMessageBytes, int pollLimit) {

    static final String DEFAULT_DOMAIN = "loopback.example";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_MAX_MESSAGE_BYTES = 1L << 30;
    static final int DEFAULT_POLL_LIMIT = 50;
    /** The peer serves at most this many items per fetch. */
    static final int MAX_POLL_LIMIT = 1000;

    LoopbackSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(timeout, "timeout");
    }

    static LoopbackSettings from(ChannelSettings settings) {
        URI endpoint = settings.uri("endpoint");
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(settings, "endpoint", "must be an http:// or https:// URI, got '" + endpoint + "'");
        }
        String domain = settings.get("domain").orElse(DEFAULT_DOMAIN).toLowerCase(Locale.ROOT);
        if (!domain.matches("[a-z0-9.-]+") || domain.equals(LoopbackAddresses.GATEWAY_DOMAIN)) {
            throw invalid(settings, "domain", "must be a domain name of a-z, 0-9, '.' and '-' other than '"
                    + LoopbackAddresses.GATEWAY_DOMAIN + "', got '" + domain + "'");
        }
        Duration timeout = settings.duration("timeout", DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw invalid(settings, "timeout", "must be positive, got " + timeout);
        }
        long maxMessageBytes = settings.get("max-message-size")
                .map(value -> dataSize(settings, value))
                .orElse(DEFAULT_MAX_MESSAGE_BYTES);
        int pollLimit = settings.integer("poll-limit", DEFAULT_POLL_LIMIT);
        if (pollLimit < 1 || pollLimit > MAX_POLL_LIMIT) {
            throw invalid(settings, "poll-limit", "must be from 1 to " + MAX_POLL_LIMIT + ", got " + pollLimit);
        }
        return new LoopbackSettings(endpoint, domain, timeout, maxMessageBytes, pollLimit);
    }

    /** {@code 1GB}, {@code 512MB}, {@code 64KB}, {@code 1048576}: binary multiples, as Spring's DataSize reads them. */
    private static long dataSize(ChannelSettings settings, String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[] suffixes = {"TB", "GB", "MB", "KB", "B"};
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1};
        for (int i = 0; i < suffixes.length; i++) {
            if (text.endsWith(suffixes[i])) {
                unit = units[i];
                text = text.substring(0, text.length() - suffixes[i].length()).trim();
                break;
            }
        }
        try {
            long amount = Long.parseLong(text);
            if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
                throw invalid(settings, "max-message-size", "must be positive, got '" + value + "'");
            }
            return amount * unit;
        } catch (NumberFormatException e) {
            throw invalid(settings, "max-message-size", "is not a size: '" + value + "' (use 1GB, 512MB or bytes)");
        }
    }

    private static IllegalArgumentException invalid(ChannelSettings settings, String key, String problem) {
        return new IllegalArgumentException("amtsbote.channels." + settings.channel() + "." + key + " " + problem);
    }
}
