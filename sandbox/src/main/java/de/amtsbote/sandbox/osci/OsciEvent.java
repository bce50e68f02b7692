package de.amtsbote.sandbox.osci;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One line of an intermediary's or a played mailbox's log.
 *
 * @param time     when it happened (the sandbox clock)
 * @param event    what happened: intermediary {@code stored}, {@code fetched}, {@code acknowledged},
 *                 {@code refused}; played mailbox {@code sent}, {@code send-refused}, {@code received},
 *                 {@code acknowledged}, {@code fetch-failed}
 * @param document the whole line, for the fields of each event (see the package documentation)
 */
public record OsciEvent(Instant time, String event, JsonNode document) {

    /** A field's text, or null when the line has none. */
    public String get(String field) {
        JsonNode v = document.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }
}
