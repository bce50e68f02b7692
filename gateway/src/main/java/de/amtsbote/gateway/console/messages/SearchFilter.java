package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.delivery.DeliveryState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What the search form asks for, as read from the query string. Empty fields are null. Dates are whole days in the
 * console's zone ({@link Times#ZONE}), both ends included.
 *
 * @param before page to messages older than this message id
 * @param after  page to messages newer than this message id
 */
record SearchFilter(String reference, String recipient, DeliveryState state, String sender, LocalDate from,
                    LocalDate to, String before, String after) {

    static final int MAX_TEXT = 200;

    /** The form as typed, for showing it again. */
    record Form(String reference, String recipient, String state, String sender, String from, String to) {
    }

    /**
     * A filter read from the form, or the problems with it by field (message keys with the offending value).
     *
     * @param errors field name → problem; the search runs only without problems
     */
    record Parsed(SearchFilter filter, Form form, Map<String, Problem> errors) {
    }

    /** A problem with one field: a message key and its argument. */
    record Problem(String key, String value) {
    }

    static Parsed parse(String reference, String recipient, String state, String sender, String from, String to,
                        String before, String after) {
        Form form = new Form(blankToNull(reference), blankToNull(recipient), blankToNull(state), blankToNull(sender),
                blankToNull(from), blankToNull(to));
        Map<String, Problem> errors = new LinkedHashMap<>();
        text("reference", form.reference(), errors);
        text("recipient", form.recipient(), errors);
        text("sender", form.sender(), errors);
        DeliveryState s = null;
        if (form.state() != null) {
            try {
                s = DeliveryState.valueOf(form.state());
            } catch (IllegalArgumentException e) {
                errors.put("state", new Problem("messages.search.error.state", shorten(form.state())));
            }
        }
        LocalDate f = date("from", form.from(), errors);
        LocalDate t = date("to", form.to(), errors);
        if (f != null && t != null && t.isBefore(f)) {
            errors.put("to", new Problem("messages.search.error.range", form.to()));
        }
        SearchFilter filter = new SearchFilter(form.reference(), form.recipient(), s, form.sender(), f, t,
                blankToNull(before), blankToNull(after));
        return new Parsed(filter, form, errors);
    }

    Instant fromInstant() {
        return from.atStartOfDay(Times.ZONE).toInstant();
    }

    /** The end of the {@code to} day: the start of the next. */
    Instant toInstant() {
        return to.plusDays(1).atStartOfDay(Times.ZONE).toInstant();
    }

    /** The search page's address with this filter and a page cursor ({@code before} or {@code after}), or none. */
    static String url(String base, Form form, String cursorName, String cursor) {
        StringJoiner query = new StringJoiner("&");
        add(query, "reference", form.reference());
        add(query, "recipient", form.recipient());
        add(query, "state", form.state());
        add(query, "sender", form.sender());
        add(query, "from", form.from());
        add(query, "to", form.to());
        if (cursorName != null) {
            add(query, cursorName, cursor);
        }
        return query.length() == 0 ? base : base + "?" + query;
    }

    /** Form encoding, as a browser sends a GET form (a '+' typed in a field stays a '+'). */
    private static void add(StringJoiner query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static void text(String field, String value, Map<String, Problem> errors) {
        if (value != null && value.length() > MAX_TEXT) {
            errors.put(field, new Problem("messages.search.error.tooLong", Integer.toString(MAX_TEXT)));
        }
    }

    private static LocalDate date(String field, String value, Map<String, Problem> errors) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.put(field, new Problem("messages.search.error.date", shorten(value)));
            return null;
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 39) + "…" : value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
