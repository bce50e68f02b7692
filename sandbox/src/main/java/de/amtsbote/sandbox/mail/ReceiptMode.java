package de.amtsbote.sandbox.mail;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * When a mail peer answers a message that asks for a disposition notification ({@code Disposition-Notification-To}):
 * <ul>
 * <li>{@code never}: no receipt at all, as a recipient who declines to send them;
 * <li>{@code at-once}: an automatic {@code processed} MDN on arrival and, right after it, a {@code displayed} MDN, as
 *     if the person opened the message at once;
 * <li>{@code after:<duration>}: the {@code processed} MDN on arrival, the {@code displayed} MDN after the delay (the
 *     demo uses {@code after:15s}), so the sender sees DELIVERED first and RETRIEVED later.
 * </ul>
 * An ESS signed receipt, when the peer sends them, goes out with the {@code displayed} MDN.
 *
 * @param kind  which of the three
 * @param delay for {@link Kind#AFTER}, the delay before {@code displayed}; {@link Duration#ZERO} otherwise
 */
public record ReceiptMode(Kind kind, Duration delay) {

    /** The three modes. */
    public enum Kind {
        NEVER,
        AT_ONCE,
        AFTER
    }

    public ReceiptMode {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a receipt delay must not be negative: " + delay);
        }
        if (kind != Kind.AFTER && !delay.isZero()) {
            throw new IllegalArgumentException("only 'after' has a delay, not " + kind);
        }
    }

    public static ReceiptMode never() {
        return new ReceiptMode(Kind.NEVER, Duration.ZERO);
    }

    public static ReceiptMode atOnce() {
        return new ReceiptMode(Kind.AT_ONCE, Duration.ZERO);
    }

    public static ReceiptMode after(Duration delay) {
        return new ReceiptMode(Kind.AFTER, delay);
    }

    /** {@code never}, {@code at-once}, {@code after:15s} (also {@code after:500ms}, {@code after:2m}, {@code after:PT15S}). */
    public static ReceiptMode parse(String text) {
        String value = Objects.requireNonNull(text, "receipt mode").trim().toLowerCase(Locale.ROOT);
        if (value.equals("never")) {
            return never();
        }
        if (value.equals("at-once")) {
            return atOnce();
        }
        if (value.startsWith("after:")) {
            return after(duration(value.substring("after:".length()), "receipt mode '" + text + "'"));
        }
        throw new IllegalArgumentException("receipt mode must be never, at-once or after:<duration> (after:15s), not '"
                + text + "'");
    }

    /** Whether this mode sends any receipt. */
    public boolean answers() {
        return kind != Kind.NEVER;
    }

    /** The delay before the {@code displayed} MDN (zero for at-once). */
    public Duration displayedAfter() {
        return delay;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NEVER -> "never";
            case AT_ONCE -> "at-once";
            case AFTER -> "after:" + delay;
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    static Duration duration(String text, String what) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException("no unit");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (use 15s, 500ms, 2m or PT15S)");
        }
    }
}
