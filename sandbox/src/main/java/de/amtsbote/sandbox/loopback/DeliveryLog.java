package de.amtsbote.sandbox.loopback;

import de.amtsbote.sandbox.JsonLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code peer-log.jsonl}: one line per message delivery request, for tests that check from outside what the
 * gateway did (no delivery received from two nodes at overlapping times, how often each node delivered). The
 * statistics are counted from the same lines, so they survive a restart exactly as the log does.
 */
final class DeliveryLog implements AutoCloseable {

    private final JsonLines lines;
    private long requests;
    private long unique;
    private long duplicates;
    private long faults;
    private final Map<String, Long> byNode = new HashMap<>();

    DeliveryLog(Path file) throws IOException {
        this.lines = JsonLines.open(file, PeerJson.MAPPER);
        for (JsonNode line : lines.readAll()) {
            count(parse(line));
        }
    }

    synchronized void record(PeerLogEntry entry) {
        ObjectNode line = PeerJson.object()
                .put("deliveryId", entry.deliveryId())
                .put("messageId", entry.messageId())
                .put("node", entry.node())
                .put("attempt", entry.attempt())
                .put("mailbox", entry.mailbox())
                .put("start", PeerJson.time(entry.start()))
                .put("end", PeerJson.time(entry.end()))
                .put("bytes", entry.bytes())
                .put("duplicate", entry.duplicate())
                .put("status", entry.status())
                .put("fault", entry.fault());
        lines.append(line);
        count(entry);
    }

    synchronized PeerStats stats() {
        return new PeerStats(requests, unique, duplicates, byNode, faults);
    }

    List<PeerLogEntry> entries() {
        List<PeerLogEntry> entries = new ArrayList<>();
        for (JsonNode line : lines.readAll()) {
            entries.add(parse(line));
        }
        return entries;
    }

    private void count(PeerLogEntry entry) {
        requests++;
        if (entry.fault()) {
            faults++;
        } else if (entry.duplicate()) {
            duplicates++;
        } else if (entry.status() == 201) {
            unique++;
        }
        if (entry.node() != null) {
            byNode.merge(entry.node(), 1L, Long::sum);
        }
    }

    private static PeerLogEntry parse(JsonNode line) {
        return new PeerLogEntry(
                PeerJson.optionalText(line, "deliveryId"),
                PeerJson.optionalText(line, "messageId"),
                PeerJson.optionalText(line, "node"),
                (int) PeerJson.number(line, "attempt", 0),
                PeerJson.optionalText(line, "mailbox"),
                PeerJson.instant(line, "start"),
                PeerJson.instant(line, "end"),
                PeerJson.number(line, "bytes", 0),
                PeerJson.flag(line, "duplicate"),
                (int) PeerJson.number(line, "status", 0),
                PeerJson.flag(line, "fault"));
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
