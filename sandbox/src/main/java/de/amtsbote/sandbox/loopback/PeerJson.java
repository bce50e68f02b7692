package de.amtsbote.sandbox.loopback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The peer's JSON conventions, in one place: time stamps, part lists, and reading fields with clear errors. */
final class PeerJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * ISO-8601 instants in UTC with all nine fraction digits, so that log lines compare as text and the
     * start and end of short requests stay distinct.
     */
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private PeerJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String time(Instant instant) {
        return instant == null ? null : INSTANT.format(instant);
    }

    static Instant instant(JsonNode node, String field) {
        String text = optionalText(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw PeerException.badRequest("'" + field + "' is not an ISO-8601 instant: '" + text + "'");
        }
    }

    static String text(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null) {
            throw PeerException.badRequest("'" + field + "' is required");
        }
        return value;
    }

    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw PeerException.badRequest("'" + field + "' must be a string");
        }
        return value.stringValue();
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw PeerException.badRequest("'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static long number(JsonNode node, String field, long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw PeerException.badRequest("'" + field + "' must be a whole number");
        }
        return value.longValue();
    }

    static ArrayNode parts(List<StoredPart> parts, boolean indexed) {
        ArrayNode array = MAPPER.createArrayNode();
        for (int i = 0; i < parts.size(); i++) {
            StoredPart part = parts.get(i);
            ObjectNode node = array.addObject();
            if (indexed) {
                node.put("index", i);
            }
            node.put("name", part.name());
            node.put("mediaType", part.mediaType());
            node.put("size", part.size());
            node.put("sha256", part.sha256());
        }
        return array;
    }

    static List<StoredPart> parts(JsonNode array) {
        List<StoredPart> parts = new ArrayList<>();
        for (JsonNode node : array) {
            parts.add(new StoredPart(text(node, "name"), text(node, "mediaType"), number(node, "size", 0),
                    text(node, "sha256")));
        }
        return parts;
    }
}
