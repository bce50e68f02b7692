package de.amtsbote.gateway.audit;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail for client systems with the role {@code AUDITOR}: pages of entries, the whole trail as JSON lines for
 * {@code ./amtsbote audit verify}, and a checkpoint on demand.
 */
@RestController
@Tag(name = "Audit", description = "the tamper-evident audit trail (role AUDITOR)")
@RequestMapping("/api/v1/audit")
class AuditController {

    static final String JSON_LINES = "application/jsonl";
    private static final int MAX_LIMIT = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    /** Entries after {@code after} (a seq), oldest first; {@code next} links the following page while there is one. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Page page(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        if (after < 0) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "after must be a sequence number >= 0");
        }
        List<EntryLine> items = trail.page(after, Long.MAX_VALUE, limit).stream().map(EntryLine::of).toList();
        String next = items.size() < limit ? null
                : "/api/v1/audit?after=" + items.get(items.size() - 1).seq() + "&limit=" + limit;
        return new Page(items, next);
    }

    /**
     * The whole trail as JSON lines: every entry, oldest first, streamed page by page; then every checkpoint; last the
     * head as it stood when the entries were read (so entries appended while exporting are included up to it).
     * Nothing is filtered by the head: an entry or a checkpoint that somebody added beside it is shown to the verifier.
     */
    @GetMapping(path = "/export", produces = JSON_LINES)
    void export(HttpServletResponse response) throws IOException {
        response.setContentType(JSON_LINES + ";charset=UTF-8");
        OutputStream out = response.getOutputStream();
        long[] last = {0};
        AuditTrail.Head head;
        long before;
        try {
            do {
                before = last[0];
                trail.forEach(last[0], Long.MAX_VALUE, e -> {
                    write(out, EntryLine.of(e));
                    last[0] = e.seq();
                });
                head = trail.head();
            } while (head.seq() > last[0] && last[0] > before); // a cut tail must not make this loop forever
            for (AuditTrail.Checkpoint c : trail.checkpoints(Long.MAX_VALUE)) {
                write(out, new CheckpointLine("checkpoint", c.seq(), c.hash(), AuditEntry.TIME.format(c.time()),
                        c.node(), c.document() != null,
                        c.document() == null ? null : Base64.getEncoder().encodeToString(c.document())));
            }
            write(out, new HeadLine("head", head.seq(), head.hash()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    /** Seals the current head in a signed checkpoint now. */
    @PostMapping(path = "/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> checkpoint() {
        return trail.checkpoint().<Map<String, Object>>map(seq -> Map.of("checkpointed", true, "seq", seq))
                .orElse(Map.of("checkpointed", false));
    }

    private static void write(OutputStream out, Object line) {
        try {
            out.write(JSON.writeValueAsString(line).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Page(List<EntryLine> items, String next) {
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
