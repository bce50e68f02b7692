package de.amtsbote.sandbox.osci;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a played mailbox acknowledges a delivery it fetched: {@code at-once}, {@code after:15s} (also {@code ms},
 * {@code m}, {@code h}, or an ISO-8601 duration) or {@code never} (the delivery stays fetched but unacknowledged, as
 * a recipient who never confirms; fetches keep returning it, so later deliveries wait behind it).
 *
 * @param delay null for never
 */
public record AckMode(Duration delay) {

    public static final AckMode AT_ONCE = new AckMode(Duration.ZERO);
    public static final AckMode NEVER = new AckMode(null);

    public AckMode {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("an acknowledgement delay cannot be negative: " + delay);
        }
    }

    public static AckMode after(Duration delay) {
        return new AckMode(Objects.requireNonNull(delay, "delay"));
    }

    public boolean never() {
        return delay == null;
    }

    public static AckMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("at-once")) {
            return AT_ONCE;
        }
        if (t.equals("never")) {
            return NEVER;
        }
        if (t.startsWith("after:")) {
            return after(duration(t.substring(6), "acknowledge"));
        }
        throw new IllegalArgumentException("acknowledge is at-once, after:<duration> or never, not '" + text + "'");
    }

    /** "15s", "500ms", "2m", "1h" or ISO-8601 "PT15S". */
    static Duration duration(String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration like 15s, 500ms, 2m or PT15S");
        }
    }

    @Override
    public String toString() {
        return delay == null ? "never" : delay.isZero() ? "at-once" : "after:" + delay.toMillis() + "ms";
    }
}
