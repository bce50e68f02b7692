package de.amtsbote.gateway.console.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as the console shows them: in the authorities' time zone (Europe/Berlin), German or English style. The
 * database and the audit trail keep UTC.
 */
public final class ConsoleTimes {

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private final DateTimeFormatter format;

    ConsoleTimes(Locale locale) {
        this.format = DateTimeFormatter.ofPattern("de".equals(locale.getLanguage()) ? "dd.MM.yyyy HH:mm:ss"
                : "yyyy-MM-dd HH:mm:ss", locale).withZone(ZONE);
    }

    /** The time, or an empty text for none. */
    public String format(Instant at) {
        return at == null ? "" : format.format(at);
    }

    /** The time in ISO form for a {@code <time datetime>} attribute. */
    public String iso(Instant at) {
        return at == null ? "" : DateTimeFormatter.ISO_INSTANT.format(at);
    }

    /** A waiting time in whole days, hours and minutes, for the texts that name it. */
    public record Age(long days, long hours, long minutes) {
        static Age between(Instant from, Instant to) {
            Duration d = Duration.between(from, to);
            if (d.isNegative()) {
                d = Duration.ZERO;
            }
            return new Age(d.toDays(), d.toHoursPart(), d.toMinutesPart());
        }
    }
}
