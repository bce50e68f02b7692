package de.amtsbote.gateway.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail as JSON lines (docs/audit.md, "Verifying"): one line per entry, oldest first, then one per
 * checkpoint, last the head. What {@code GET /api/v1/audit/export} returns, the console offers as a download and
 * {@code ./amtsbote audit verify} reads.
 */
@Component
public class AuditExport {

    /** The media type of the export. */
    public static final String JSON_LINES = "application/jsonl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditTrail trail;
    private final AuditSearch search;

    AuditExport(AuditTrail trail, AuditSearch search) {
        this.trail = trail;
        this.search = search;
    }

    /** The whole trail with its checkpoints and head: verifiable by {@code ./amtsbote audit verify}. */
    public void writeAll(OutputStream out) throws IOException {
        try {
            trail.readAll(lines(out));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    /**
     * The entries a filter selects, oldest first, as entry lines only: an extract for reading, not a chain to verify
     * (the entries between them are left out, and with them the links).
     */
    public void writeMatching(AuditFilter filter, OutputStream out) throws IOException {
        try {
            search.forEachMatching(filter, e -> write(out, EntryLine.of(e)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    private static AuditTrail.Reader lines(OutputStream out) {
        return new AuditTrail.Reader() {
            @Override
            public void entry(AuditEntry entry) {
                write(out, EntryLine.of(entry));
            }

            @Override
            public void checkpoint(AuditTrail.Checkpoint c) {
                write(out, new CheckpointLine("checkpoint", c.seq(), c.hash(), AuditEntry.TIME.format(c.time()),
                        c.node(), c.document() != null,
                        c.document() == null ? null : Base64.getEncoder().encodeToString(c.document())));
            }

            @Override
            public void head(long seq, String hash) {
                write(out, new HeadLine("head", seq, hash));
            }
        };
    }

    private static void write(OutputStream out, Object line) {
        try {
            out.write(JSON.writeValueAsString(line).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record HeadLine(String type, long seq, String hash) {
    }

    record CheckpointLine(String type, long seq, String hash, String time, String node, boolean signed,
                          String document) {
    }

    /** An entry as exported: {@code time} in the spelling the hash covers, {@code detail} as the stored text. */
    record EntryLine(String type, long seq, String time, String node, String actorKind, String actorId, String action,
                     String subjects, String detail, String previous, String hash) {
        static EntryLine of(AuditEntry e) {
            return new EntryLine("entry", e.seq(), AuditEntry.TIME.format(e.time()), e.node(), e.actor().kind().name(),
                    e.actor().id(), e.action(), e.subjects(), e.detail(), e.previous(), e.hash());
        }
    }
}
