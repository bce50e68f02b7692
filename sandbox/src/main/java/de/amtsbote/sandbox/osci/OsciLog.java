package de.amtsbote.sandbox.osci;

import de.amtsbote.sandbox.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A JSON-lines event log (the sandbox's {@link JsonLines}) of an intermediary or a played mailbox. */
final class OsciLog implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final JsonLines lines;
    private final Clock clock;

    private OsciLog(Path file, JsonLines lines, Clock clock) {
        this.file = file;
        this.lines = lines;
        this.clock = clock;
    }

    static OsciLog open(Path file, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new OsciLog(file, JsonLines.open(file, JSON), clock);
    }

    Path file() {
        return file;
    }

    /** A new line with {@code time} and {@code event}; fill it, then {@link #append}. */
    ObjectNode event(String event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", clock.instant().toString());
        o.put("event", event);
        return o;
    }

    /** Appends an event; {@code keyValues} alternate key and value, null values are left out. */
    void append(String event, String... keyValues) {
        ObjectNode o = event(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                o.put(keyValues[i], keyValues[i + 1]);
            }
        }
        append(o);
    }

    void append(ObjectNode line) {
        lines.append(line);
    }

    List<OsciEvent> entries() {
        return lines.readAll().stream().map(n -> new OsciEvent(java.time.Instant.parse(n.get("time").asString()),
                n.get("event").asString(), n)).toList();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
