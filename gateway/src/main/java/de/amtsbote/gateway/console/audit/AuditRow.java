package de.amtsbote.gateway.console.audit;

import de.amtsbote.gateway.audit.AuditEntry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An audit entry as the console shows it: the subjects split into their kind and id (a message links to its page),
 * the detail's JSON as key–value pairs. Everything is text that the template escapes; a detail that is not a JSON
 * object (changed by somebody) is shown as it is stored.
 *
 * @param time    UTC, to the second, for the list
 * @param exact   UTC with the six fraction digits the hash covers, for the entry page
 * @param details the detail's fields, in stored order; empty when {@code rawDetail} is set
 */
record AuditRow(long seq, String time, String exact, String node, String actorKind, String actorId, String action,
                List<Subject> subjects, List<Field> details, String rawDetail, String previous, String hash) {

    private static final DateTimeFormatter LIST_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXACT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One subject token, {@code kind:id}; {@code message} subjects link to the message's console page. */
    record Subject(String token, String kind, String id) {
        public boolean message() {
            return "message".equals(kind) && !id.isEmpty();
        }
    }

    record Field(String key, String value) {
    }

    static AuditRow of(AuditEntry e) {
        List<Field> fields = new ArrayList<>();
        String raw = null;
        try {
            JsonNode detail = JSON.readTree(e.detail());
            if (detail != null && detail.isObject()) {
                for (Map.Entry<String, JsonNode> f : detail.properties()) {
                    JsonNode v = f.getValue();
                    fields.add(new Field(f.getKey(), v.isString() ? v.asString() : v.toString()));
                }
            } else {
                raw = e.detail();
            }
        } catch (JacksonException ex) {
            raw = e.detail(); // not JSON any more: shown as stored, the verification names the change
        }
        return new AuditRow(e.seq(), LIST_TIME.format(e.time()), EXACT_TIME.format(e.time()), e.node(),
                e.actor().kind().name(), e.actor().id(), e.action(), subjects(e.subjects()), fields, raw,
                e.previous(), e.hash());
    }

    static List<Subject> subjects(String subjects) {
        List<Subject> out = new ArrayList<>();
        for (String token : subjects.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int colon = token.indexOf(':');
            out.add(colon < 0 ? new Subject(token, "", token)
                    : new Subject(token, token.substring(0, colon), token.substring(colon + 1)));
        }
        return out;
    }
}
