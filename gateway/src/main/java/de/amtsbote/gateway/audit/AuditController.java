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
     * The whole trail as JSON lines: first the head the export stops at, then every checkpoint up to it, then every
     * entry up to it, oldest first. Streamed page by page.
     */
    @GetMapping(path = "/export", produces = JSON_LINES)
    void export(HttpServletResponse response) throws IOException {
        AuditTrail.Head head = trail.head();
        response.setContentType(JSON_LINES + ";charset=UTF-8");
        OutputStream out = response.getOutputStream();
        write(out, new HeadLine("head", head.seq(), head.hash()));
        for (AuditTrail.Checkpoint c : trail.checkpoints(head.seq())) {
            write(out, new CheckpointLine("checkpoint", c.seq(), c.hash(), AuditEntry.TIME.format(c.time()), c.node(),
                    c.document() != null, c.document() == null ? null : Base64.getEncoder().encodeToString(c.document())));
        }
        try {
            trail.forEach(head.seq(), e -> write(out, EntryLine.of(e)));
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
