package de.amtsbote.gateway.console.messages;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as the console shows them: in German local time (the gateway's users are German authorities), with the zone
 * named, in the reader's language; the exact UTC instant stays in the {@code datetime} attribute of {@code <time>}.
 */
final class Times {

    /** The zone the console shows times in and reads dates of the search form in. */
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter GERMAN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss z", Locale.GERMAN);
    private static final DateTimeFormatter ENGLISH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH);

    private Times() {
    }

    /** A time for a {@code <time>} element: the instant and its text; null for null. */
    static When of(Instant instant, Locale locale) {
        if (instant == null) {
            return null;
        }
        DateTimeFormatter f = "de".equals(locale.getLanguage()) ? GERMAN : ENGLISH;
        return new When(instant.toString(), f.format(instant.atZone(ZONE)));
    }

    /** A time shown: {@code iso} for the {@code datetime} attribute, {@code text} for people. */
    record When(String iso, String text) {
    }
}
