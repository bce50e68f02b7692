package de.amtsbote.spi;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One channel's configuration: the keys under {@code amtsbote.channels.<channel>.*}, with the prefix removed.
 * Accessors fail with a message that names the channel and the key, so a bad configuration is found at start-up.
 */
public record ChannelSettings(String channel, Map<String, String> values) {

    public ChannelSettings {
        values = Map.copyOf(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return get(key).orElseThrow(() -> invalid(key, "is required"));
    }

    public URI uri(String key) {
        String value = required(key);
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw invalid(key, "must be an absolute URI with a host, got '" + value + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(key, "is not a URI: '" + value + "'");
        }
    }

    /** A duration in ISO-8601 ({@code PT30S}) or Spring's short form ({@code 30s}, {@code 500ms}, {@code 5m}). */
    public Duration duration(String key, Duration fallback) {
        return get(key).map(v -> parseDuration(key, v)).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return get(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw invalid(key, "must be a whole number, got '" + v + "'");
            }
        }).orElse(fallback);
    }

    public boolean flag(String key, boolean fallback) {
        return get(key).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "must be true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    private Duration parseDuration(String key, String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("p") || v.startsWith("-p")) {
                return Duration.parse(value);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw invalid(key, "is not a duration: '" + value + "'");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw invalid(key, "is not a duration: '" + value + "' (use 30s, 5m, 2h or PT30S)");
        }
    }

    private IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException("amtsbote.channels." + channel + "." + key + " " + problem);
    }
}
