package de.amtsbote.gateway.console.audit;

import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The filter of the audit list as typed (request parameters), and what it means. Times are UTC, as the list shows
 * them; "to" includes the minute (or day) given. Problems are message keys per field, for the form to show beside the
 * field.
 */
final class FilterForm {

    static final int MAX_TEXT = 200;

    final String actorKind;
    final String actor;
    final String action;
    final String subject;
    final String from;
    final String to;
    private final Map<String, String> errors = new LinkedHashMap<>();
    private AuditFilter filter = AuditFilter.none();

    FilterForm(String actorKind, String actor, String action, String subject, String from, String to) {
        this.actorKind = trim(actorKind);
        this.actor = trim(actor);
        this.action = trim(action);
        this.subject = trim(subject);
        this.from = trim(from);
        this.to = trim(to);
        parse();
    }

    private void parse() {
        AuditActor.Kind kind = null;
        if (!actorKind.isEmpty()) {
            try {
                kind = AuditActor.Kind.valueOf(actorKind.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.put("actorKind", "audit.filter.error.actorKind");
            }
        }
        for (Map.Entry<String, String> text : Map.of("actor", actor, "action", action, "subject", subject).entrySet()) {
            if (text.getValue().length() > MAX_TEXT) {
                errors.put(text.getKey(), "audit.filter.error.tooLong");
            }
        }
        Instant start = time("from", from, false);
        Instant end = time("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            errors.put("to", "audit.filter.error.range");
        }
        if (errors.isEmpty()) {
            filter = new AuditFilter(kind, actor, action, subject, start, end);
        }
    }

    /**
     * {@code 2026-11-25}, {@code 2026-11-25T09:30} (what a date-time field sends), with seconds, or with a space. For
     * the end of a range the day, minute or second given is included.
     */
    private Instant time(String field, String text, boolean end) {
        if (text.isEmpty()) {
            return null;
        }
        String t = text.replace(' ', 'T');
        try {
            if (t.length() == 10) {
                LocalDate day = LocalDate.parse(t);
                return (end ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            LocalDateTime at = LocalDateTime.parse(t);
            if (end) {
                at = t.length() <= 16 ? at.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1)
                        : at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            }
            return at.toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            errors.put(field, "audit.filter.error.time");
            return null;
        }
    }

    boolean valid() {
        return errors.isEmpty();
    }

    Map<String, String> errors() {
        return errors;
    }

    AuditFilter filter() {
        return filter;
    }

    boolean isEmpty() {
        return actorKind.isEmpty() && actor.isEmpty() && action.isEmpty() && subject.isEmpty() && from.isEmpty()
                && to.isEmpty();
    }

    /** A link to a page of the console with this filter and further parameters; empty fields are left out. */
    String link(String path, Object... more) {
        StringJoiner query = new StringJoiner("&");
        add(query, "actorKind", actorKind);
        add(query, "actor", actor);
        add(query, "action", action);
        add(query, "subject", subject);
        add(query, "from", from);
        add(query, "to", to);
        for (int i = 0; i + 1 < more.length; i += 2) {
            add(query, more[i].toString(), more[i + 1] == null ? "" : more[i + 1].toString());
        }
        return query.length() == 0 ? path : path + "?" + query;
    }

    private static void add(StringJoiner query, String name, String value) {
        if (!value.isEmpty()) {
            query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    // ------------------------------------------------------------------ for the template

    public String getActorKind() {
        return actorKind;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getSubject() {
        return subject;
    }

    public String getFrom() {
        return from;
    }

    public String getTo() {
        return to;
    }
}
