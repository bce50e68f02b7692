package de.amtsbote.sandbox.demail;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * When a sandbox mailbox's holder logs in securely (authentication level "high") by itself, the event that makes its
 * provider issue the Abholbestätigung (confirmation of retrieval) for what was deposited: {@code never} (only
 * {@link DeMailMailbox#secureLogin()} or the HTTP endpoint), {@code at-once} (right after each deposit) or
 * {@code after:15s} (that long after each deposit; {@code ms}, {@code s}, {@code m}, {@code h} or ISO-8601 {@code PT15S}).
 *
 * @param after null for never, zero for at once
 */
public record SecureLoginTimer(Duration after) {

    public static SecureLoginTimer never() {
        return new SecureLoginTimer(null);
    }

    public static SecureLoginTimer atOnce() {
        return new SecureLoginTimer(Duration.ZERO);
    }

    public static SecureLoginTimer after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a secure-login delay cannot be negative: " + delay);
        }
        return new SecureLoginTimer(delay);
    }

    public static SecureLoginTimer parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("never")) {
            return never();
        }
        if (t.equals("at-once")) {
            return atOnce();
        }
        if (t.startsWith("after:")) {
            String d = t.substring("after:".length()).trim();
            try {
                if (d.startsWith("pt")) {
                    return after(Duration.parse(d.toUpperCase(Locale.ROOT)));
                }
                if (d.endsWith("ms")) {
                    return after(Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2))));
                }
                long n = Long.parseLong(d.substring(0, d.length() - 1));
                switch (d.charAt(d.length() - 1)) {
                    case 's': return after(Duration.ofSeconds(n));
                    case 'm': return after(Duration.ofMinutes(n));
                    case 'h': return after(Duration.ofHours(n));
                    default: break;
                }
            } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
                // reported below with the accepted forms
            }
        }
        throw new IllegalArgumentException("secure-login must be never, at-once or after:<duration> (after:15s, "
                + "after:500ms, after:PT1M), not '" + text + "'");
    }

    public boolean automatic() {
        return after != null;
    }

    @Override
    public String toString() {
        return after == null ? "never" : after.isZero() ? "at-once" : "after:" + after;
    }
}
