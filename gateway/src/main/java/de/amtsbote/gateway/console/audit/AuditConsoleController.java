package de.amtsbote.gateway.console.audit;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditEntry;
import de.amtsbote.gateway.audit.AuditExport;
import de.amtsbote.gateway.audit.AuditSearch;
import de.amtsbote.gateway.audit.AuditVerification;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.console.ConsolePaths;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The audit trail in the console, for auditors (the security chain admits only {@code AUDITOR} under
 * {@link ConsolePaths#AUDIT}): the entries newest first, filtered and paged by sequence number; one entry with its
 * hashes; the verification of the whole chain with the CLI's verifier; the export as JSON lines.
 *
 * <p>Looking is not recorded (every page view would add an entry, and reading the trail changes nothing); verifying
 * ({@code audit.verify}) and exporting ({@code audit.export}) are, with the person, the outcome and the filter.
 */
@Controller
@RequestMapping(ConsolePaths.AUDIT)
class AuditConsoleController {

    static final int PAGE = 50;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final AuditSearch search;
    private final AuditExport export;
    private final AuditVerification verification;
    private final ConsoleAudit audit;
    private final Clock clock;
    private final MessageSource messages;

    AuditConsoleController(AuditSearch search, AuditExport export, AuditVerification verification,
                           ConsoleAudit audit, Clock clock, MessageSource messages) {
        this.messages = messages;
        this.search = search;
        this.export = export;
        this.verification = verification;
        this.audit = audit;
        this.clock = clock;
    }

    @ModelAttribute("actorKinds")
    List<String> actorKinds() {
        return List.of("PERSON", "CLIENT", "NODE");
    }

    /** The trail, newest first: {@code before} (older entries) or {@code after} (newer entries) a seq. */
    @GetMapping
    String list(@RequestParam(required = false) String actorKind, @RequestParam(required = false) String actor,
                @RequestParam(required = false) String action, @RequestParam(required = false) String subject,
                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(required = false) Long before, @RequestParam(required = false) Long after,
                HttpServletResponse response, Model model) {
        FilterForm form = new FilterForm(actorKind, actor, action, subject, from, to);
        model.addAttribute("form", form);
        model.addAttribute("errors", form.errors());
        model.addAttribute("filtered", !form.isEmpty());
        if (!form.valid()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("rows", List.of());
            return "console/audit/list";
        }
        List<AuditEntry> entries;
        if (after != null) {
            entries = new ArrayList<>(search.oldestFirst(form.filter(), after, PAGE));
            Collections.reverse(entries);
        } else {
            entries = search.newestFirst(form.filter(), before == null ? Long.MAX_VALUE : before, PAGE);
        }
        model.addAttribute("rows", entries.stream().map(AuditRow::of).toList());
        if (!entries.isEmpty()) {
            long newest = entries.get(0).seq();
            long oldest = entries.get(entries.size() - 1).seq();
            if (!search.newestFirst(form.filter(), oldest, 1).isEmpty()) {
                model.addAttribute("olderHref", form.link(ConsolePaths.AUDIT, "before", oldest));
            }
            if (!search.oldestFirst(form.filter(), newest, 1).isEmpty()) {
                model.addAttribute("newerHref", form.link(ConsolePaths.AUDIT, "after", newest));
                model.addAttribute("newestHref", form.link(ConsolePaths.AUDIT));
            }
        } else if (before != null || after != null) {
            model.addAttribute("newestHref", form.link(ConsolePaths.AUDIT));
        }
        model.addAttribute("exportHref", form.link(ConsolePaths.AUDIT + "/export"));
        return "console/audit/list";
    }

    /** One entry with its hash and its predecessor's, and a quick check of the two. */
    @GetMapping("/{seq}")
    String entry(@PathVariable String seq, Model model) {
        long number = parseSeq(seq);
        AuditEntry entry = search.entry(number).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                text("audit.entry.notFound", number)));
        Optional<AuditEntry> before = number > 1 ? search.entry(number - 1) : Optional.empty();
        model.addAttribute("row", AuditRow.of(entry));
        model.addAttribute("hashMatches", entry.recomputedHash().equals(entry.hash()));
        model.addAttribute("linkMatches", number == 1 ? entry.previous().equals(AuditEntry.GENESIS)
                : before.map(b -> b.hash().equals(entry.previous())).orElse(false));
        model.addAttribute("previousSeq", before.map(AuditEntry::seq).orElse(null));
        model.addAttribute("nextSeq", search.entry(number + 1).map(AuditEntry::seq).orElse(null));
        return "console/audit/entry";
    }

    /** The verification page: what it checks, the button, and the result of the last run (after the redirect). */
    @GetMapping("/verify")
    String verifyPage() {
        return "console/audit/verify";
    }

    /** Verifies the whole chain now, records that (and the outcome) and shows the result. */
    @PostMapping("/verify")
    String verify(Authentication person, RedirectAttributes redirect) {
        VerificationResult result = VerificationResult.of(verification.verify(), clock.instant());
        audit.record(person, "audit.verify", "", result.detail());
        redirect.addFlashAttribute("verification", result);
        return "redirect:" + ConsolePaths.AUDIT + "/verify";
    }

    /**
     * The export as a download: the whole trail with checkpoints and head (verifiable with {@code ./amtsbote audit
     * verify}), or with a filter the matching entries only.
     */
    @GetMapping("/export")
    void export(@RequestParam(required = false) String actorKind, @RequestParam(required = false) String actor,
                @RequestParam(required = false) String action, @RequestParam(required = false) String subject,
                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                Authentication person, HttpServletResponse response) throws IOException {
        FilterForm form = new FilterForm(actorKind, actor, action, subject, from, to);
        if (!form.valid()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, text("audit.export.invalidFilter",
                    String.join(", ", form.errors().keySet())));
        }
        boolean whole = form.filter().isEmpty();
        Instant now = clock.instant();
        audit.record(person, "audit.export", "", AuditDetail.of().with("whole", whole)
                .with("actorKind", form.filter().actorKind()).with("actor", form.filter().actorId())
                .with("action", form.filter().actionPrefix()).with("subject", form.filter().subject())
                .with("from", form.filter().from()).with("until", form.filter().until()));
        String name = "amtsbote-audit-" + FILE_TIME.format(now) + (whole ? "" : "-extract") + ".jsonl";
        response.setContentType(AuditExport.JSON_LINES + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build()
                .toString());
        if (whole) {
            export.writeAll(response.getOutputStream());
        } else {
            export.writeMatching(form.filter(), response.getOutputStream());
        }
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    private long parseSeq(String seq) {
        try {
            long n = Long.parseLong(seq);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, text("audit.entry.notANumber", seq));
    }
}
