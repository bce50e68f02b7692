package de.amtsbote.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reading the sandbox's JSON configuration files strictly: unknown keys and values of the wrong type are refused
 * with the place they stand ({@code where}), so a typo in a peer's configuration is an error, not a silent default.
 */
public final class JsonConfig {

    private JsonConfig() {
    }

    /** Refuses keys of {@code node} that are not {@code known}; {@code node} must be an object. */
    public static void keys(JsonNode node, Set<String> known, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** The elements of a list value; empty when the key is absent. */
    public static List<JsonNode> list(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a list");
        }
        v.forEach(out::add);
        return out;
    }

    public static String required(JsonNode node, String key, String where) {
        String v = text(node, key, where, null);
        if (v == null) {
            throw new IllegalArgumentException(where + ": " + key + " is required");
        }
        return v;
    }

    public static String text(JsonNode node, String key, String where, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isString()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a string");
        }
        return v.asString();
    }

    public static int number(JsonNode node, String key, String where, int fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isInt()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a whole number");
        }
        return v.asInt();
    }

    public static boolean flag(JsonNode node, String key, String where, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(where + ": " + key + " must be true or false");
        }
        return v.asBoolean();
    }

    /** A path from the file, relative to {@code base} (the configuration file's directory) unless absolute. */
    public static Path path(Path base, String text) {
        Path p = Path.of(text);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
}
