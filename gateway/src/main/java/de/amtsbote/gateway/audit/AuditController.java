package de.amtsbote.gateway.audit;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail for client systems with the role {@code AUDITOR}: pages of entries, the whole trail as JSON lines for
 * {@code ./amtsbote audit verify}, and a checkpoint on demand.
 */
@RestController
@Tag(name = "Audit", description = "the tamper-evident audit trail (role AUDITOR)")
@RequestMapping("/api/v1/audit")
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditTrail trail;
    private final AuditExport export;

    AuditController(AuditTrail trail, AuditExport export) {
        this.trail = trail;
        this.export = export;
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
        List<AuditExport.EntryLine> items = trail.page(after, Long.MAX_VALUE, limit).stream()
                .map(AuditExport.EntryLine::of).toList();
        String next = items.size() < limit ? null
                : "/api/v1/audit?after=" + items.get(items.size() - 1).seq() + "&limit=" + limit;
        return new Page(items, next);
    }

    /**
     * The whole trail as JSON lines: every entry, oldest first, streamed page by page; then every checkpoint; last the
     * head as it stood when the entries were read (so entries appended while exporting are included up to it).
     * Nothing is filtered by the head: an entry or a checkpoint that somebody added beside it is shown to the verifier.
     */
    @GetMapping(path = "/export", produces = AuditExport.JSON_LINES)
    void export(HttpServletResponse response) throws IOException {
        response.setContentType(AuditExport.JSON_LINES + ";charset=UTF-8");
        export.writeAll(response.getOutputStream());
    }

    /** Seals the current head in a signed checkpoint now. */
    @PostMapping(path = "/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> checkpoint() {
        return trail.checkpoint().<Map<String, Object>>map(seq -> Map.of("checkpointed", true, "seq", seq))
                .orElse(Map.of("checkpointed", false));
    }

    record Page(List<AuditExport.EntryLine> items, String next) {
    }
}
