package de.amtsbote.sandbox.demail;

import de.amtsbote.sandbox.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A provider's event log: one JSON document a line through the sandbox's {@link JsonLines}. */
final class DeMailLog implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final JsonLines lines;

    private DeMailLog(Path file, JsonLines lines) {
        this.file = file;
        this.lines = lines;
    }

    static DeMailLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new DeMailLog(file, JsonLines.open(file, JSON));
    }

    Path file() {
        return file;
    }

    /** Appends an event; {@code keyValues} alternate key and value, null values are left out. */
    DeMailEvent append(Instant time, String event, String... keyValues) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                data.put(keyValues[i], keyValues[i + 1]);
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("time", time.toString());
        o.put("event", event);
        data.forEach(o::put);
        lines.append(o);
        return new DeMailEvent(time, event, data);
    }

    List<DeMailEvent> entries() {
        List<DeMailEvent> out = new ArrayList<>();
        for (JsonNode n : lines.readAll()) {
            Map<String, String> data = new LinkedHashMap<>();
            n.properties().forEach(e -> {
                if (!e.getKey().equals("time") && !e.getKey().equals("event")) {
                    data.put(e.getKey(), e.getValue().asString());
                }
            });
            out.add(new DeMailEvent(Instant.parse(n.get("time").asString()), n.get("event").asString(), data));
        }
        return out;
    }

    List<JsonNode> documents() {
        return lines.readAll();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
